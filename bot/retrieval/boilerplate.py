"""Stock sentences: prose that many reports share nearly word for word, found from the corpus itself.

Ofsted's description of itself, the visit's method, letter openings and sign-offs and the SIF's "what the
judgements mean" are repeated in report after report with only the council's name, the dates and the
numbers changed. A sentence's signature drops exactly those (capitalised words after the first, month names
and digits), so the copies in every report share one signature; a signature shared by a good part of the
reports of one kind is stock. Nothing here is a hand list, so a new framework's boilerplate is found the
same way once enough of its reports are held.
"""

import functools
import re
from collections import Counter
from collections.abc import Iterable

# A signature shared by this share of the reports of one kind (of at least MIN_KIND reports) is stock.
STOCK_SHARE = 0.10
MIN_REPORTS = 5
MIN_KIND = 20
MIN_SIGNATURE_WORDS = 6
_MONTHS = frozenset(("january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december"))
_JOINERS = frozenset(("and", "upon", "on", "of", "with", "in", "the"))
_WORD = re.compile(r"[A-Za-z]+")


@functools.lru_cache(maxsize=50_000)
def signature(text: str) -> str:
    """A sentence as its common words: lowercase, without names, months or numbers; '' when too short to tell."""
    found = _WORD.findall(text)
    named = [bool(i and w[0].isupper()) for i, w in enumerate(found)]
    # "and", "upon", "of" inside a name ("Barking and Dagenham", "Kingston upon Thames") go with the name.
    inside = [0 < i < len(found) - 1 and named[i - 1] and named[i + 1] and w in _JOINERS for i, w in enumerate(found)]
    words = [w.lower() for w, n, j in zip(found, named, inside, strict=True) if not (n or j)]
    words = [w for w in words if w not in _MONTHS]
    return " ".join(words) if len(words) >= MIN_SIGNATURE_WORDS else ""


def stock_shares(sentences: Iterable[tuple[str, str, str]], report_kinds: dict[str, str]) -> dict[str, float]:
    """Signature -> the largest share of one kind's reports (or of all reports) it occurs in, for stock ones.

    `sentences` gives (report id, report kind, sentence text) for every prose sentence held.
    """
    reports_by_signature: dict[str, set[str]] = {}
    for report_id, _, text in sentences:
        key = signature(text)
        if key:
            reports_by_signature.setdefault(key, set()).add(report_id)
    per_kind = Counter(report_kinds.values())
    total = max(1, len(report_kinds))
    shares: dict[str, float] = {}
    for key, reports in reports_by_signature.items():
        if len(reports) < MIN_REPORTS:
            continue
        kinds = Counter(report_kinds.get(rid, "") for rid in reports)
        share = max([kinds[k] / per_kind[k] for k in kinds if per_kind[k] >= MIN_KIND] + [len(reports) / total])
        if share >= STOCK_SHARE:
            shares[key] = round(share, 4)
    return shares
