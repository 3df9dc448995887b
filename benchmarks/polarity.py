"""Precision and recall of the strength / concern classifier on two samples built from the national corpus.

1. Hand-labelled: `benchmarks/polarity_labels.jsonl`, 200 sentences, one drawn at random from each of 200 randomly
   chosen ILACS and focused-visit reports (seed 20260501; `--sample` prints a fresh draw to label). Sentences under
   "What needs to improve" and the letter openings are left out, so that the labels test the cues, not the section.
   Each sentence was read and labelled strength, concern or neutral by its main clause ("While X is good, Y is not"
   is a concern). Rows 0–99 ("dev") were used to tune the cue list in bot/data/polarity.csv; rows 100–199 ("test")
   were not looked at while tuning, so the test figures are the honest ones. The learned classifier
   (`bot.leaders.lean`, trained on `training/polarity/labels.jsonl`) is scored on the same sample, less any sentence
   in its training data: these labels were written by another reader in an earlier session, so they are held out.
2. Gold by construction: every "What needs to improve" item that `extract_structure` finds in the national ILACS and
   focused-visit reports is a concern. It measures recall only, of `sentence_polarity` on the item's words alone and
   of `quote_polarity`, which also knows the section (and so finds every one, by construction).

Usage: python benchmarks/polarity.py [--national DIR] [--sample N]
"""

import argparse
import csv
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.ingest.chunker import split_sections
from bot.ingest.reader import read_source
from bot.language.sections import IMPROVE_HEADING
from bot.language.sentence import split_sentences
from bot.leaders.lean import LABELS as LEAN_LABELS
from bot.leaders.lean import PICK, load_lean
from bot.retrieval.polarity import CONCERN, NEUTRAL, STRENGTH, quote_polarity, sentence_polarity

NATIONAL = Path("/work/shared/national")
LABELS = Path(__file__).with_name("polarity_labels.jsonl")
TRAINED = Path(__file__).resolve().parents[1] / "training" / "polarity" / "labels.jsonl"
SEED = 20260501
_SKIP = re.compile(r"^(This letter|Yours|Ofsted will|Inspectors looked|Lead inspector|Inspection dates|\[\d)")


def source(national: Path, report_id: str) -> str:
    """A national report's text exactly as ingest reads it."""
    path = national / "reports" / f"{report_id}.md"
    return read_source(path, path.read_bytes(), {}).text


def scores(gold: list[str], predicted: list[str]) -> dict[str, tuple[float, float, int]]:
    """(precision, recall, support) for strength and for concern."""
    out = {}
    for cls in (STRENGTH, CONCERN):
        hit = sum(g == p == cls for g, p in zip(gold, predicted, strict=True))
        said = sum(p == cls for p in predicted)
        support = sum(g == cls for g in gold)
        out[cls] = (hit / said if said else 0.0, hit / support if support else 0.0, support)
    return out


def labelled(national: Path) -> None:
    """Score the hand-labelled sentences, checking each one is still word for word at its offsets."""
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        text = source(national, row["report"])
        if text[row["start"] : row["end"]] != row["text"]:
            sys.exit(f"{row['report']} {row['start']}: the labelled text is no longer at its offsets")
    print(f"hand-labelled sample: {len(rows)} sentences, {dict(Counter(r['label'] for r in rows))}")
    for split in ("dev", "test", None):
        part = [r for r in rows if split is None or r["split"] == split]
        got = scores([r["label"] for r in part], [sentence_polarity(r["text"]) for r in part])
        figures = "  ".join(f"{cls} P {p:.2f} R {r:.2f} (n={n})" for cls, (p, r, n) in got.items())
        print(f"  {split or 'all':<5} {figures}")
    # The learned classifier never saw these labels; sentences that are also in its training data are left out.
    trained = {json.loads(line)["text"] for line in TRAINED.read_text(encoding="utf-8").splitlines() if line.strip()}
    unseen = [r for r in rows if r["text"] not in trained]
    chances = load_lean().probabilities([r["text"] for r in unseen])
    gold = [r["label"] for r in unseen]
    argmax = [{"neither": NEUTRAL}.get(LEAN_LABELS[i], LEAN_LABELS[i]) for i in chances.argmax(axis=1)]
    picked = [STRENGTH if c[0] >= PICK else CONCERN if c[1] >= PICK else NEUTRAL for c in chances]
    rules = [sentence_polarity(r["text"]) for r in unseen]
    print(f"the same sample less the {len(rows) - len(unseen)} sentences in the classifier's training data "
          f"({len(unseen)}):")
    for name, said in (("rules", rules), ("learned", argmax), (f"learned, p >= {PICK}", picked)):
        figures = "  ".join(f"{cls} P {p:.2f} R {r:.2f} (n={n})" for cls, (p, r, n) in scores(gold, said).items())
        print(f"  {name:<18} {figures}")


def constructed(national: Path) -> None:
    """Recall of concern on every "What needs to improve" item in the national ILACS and focused visits."""
    catalogue = csv.DictReader((national / "catalogue.csv").open(encoding="utf-8"))
    words_only = with_section = total = 0
    for row in catalogue:
        if row["report_type"] not in ("ilacs_inspection", "focused_visit"):
            continue
        path = national / "reports" / f"{row['slug']}.md"
        report = read_source(path, path.read_bytes(), {}).report
        for item in report.structure.improvements:
            total += 1
            words_only += sentence_polarity(item.text) == CONCERN
            with_section += quote_polarity(item.text, "What needs to improve") == CONCERN
    print(f"'What needs to improve' items (all concerns by construction): {total}")
    print(f"  concern recall, words only: {words_only / total:.2f}; with the section: {with_section / total:.2f}")


def sample(national: Path, n: int) -> None:
    """Print n fresh sentences to label, one per random report, in the labels file's format without labels."""
    rows = [r for r in csv.DictReader((national / "catalogue.csv").open(encoding="utf-8"))
            if r["report_type"] in ("ilacs_inspection", "focused_visit")]
    rng = random.Random(SEED)
    rng.shuffle(rows)
    for row in rows[:n]:
        text = source(national, row["slug"])
        units = []
        for section in split_sections(text):
            if IMPROVE_HEADING.search(section.path.split(" > ")[-1]):
                continue
            if section.path == "Introduction" and row["report_type"] == "focused_visit":
                continue  # a letter's address and opening, not findings
            body = text[section.start : section.end]
            for unit in split_sentences(body):
                words = body[unit.start : unit.end]
                if unit.kind in ("sentence", "item") and len(words.split()) >= 6 and not _SKIP.match(words):
                    units.append((section.start + unit.start, section.start + unit.end, section.path))
        start, end, path = rng.choice(units)
        print(json.dumps({"report": row["slug"], "start": start, "end": end, "section": path,
                          "text": text[start:end]}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path, default=NATIONAL)
    parser.add_argument("--sample", type=int, help="print N sentences to label instead of scoring")
    args = parser.parse_args()
    if args.sample:
        sample(args.national, args.sample)
        return
    labelled(args.national)
    constructed(args.national)


if __name__ == "__main__":
    main()
