"""Labelled questions: the JSONL format of shared/eval/README.md, read and checked line by line."""

import json
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InputError

KINDS = ("la_specific", "thematic", "judgement", "improvement", "temporal", "reading", "unanswerable")


@dataclass(frozen=True)
class Gold:
    """A sentence copied verbatim from a report that answers the question."""

    report: str
    quote: str


# What a labelled question may also be tagged as, beyond its kind (see eval/README.md).
TAGS = ("list", "named", "paraphrase", "method", "off_topic", "not_held", "not_covered")


@dataclass(frozen=True)
class Question:
    """One evaluation question and the gold quotes that answer it (none when unanswerable)."""

    id: str
    question: str
    answerable: bool
    kind: str
    gold: tuple[Gold, ...] = ()
    theme: str = ""  # what a thematic or unanswerable question is about: its fold in grouped cross-validation
    tags: tuple[str, ...] = ()


def load_questions(path: Path | str) -> list[Question]:
    """Read a questions file, one JSON object a line; a bad line is an input error naming it."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read questions ({err.__class__.__name__})") from None
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            question = _parse_question(line)
        except ValueError as err:
            raise InputError(f"{path} line {number}: {err}") from None
        if question.id in seen:
            raise InputError(f"{path} line {number}: duplicate id {question.id!r}")
        seen.add(question.id)
        questions.append(question)
    if not questions:
        raise InputError(f"{path}: no questions")
    return questions


def _parse_question(line: str) -> Question:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as err:
        raise ValueError(f"not JSON ({err.msg})") from None
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    for name, kind in (("id", str), ("question", str), ("answerable", bool), ("kind", str), ("gold", list)):
        if not isinstance(raw.get(name), kind) or (kind is str and not raw[name].strip()):
            raise ValueError(f"{name!r} is missing or not a {'non-empty string' if kind is str else kind.__name__}")
    if raw["kind"] not in KINDS:
        raise ValueError(f"unknown kind {raw['kind']!r}")
    gold = []
    for item in raw["gold"]:
        if not (isinstance(item, dict) and all(isinstance(item.get(k), str) and item[k] for k in ("report", "quote"))):
            raise ValueError("each gold entry needs a 'report' and a 'quote' string")
        gold.append(Gold(item["report"], item["quote"]))
    if raw["answerable"] != bool(gold):
        raise ValueError("an answerable question needs gold quotes and an unanswerable one must have none")
    theme, tags = raw.get("theme", ""), raw.get("tags", [])
    if not isinstance(theme, str):
        raise ValueError("'theme' must be a string")
    if not (isinstance(tags, list) and all(tag in TAGS for tag in tags)):
        raise ValueError(f"'tags' must be a list drawn from {', '.join(TAGS)}")
    return Question(raw["id"], raw["question"], raw["answerable"], raw["kind"], tuple(gold), theme.strip(), tuple(tags))
