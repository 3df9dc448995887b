"""Number every candidate sentence of the national reports, so question writers cite sentences by id.

Writers (people or helpers) read `<slug>.txt` and answer with sentence ids; `validate.py` turns the ids back into
the exact text with `<slug>.json`, so every training sentence is verbatim by construction. The units are the
answer path's own (`bot.language.sentence.split_sentences`, fragments and ungraded headings left out).

    python training/sentences.py ../shared/national OUT_DIR [--slices 8]
"""

import argparse
import csv
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.language.sentence import split_sentences  # noqa: E402

GRADED = re.compile(r"\b(outstanding|good|requires improvement|inadequate)\b", re.IGNORECASE)


def body_of(text: str) -> str:
    """The report's text after its front matter."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        return text[end + 5:] if end > 0 else text
    return text


def units(body: str) -> list[dict]:
    """Each usable unit with its section, kind and exact text."""
    out, section = [], ""
    for unit in split_sentences(body):
        text = body[unit.start:unit.end]
        if unit.kind == "heading" and body[unit.start - 3:unit.start] in ("## ", "# ") or text.startswith("#"):
            section = text.lstrip("# ").strip()
        if unit.kind == "heading" and not GRADED.search(text):
            section = text.strip()
            continue
        words = len(text.split())
        if unit.kind in ("sentence", "item") and (words < 4 or (words < 10 and not text.rstrip().endswith(
                (".", "!", "?", ":", ";", "”", '"', ")")))):
            continue
        out.append({"section": section, "kind": unit.kind, "text": text})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("national", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--slices", type=int, default=8)
    args = parser.parse_args()
    rows = list(csv.DictReader((args.national / "catalogue.csv").open(encoding="utf-8")))
    (args.out / "sent").mkdir(parents=True, exist_ok=True)
    for row in rows:
        body = body_of((args.national / "reports" / f"{row['slug']}.md").read_text(encoding="utf-8"))
        found = units(body)
        (args.out / "sent" / f"{row['slug']}.json").write_text(json.dumps([u["text"] for u in found]), "utf-8")
        lines = [f"# {row['slug']} | {row['local_authority']} | {row['report_type']} | published "
                 f"{row['publication_date']} | {row['title']}"]
        section = None
        for n, unit in enumerate(found):
            if unit["section"] != section:
                section = unit["section"]
                lines.append(f"## {section}")
            lines.append(f"{n}\t{unit['text']}")
        (args.out / "sent" / f"{row['slug']}.txt").write_text("\n".join(lines) + "\n", "utf-8")
    councils: dict[str, list[str]] = {}
    for row in rows:
        councils.setdefault(row["local_authority"], []).append(row["slug"])
    target = len(rows) / args.slices
    slices: list[list[str]] = [[]]
    for council in sorted(councils):
        if len(slices[-1]) >= target and len(slices) < args.slices:
            slices.append([])
        slices[-1] += councils[council]
    for n, part in enumerate(slices, 1):
        (args.out / f"slice-{n}.txt").write_text("\n".join(part) + "\n", "utf-8")
        print(f"slice {n}: {len(part)} reports, {len({s.rsplit('-', 4)[0] for s in part})} councils")


if __name__ == "__main__":
    main()
