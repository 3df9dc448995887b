"""Spot personal data about children and families in a message, and hash identifiers for logs and votes."""

import datetime as dt
import hashlib
import re

NHS_NUMBER = "nhs_number"
NI_NUMBER = "ni_number"
DATE_OF_BIRTH = "date_of_birth"
NAME_AND_POSTCODE = "name_and_postcode"

# 3-3-4 with one consistent separator (or none), not part of a longer run of digits.
_NHS = re.compile(r"(?<![\d-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d-])")
# HMRC: first letter never D F I Q U V; second never D F I O Q U V; a few pairs are never issued.
_NI = re.compile(
    r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?([A-D])(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_NI_NEVER_ISSUED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"(?<!\d)(?:(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}|\d{{2}})"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s+(\d{{4}}))(?!\d)",
    re.IGNORECASE,
)
# A date counts as a date of birth only with a cue close by: dates of visits and reports are everywhere.
_DOB_CUE = re.compile(r"\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|birthday)", re.IGNORECASE)
_CUE_BEFORE = 25
_CUE_AFTER = 12
_POSTCODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?![A-Za-z0-9])", re.IGNORECASE)
# A lookahead, so that overlapping pairs are all tried: "Dear Jane Smith" yields "Dear Jane" and "Jane Smith".
_WORD = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"  # Smith, O'Brien, McDonald, Smith-Jones
_NAME = re.compile(rf"\b(?=({_WORD})\s+({_WORD})\b)")
# Capitalised words that make a place, an organisation or a sentence opening, not a person's name.
_NOT_NAMES = frozenset({
    "council", "county", "borough", "city", "district", "metropolitan", "children", "childrens", "children's",
    "children’s", "services", "service", "street", "road", "lane", "avenue", "close", "drive", "way", "hall", "house",
    "court", "centre", "center", "office", "offices", "school", "academy", "ofsted", "inspection", "report", "focused",
    "visit", "what", "how", "why", "when", "where", "which", "who", "does", "did", "is", "are", "was", "were", "can",
    "could", "the", "a", "an", "in", "at", "for", "of", "and", "or", "to", "near", "by", "my", "our", "their", "his",
    "her", "please", "thanks", "hi", "hello", "dear", "team", "unit",
})
_NEAR = 40


def digest(value: str, length: int = 12) -> str:
    """A short sha256 hex prefix: enough to join log lines and votes, not enough to read the value back."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]


def valid_nhs_number(digits: str) -> bool:
    """True when ten digits carry a correct modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _has_nhs_number(text: str) -> bool:
    return any(valid_nhs_number(m.group(1) + m.group(3) + m.group(4)) for m in _NHS.finditer(text))


def _has_ni_number(text: str) -> bool:
    return any(m.group(1).upper() not in _NI_NEVER_ISSUED for m in _NI.finditer(text))


def _real_date(match: re.Match[str]) -> bool:
    if match.group(1):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        year += 2000 if year < 100 else 0
    else:
        day, month, year = int(match.group(5)), _MONTHS[match.group(6).lower()], int(match.group(7))
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _has_date_of_birth(text: str) -> bool:
    for match in _DATE.finditer(text):
        before = text[max(0, match.start() - _CUE_BEFORE) : match.start()]
        after = text[match.end() : match.end() + _CUE_AFTER]
        if (_DOB_CUE.search(before) or _DOB_CUE.search(after)) and _real_date(match):
            return True
    return False


def _is_name(match: re.Match[str]) -> bool:
    return not any(word.lower() in _NOT_NAMES for word in match.groups())


def _has_name_by_postcode(text: str) -> bool:
    for postcode in _POSTCODE.finditer(text):
        window = text[max(0, postcode.start() - _NEAR) : postcode.end() + _NEAR]
        if any(_is_name(name) for name in _NAME.finditer(window)):
            return True
    return False


def find_personal_data(text: str) -> tuple[str, ...]:
    """The kinds of personal data a message seems to contain, in a fixed order; empty when none."""
    checks = (
        (NHS_NUMBER, _has_nhs_number),
        (NI_NUMBER, _has_ni_number),
        (DATE_OF_BIRTH, _has_date_of_birth),
        (NAME_AND_POSTCODE, _has_name_by_postcode),
    )
    return tuple(kind for kind, check in checks if check(text))
