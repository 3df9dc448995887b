"""Characters a reader can see: one kind of line break, no invisible controls, no half characters.

Slack messages and Word documents both show report text through `visible`, so a quote reads the same in each.
"""

import re

# Every line break str.splitlines() knows, as one "\n": a block quote marks each line with ">", so the count
# of lines must be the count of "\n".
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Characters a reader never sees as text, dropped from what is shown (a quote's visible characters are
# untouched): C0 and C1 controls other than tab and newline, which Slack shows as boxes or not at all, and
# bidi controls, which can make a quote read backwards and carry the reversal into our attribution and link.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A surrogate on its own is half of a character: it cannot be encoded as UTF-8, so no JSON carrying it is valid.
_SURROGATE = re.compile("[\ud800-\udfff]")


def visible(text: str) -> str:
    """Text as it can be shown: one kind of line break, no invisible controls, no half characters."""
    return _SURROGATE.sub("\ufffd", _INVISIBLE.sub("", _BREAKS.sub("\n", text)))
