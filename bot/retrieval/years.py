"""The years a question names: "2021", "'21", "2018-21", "last year", "since 2020", "between 2018 and 2022"."""

import itertools
import re
from datetime import date

_YEAR = re.compile(r"(?<![\d£$])(?:199\d|20[0-3]\d)(?![\d%])|(?<![\w'])'(\d\d)(?![\d']|s\b)")
_SHORT_END = re.compile(r"\s*[-–/]\s*(\d\d)(?!\d)")  # "2018-21", "2022/23"
_RANGE = re.compile(r"\s*(?:-|–|—|/|to|until|till|through)\s*", re.I)
_BETWEEN = re.compile(r"\bbetween\s+(?:\S+\s+){0,3}$", re.I)
_AND_THEN = re.compile(r"(?:\s*\S+){0,3}?\s+and\s+(?:\S+\s+){0,3}", re.I)
_SINCE = re.compile(r"\b(?:since|after|post)(?:\s+|-)(?:[\w']+\s+){0,3}$", re.I)
_UNTIL = re.compile(r"\b(?:before|until|till|up\s+to|prior\s+to|pre)(?:\s+|-)(?:[\w']+\s+){0,3}$", re.I)
_ONWARDS = re.compile(r"\s*(?:onwards?|on\b|or\s+later|and\s+after)", re.I)
_EARLIER = re.compile(r"\s*(?:or\s+earlier|and\s+before)", re.I)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
# "last year" is the calendar year; "in the last year" is a report's own twelve months, and no filter.
_RELATIVE = re.compile(r"(?<!the )\b(last|this) year\b|\b(\d|one|two|three|four|five) years? ago\b", re.I)
_LAST_YEARS = re.compile(r"\b(?:last|past)\s+(\d|two|three|four|five|six|seven|eight)\s+years\b", re.I)


def year_mentions(text: str, today: date) -> list[tuple[int, int, int]]:
    """(start, end, year) for years written "2021", "'21", "2018-21", "last year", "this year", "two years ago"."""
    mentions = []
    for m in _YEAR.finditer(text):
        short = m.group(1) and int(m.group(1))
        year = int(m.group(0)) if short is None else short + (1900 if short >= 90 else 2000)
        if year > 2039:
            continue
        mentions.append((m.start(), m.end(), year))
        end = _SHORT_END.match(text, m.end()) if short is None else None
        if end and int(end.group(1)) > year % 100:
            mentions.append((end.start(1), end.end(1), year - year % 100 + int(end.group(1))))
    for m in _RELATIVE.finditer(text):
        ago = m.group(2) and (_NUMBERS.get(m.group(2).lower()) or int(m.group(2)))
        back = ago if ago else int(m.group(1).lower() == "last")
        mentions.append((m.start(), m.end(), today.year - back))
    return sorted(mentions)


def year_bounds(text: str, mentions: list[tuple[int, int, int]], today: date) -> tuple[int | None, int | None]:
    """Inclusive year bounds, generous so that the report a question measures from stays in."""
    lows: list[int] = []
    highs: list[int] = []
    paired: set[int] = set()
    for (s1, e1, y1), (s2, _, y2) in itertools.pairwise(mentions):
        spoken = _BETWEEN.search(text, max(0, s1 - 40), s1) and _AND_THEN.fullmatch(text, e1, s2)
        if y1 <= y2 and (_RANGE.fullmatch(text, e1, s2) or spoken):
            lows, highs, paired = [*lows, y1], [*highs, y2], paired | {s1, s2}
    for start, end, year in mentions:
        if start in paired:
            continue
        if _SINCE.search(text, max(0, start - 40), start) or _ONWARDS.match(text, end):
            lows.append(year)
        elif _UNTIL.search(text, max(0, start - 40), start) or _EARLIER.match(text, end):
            highs.append(year)
    lows += [today.year - int(_NUMBERS.get(m.group(1).lower(), m.group(1))) for m in _LAST_YEARS.finditer(text)]
    return min(lows, default=None), max(highs, default=None)
