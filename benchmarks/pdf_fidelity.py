"""Measure how closely extract_pdf() reproduces the curated Markdown of the corpus reports."""

from __future__ import annotations

import difflib
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.ingest.frontmatter import split_front_matter
from bot.ingest.pdf import extract_pdf

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def words(text: str) -> list[str]:
    """Lowercase word tokens after normalising curly quotes and dashes."""
    return re.findall(r"[a-z0-9]+", text.translate(_QUOTES).lower())


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, whitespace-collapsed."""
    blocks = (" ".join(b.split()) for b in re.split(r"\n\s*\n", text))
    return [b for b in blocks if b]


def main() -> None:
    """Extract every corpus PDF and print similarity to its curated Markdown."""
    only = sys.argv[1:]
    results: list[tuple[float, float, str]] = []
    exact = total = 0
    start = time.perf_counter()
    for pdf in sorted((CORPUS / "pdfs").glob("*.pdf")):
        if only and not any(o in pdf.stem for o in only):
            continue
        md = CORPUS / "reports" / f"{pdf.stem}.md"
        curated = split_front_matter(md.read_text(encoding="utf-8"))[1]
        extracted = extract_pdf(pdf.read_bytes()).text
        ratio = difflib.SequenceMatcher(None, words(extracted), words(curated), autojunk=False).ratio()
        got = set(paragraphs(extracted))
        want = paragraphs(curated)
        hits = sum(p in got for p in want)
        exact += hits
        total += len(want)
        results.append((ratio, hits / len(want), pdf.stem))
    seconds = time.perf_counter() - start
    print("worst 10 by word-sequence similarity (ratio, paragraph-exact, file):")
    for ratio, para, stem in sorted(results)[:10]:
        print(f"  {ratio:.4f}  {para:.3f}  {stem}")
    ratios = [r for r, _, _ in results]
    print(f"files: {len(results)}")
    print(f"word-sequence similarity: mean {statistics.mean(ratios):.4f}  min {min(ratios):.4f}")
    print(f"paragraph-exact rate: {exact}/{total} = {exact / total:.3f}")
    print(f"total seconds: {seconds:.1f}")


if __name__ == "__main__":
    main()
