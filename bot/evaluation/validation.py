"""Validation of labelled questions: every gold quote verbatim in its report, and the set spread as it claims."""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.evaluation.metrics import MIN_SHARED_WORDS
from bot.evaluation.questions import Question
from bot.language.words import words

# A question that repeats this many words of its gold quote in a row was written from the quote, not from a need.
MAX_COPIED_RUN = 6
MAX_GOLD_WORDS = 110
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ReportInfo:
    """What validation needs of a report: its text, its council and its kind."""

    text: str
    local_authority: str
    report_type: str


@dataclass
class Coverage:
    """How a question set is spread: by kind, tag, council and report type of its gold quotes."""

    questions: int = 0
    kinds: Counter = field(default_factory=Counter)
    tags: Counter = field(default_factory=Counter)
    councils: Counter = field(default_factory=Counter)
    report_types: Counter = field(default_factory=Counter)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def longest_shared_run(question: str, quote: str) -> int:
    """The longest run of consecutive words the question shares with the quote."""
    a, b = _words(question), _words(quote)
    best = 0
    previous = [0] * (len(b) + 1)
    for word in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, 1):
            if word == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def check_question(question: Question, report: Callable[[str], ReportInfo | None]) -> list[str]:
    """The problems with one labelled question; empty when it is sound."""
    problems = []
    for gold in question.gold:
        info = report(gold.report)
        if info is None:
            problems.append(f"gold report {gold.report!r} is not among the reports")
            continue
        if gold.quote not in info.text:
            problems.append(f"gold quote is not character for character in {gold.report}: {gold.quote[:60]!r}")
        if len(gold.quote.split()) > MAX_GOLD_WORDS:
            problems.append(f"gold quote is over {MAX_GOLD_WORDS} words: quote one sentence, not a paragraph")
        if longest_shared_run(question.question, gold.quote) >= MAX_COPIED_RUN:
            problems.append(f"question repeats {MAX_COPIED_RUN}+ words of its gold quote in a row: paraphrase it")
    if question.gold and all(len(words(g.quote)) < MIN_SHARED_WORDS for g in question.gold):
        problems.append(f"no gold quote has {MIN_SHARED_WORDS} scoring words, so no excerpt can ever support it: "
                        "add a longer gold sentence that answers it")
    if question.kind == "thematic":
        if len({g.report for g in question.gold}) < 2:
            problems.append("a thematic question needs gold quotes from at least two reports")
        if not question.theme:
            problems.append("a thematic question needs a 'theme' (its fold in cross-validation)")
    if question.kind == "unanswerable" and question.answerable:
        problems.append("kind 'unanswerable' but answerable is true")
    return problems


def check_questions(questions: list[Question], report: Callable[[str], ReportInfo | None]) -> dict[str, list[str]]:
    """Problems by question id, including questions asked twice in the same words."""
    found: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    for question in questions:
        problems = check_question(question, report)
        key = " ".join(_words(question.question))
        if key in seen:
            problems.append(f"same question as {seen[key]}")
        seen.setdefault(key, question.id)
        if problems:
            found[question.id] = problems
    return found


def coverage(questions: list[Question], report: Callable[[str], ReportInfo | None]) -> Coverage:
    """Count the kinds, tags, councils and report types a question set covers."""
    spread = Coverage(questions=len(questions))
    for question in questions:
        spread.kinds[question.kind] += 1
        spread.tags.update(question.tags)
        infos = [info for info in (report(g.report) for g in question.gold) if info]
        spread.councils.update({info.local_authority for info in infos})
        spread.report_types.update({info.report_type for info in infos})
    return spread
