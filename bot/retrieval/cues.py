"""What a question's wording and a report's layout signal: comparison over time, method, a letter's preamble."""

import datetime as dt
import functools
import re

from bot.language.reports import type_phrases
from bot.retrieval.keyword import tokenize
from bot.retrieval.query import ParsedQuery

# Stock sentences (Ofsted's description of itself, the visit's method) answer only a question about method: one
# the router is sure of, or one it leans to and whose words ask what was covered or how.
METHOD_LEANING = 0.8


@functools.cache
def not_topic_words() -> frozenset[str]:
    """Report-type abbreviations ("FV", "SIF") and months: they place a question, they are not its topic."""
    months = [dt.date(2000, m, 1).strftime(f) for m in range(1, 13) for f in ("%B", "%b")]
    short = [p for p, _ in type_phrases() if p.isupper()]
    return frozenset(tokenize(" ".join([*short, *months, "sept", "inspection", "visit", "report"])))


# Words that ask what an inspection covered or how it was done; they confirm a leaning the router is unsure of.
FOCUS_CUE = re.compile(r"\b(look(ed)? at|focus(ed)?|about what|carr(y|ied) out|methodology|remote(ly)?|on site)\b",
                        re.IGNORECASE)


def asks_method(question: str, leaning_to_method: float) -> bool:
    """True when a question asks how the inspection was done or what it covered, so its method text may answer."""
    return leaning_to_method >= METHOD_LEANING or (leaning_to_method >= 0.5 and bool(FOCUS_CUE.search(question)))



_COMPARE = re.compile(
    r"\b(compare|comparison|since|between|progress|better|worse|improved|improving|deteriorat|sorted|held up|"
    r"changed|change since|still|any more|anymore|after the|before the|moved on|now)\b",
    re.IGNORECASE,
)


def comparative(parsed: ParsedQuery) -> bool:
    """True when a question compares reports over time rather than asking about one."""
    return len(parsed.years) > 1 or (parsed.latest and bool(parsed.years)) or (
        parsed.past and bool(_COMPARE.search(parsed.text))
    )


# A follow-up that leans on the question before it: "and for care leavers?", "what about 2019?", "same for Essex".
_ELLIPTICAL = re.compile(r"^\W*(and|or|also|plus|what about|how about|same for|same again|then)\b", re.IGNORECASE)
ELLIPTICAL_WORDS = 8


def elliptical(question: str) -> bool:
    """True for a short follow-up that leaves its kind of answer to the question before it."""
    return bool(_ELLIPTICAL.match(question)) and len(question.split()) <= ELLIPTICAL_WORDS


# A question about what Ofsted or its inspectors said is answered from Ofsted's own reports, never the news.
_OFSTED = re.compile(r"\b(ofsted|inspectors?|inspection|HMI|focused visit|monitoring visit|ILACS|SIF)\b", re.IGNORECASE)


def asks_ofsted(question: str) -> bool:
    """True when a question asks what Ofsted said, so secondary sources (news, a council's release) cannot answer."""
    return bool(_OFSTED.search(question))
