"""Read a staff question: the local authorities, years, report type and cues it names, with abbreviations expanded."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from bot.datafiles import read_rows
from bot.language.councils import local_authorities, name_forms
from bot.language.groups import neighbours_named, region_mentions, size_named
from bot.language.reports import type_phrases
from bot.language.words import APOSTROPHES, fold_name
from bot.retrieval.years import year_bounds, year_mentions

__all__ = ["ParsedQuery", "expand_abbreviations", "parse_query"]

_SEP = r"[\s\-–—,]+"
_AND = r"(?:\s*[&+]\s*|[\s,]+and\s+)"
_TOKENS = {"st": r"(?:st\.?|saint)", "upon": r"(?:upon|on)", "on": r"(?:upon|on)"}
REPORT_TYPES_TABLE = "report_types"  # the phrases of bot.language.reports, beside the plain phrase tables
_GAP = r"(?:[\s,]+[\w']+){0,3}?[\s,]+"  # what "..." stands for in intents.csv
# Regions that contain an LA's name but are not that LA: they match, and name nothing.
_NOT_PLACES = ("new york", "yorkshire", "yorks", "greater manchester")
# LA names that are also ordinary words: they count only with a sign that the place is meant.
_ORDINARY = frozenset({"reading", "bury", "barking", "bath", "bucks", "staffs", "stoke", "havering"})
_WORD_AFTER = re.compile(
    r"(?i)\s*(?:the|a|an|this|that|these|those|it|its|them|their|his|her|my|our|your|through|up\s+on|into|about|"
    r"lists?|ages?|levels?|skills?|books?|materials?|glasses|time|mad|and\s+writing|comprehension)\b"
)
_WORD_BEFORE = re.compile(
    r"(?i)\b(?:i|i'm|im|am|is|are|was|were|be|been|being|we|you|they|he|she|keep|kept|start|started|stop|enjoy|enjoys|"
    r"love|loves|like|likes|while|further|bedtime|shared|careful|close|quick|without|worth|just|good|poor|dogs?|"
    r"their|his|her|my|your|our)\s*$"
)
_PLACE_AFTER = re.compile(
    r"(?i)\s*(?:[-–—:|(]|(?:19|20)\d\d\b|'\d\d\b|(?:council|borough|las?|local\s+authority|children|childrens|"
    r"children's|kids|young|care|leaving|looked|families|family|front\s+door|social|staff|leaders|leadership|"
    r"senior|managers|ofsted|inspection|inspectors|focused|monitoring|report)\b)"
)
_PLACE_BEFORE = re.compile(r"\b(?:in|for|at|about|did|does|do|from|vs|versus|than)\s*$", re.I)
_VERB_AFTER = re.compile(r"\s*(?:has|had|have|got|gets|was|were|did|does|rated|judged|received|came)\b", re.I)
_LATEST = re.compile(
    r"(?i)\b(?:latest|most\s+recent(?:ly)?|newest|current(?:ly)?|now|nowadays|these\s+days|recent(?:ly)?|"
    r"up[\s-]to[\s-]date|last\s+(?:\w+\s+){0,2}?(?:inspection|visit|report|ilacs|fv|sif|jtai|one|time|judgement|"
    r"grade|rating|outcome)s?)\b"
)
_PAST = re.compile(
    r"(?i)\b(?:back\s+in|back\s+then|previous(?:ly)?|earlier|used\s+to|compar(?:e|ed|ing|ison)|since|between|"
    r"improved|improving|changed|changes?|sorted|(?:get|gets|getting|got|gotten)\s+better|worse|deteriorat\w*|"
    r"declined|over\s+time|over\s+the\s+years|history|historically|journey|ago|still|any\s*more|held\s+up|"
    r"(?:each|every)\s+(?:inspection|visit)|originally)\b"
)


@dataclass(frozen=True)
class ParsedQuery:
    """What a question asks for, as filters and hints for retrieval."""

    text: str  # the question as given
    search_text: str  # the question with the expansions appended, for keyword and dense search
    topic_text: str  # search_text less the places and years, which filters handle: what the question is about
    local_authorities: tuple[str, ...]  # canonical names in order of mention; "Northants" gives both candidates
    years: tuple[int, ...]  # years mentioned, in order
    since: int | None  # inclusive lower bound: "since 2020", "after 2019", "from 2021 onwards"
    until: int | None  # inclusive upper bound: "before 2020", "up to 2019", "until 2018"
    latest: bool  # "latest", "last inspection", "most recent", "current", "now"
    past: bool  # a year, or a question about the past or change over time
    report_type: str | None  # a key of the report-type table (held or not); None if none or mixed
    expansions: tuple[str, ...]  # what expand_abbreviations added
    other_places: tuple[str, ...] = ()  # councils outside England named, which Ofsted does not inspect
    frame_text: str = ""  # the question less the places and years: what kind of answer it wants, for the router
    cues: tuple[str, ...] = ()  # the intents the phrase table (intents.csv) finds, in a fixed order
    regions: tuple[str, ...] = ()  # English regions named ("in the North West"), outside any council's name
    neighbours_of: str = ""  # whose statistical neighbours it asks across: a council, "we", or ""
    size: str = ""  # a size band of councils it asks across ("large councils")


def _pattern(phrase: str, cased: frozenset[str] = frozenset()) -> str:
    """A regex for a phrase: any spaces, hyphens or commas between words, '&' for 'and', 'St.' for 'St'."""
    out = ""
    for i, part in enumerate(phrase.split("...")):
        tokens = re.findall(r"[^\W_]+(?:'[^\W_]+)*|&", part.translate(APOSTROPHES))
        out += _GAP if i else ""
        for j, tok in enumerate(tokens):
            if tok.lower() in ("and", "&"):
                out += _AND
                continue
            out += _SEP if j and tokens[j - 1].lower() not in ("and", "&") else ""
            plain = _TOKENS.get(tok.lower(), re.escape(tok.lower()).replace("'", "'?"))
            out += f"(?-i:{re.escape(tok)})" if tok in cased else plain
    return out


def _alternation(phrases: list[str], cased: frozenset[str] = frozenset()) -> str:
    """Phrases as one regex, longest first, grouped by first letter so that a long text is scanned quickly."""
    by_letter: dict[str, list[str]] = {}
    for phrase in sorted(set(phrases), key=lambda p: (-len(p.split()), -len(p), p)):
        by_letter.setdefault(phrase[0].lower(), []).append(_pattern(phrase, cased))
    return "|".join(f"(?=[{re.escape(c)}{re.escape(c.upper())}])(?:{'|'.join(ps)})" for c, ps in by_letter.items())


@functools.cache
def _places() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]], re.Pattern[str]]:
    """The canonical names, each folded name or alias to its LAs, and one regex for them all."""
    index: dict[str, tuple[str, ...]] = {fold_name(p): () for p in _NOT_PLACES}
    for form, names in name_forms().items():
        index[form] = tuple(dict.fromkeys(index.get(form, ()) + names))
    regex = re.compile(rf"(?<![\w&.@])(?P<name>{_alternation(list(index))})(?P<poss>'s|'(?!\w)|s)?(?![\w&]|\.\w)", re.I)
    return local_authorities(), index, regex


@functools.cache
def _abbreviations() -> tuple[dict[str, tuple[str, ...]], re.Pattern[str]]:
    """Each folded short form or phrase to its expansions, and one regex that finds them, plurals included."""
    rows = read_rows("abbreviations.csv")
    cased = frozenset(r["abbreviation"] for r in rows if r["case_sensitive"] == "true")
    index: dict[str, list[str]] = {}
    for row in rows:
        index.setdefault(fold_name(row["abbreviation"]), []).append(row["expansion"])
    body = _alternation([r["abbreviation"] for r in rows], cased)
    regex = re.compile(rf"(?<![\w&])(?P<name>{body})(?:'?s)?(?!\w)", re.I)
    return {k: tuple(dict.fromkeys(v)) for k, v in index.items()}, regex


@functools.cache
def _cues(name: str) -> tuple[list[str], re.Pattern[str]]:
    """The second column of a phrase table (report types: their own table's phrases and keys), and one regex whose
    group `p<i>` is the phrase of row i."""
    rows = list(type_phrases()) if name == REPORT_TYPES_TABLE else [tuple(r.values())[:2] for r in read_rows(name)]
    order = sorted(range(len(rows)), key=lambda i: (-len(rows[i][0].split()), -len(rows[i][0])))
    body = "|".join(f"(?P<p{i}>{_pattern(rows[i][0])})" for i in order)
    return [row[1] for row in rows], re.compile(rf"(?<![\w&])(?:{body})(?:'?s)?(?!\w)", re.I)


def _found(name: str, text: str) -> list[str]:
    """What each phrase of a table that occurs in the text stands for, in order; longer phrases win."""
    values, regex = _cues(name)
    return [values[int(m.lastgroup[1:])] for m in regex.finditer(text) if m.lastgroup]


def expand_abbreviations(text: str) -> tuple[str, ...]:
    """The expansions of the abbreviations and synonyms in a text, less any the text already spells out."""
    index, regex = _abbreviations()
    plain = text.translate(APOSTROPHES)
    found = [e for m in regex.finditer(plain) for e in index.get(fold_name(m.group("name")), ())]
    return tuple(e for e in dict.fromkeys(found) if e.lower() not in plain.lower())


def _means_place(text: str, match: re.Match[str]) -> bool:
    """Whether an LA name that is also an ordinary word ("reading", "bury") is used as the place."""
    word, poss, after = match.group("name"), match.group("poss") or "", text[match.end() : match.end() + 40]
    before = text[max(0, match.start() - 40) : match.start()]
    opens = not before.strip() or before.rstrip()[-1] in ".!?;\n\"'*•>"
    if _WORD_AFTER.match(after):
        return False
    if poss.startswith("'") or (word[0].isupper() and (not opens or not after.strip(" ?!."))):
        return True
    if poss or _WORD_BEFORE.search(before):
        return False
    if _PLACE_AFTER.match(after) or _abbreviations()[1].match(after.lstrip()) or _PLACE_BEFORE.search(before):
        return True
    return word[0].isupper() and bool(_VERB_AFTER.match(after))


def _place_mentions(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, canonical names) for each LA mention; an ambiguous form gives all its candidates."""
    _, index, regex = _places()
    found = []
    for match in regex.finditer(text):
        key = fold_name(match.group("name"))
        if key not in _ORDINARY or _means_place(text, match):
            found.append((match.start(), match.end(), index.get(key, ())))
    return found


@functools.cache
def _other_councils() -> tuple[dict[str, dict[str, str]], re.Pattern[str]]:
    rows = {row["name"].lower(): row for row in read_rows("other_councils.csv")}
    names = sorted(rows, key=len, reverse=True)
    return rows, re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")(?:'?s)?\b", re.IGNORECASE)


def other_council(name: str) -> dict[str, str]:
    """The nation and inspectorate of a council outside England."""
    return _other_councils()[0][name.lower()]


def _local_authorities(text: str) -> tuple[str, ...]:
    """Canonical names of the LAs a text mentions, in order."""
    return tuple(dict.fromkeys(name for _, _, names in _place_mentions(text) for name in names))


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans blanked out; overlapping spans count as one."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + " " + text[end:]
    return re.sub(r"\s+", " ", text).strip()


def parse_query(question: str, *, today: date | None = None) -> ParsedQuery:
    """Read the filters and hints a question carries; `today` anchors "last year" and "this year"."""
    text = question.translate(APOSTROPHES)
    today = today or date.today()
    mentions = year_mentions(text, today)
    since, until = year_bounds(text, mentions, today)
    # One kind of report narrows the search; a question naming two is comparing them, so it names none.
    kinds = list(dict.fromkeys(_found(REPORT_TYPES_TABLE, text)))
    intents = set(_found("intents.csv", text))
    expansions = expand_abbreviations(text)
    mentions_of_places = _place_mentions(text)
    places = [(start, end) for start, end, _ in mentions_of_places]
    blanked = list(text)  # council names blanked, so "North" in "North Tyneside" is not the North East
    for start, end in places:
        blanked[start:end] = " " * (end - start)
    regions = region_mentions("".join(blanked))
    places += [(start, end) for start, end, _ in regions]
    # Intent cues ("areas for improvement", "what grade") say what kind of answer, not what it is about.
    cues = [m.span() for m in _cues("intents.csv")[1].finditer(text) if m.lastgroup]
    years = [(start, end) for start, end, _ in mentions]
    topic = _without(text, places + cues + years)
    return ParsedQuery(
        text=question,
        search_text=" ".join((question, *expansions)),
        topic_text=" ".join((topic, *expansions)),
        local_authorities=_local_authorities(text),
        years=tuple(dict.fromkeys(year for _, _, year in mentions)),
        since=since,
        until=until,
        latest=bool(_LATEST.search(text)),
        past=bool(mentions or _PAST.search(text)),
        report_type=kinds[0] if len(kinds) == 1 else None,
        expansions=expansions,
        other_places=tuple(dict.fromkeys(m.group(1).title() for m in _other_councils()[1].finditer(text))),
        frame_text=_without(text, places + years),
        cues=tuple(i for i in ("judgement", "improvement", "overview") if i in intents),
        regions=tuple(dict.fromkeys(region for _, _, region in regions)),
        neighbours_of=neighbours_named(text, mentions_of_places),
        size=size_named(text),
    )
