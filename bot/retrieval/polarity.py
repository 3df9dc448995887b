"""Strength or concern: how inspectors' sentences, and the questions about them, lean.

Inspection prose is formulaic: concerns are carried by "not", "too many", "delay", "inconsistent" and
the like, strengths by "effective", "strong", "timely". The cue lists are data files. Only a sentence's main
clause counts ("While X is good, Y is not" is about Y), concern cues are matched first and blanked ("not effective"
is no praise), and one concern cue outweighs two strength cues, because inspectors hedge praise but not criticism.
Measured on hand-labelled sentences by benchmarks/polarity.py.
"""

import functools
import re

from bot.datafiles import read_rows
from bot.language.sections import IMPROVE_HEADING
from bot.language.sentence import split_sentences

STRENGTH, CONCERN, NEUTRAL = "strength", "concern", "neutral"


@functools.cache
def _cues(name: str) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(row["pattern"], re.IGNORECASE), row["polarity"]) for row in read_rows(name)]


# A conditional or concessive clause sets the scene; the main clause carries the judgement:
# "When risks are not reducing, cases are stepped up promptly" praises the stepping up.
_SCENE = r"When|If|Where|Once|Although|Though|Even though|While|Whilst|Despite"
_LEADING_CLAUSE = re.compile(rf"^(?:{_SCENE})\b[^,]{{0,200}},\s*")
# "…, when overall effectiveness was inadequate" looks back; "so that children do not wait" states a purpose.
_TRAILING_CLAUSE = re.compile(
    r"(?:,\s*(?:although|though|while|whilst|despite|when)\b|\s(?:so that|in order to|to ensure|to prevent|to avoid)\b)"
    r".*$",
    re.DOTALL,
)
# "X, but Y": what follows the last "but" is the point.
_BUT = re.compile(r"^.*,\s*but\s+", re.DOTALL)
# Problems a sentence says are prevented, absent, put right or past ("without delay", "challenge drift", "the
# weaknesses have been addressed", "judged inadequate at the last inspection"), and "not only … but".
_AVERTED = re.compile(
    r"\b(?:prevent\w*|avoid\w*|reduc\w*|minimis\w*|challeng\w*|tackl\w*|address\w*|without|free from|no)\s+"
    r"(?:any\s+|unnecessary\s+|further\s+|the\s+)?(?:drift|delays?|harm|risks?|gaps?|turnover|backlogs?)\b"
    r"|\bnot only\b|\b(?:did|do|does) not (?:delay|hesitate)\b"
    r"|\b(?:weakness\w*|failures?|shortfalls?|deficits?|concerns?|gaps?)\b(?=[^.]{0,120}\b(?:ha(?:ve|s) been|were) "
    r"(?:addressed|resolved|rectified|remedied|tackled|overcome)\b)"
    r"|\b(?:identified|judged|found|rated)(?: to be| as)? (?:inadequate|requir\w* improvement(?: to be good)?)"
    r"(?=[^.]{0,40}\b(?:inspection|visit|(?:19|20)\d\d)\b)",
    re.IGNORECASE,
)


def main_clause(text: str) -> str:
    """The clause that carries a sentence's judgement: scene-setting, purpose and "but" preambles dropped."""
    plain = _LEADING_CLAUSE.sub("", text.strip(), count=1)
    plain = _TRAILING_CLAUSE.sub("", _BUT.sub("", plain, count=1)) or text
    return _AVERTED.sub(" ", plain)


def _lean(text: str, name: str) -> str:
    counts = {STRENGTH: 0, CONCERN: 0}
    cues = _cues(name)
    # Concern cues are counted first and blanked out, so "not effective" is not also counted as "effective".
    for pattern, polarity in sorted(cues, key=lambda cue: cue[1] != CONCERN):
        counts[polarity] += len(pattern.findall(text))
        if polarity == CONCERN:
            text = pattern.sub(" ", text)
    if counts[CONCERN] and counts[CONCERN] >= counts[STRENGTH] / 2:
        return CONCERN
    return STRENGTH if counts[STRENGTH] else NEUTRAL


@functools.lru_cache(maxsize=50_000)  # candidate sentences recur across questions; the cues are many regexes
def sentence_polarity(text: str) -> str:
    """Whether an inspector's sentence (or short passage) states a strength, a concern, or neither."""
    clauses = [main_clause(text[u.start : u.end]) for u in split_sentences(text)] or [text]
    return _lean(" … ".join(clauses), "polarity.csv")  # each sentence's main clause, cues counted together


def quote_polarity(text: str, section: str) -> str:
    """A quote's lean, knowing where it was cut from: an item under "What needs to improve" is a concern."""
    return CONCERN if IMPROVE_HEADING.search(section.split(" > ")[-1]) else sentence_polarity(text)


def question_polarity(text: str) -> str:
    """Whether a question asks about problems, about good practice, or about either."""
    lean = _lean(text, "question_polarity.csv")
    return lean
