"""Report sections by their headings: where a report lists what must improve, and where it sums itself up."""

import re

# The sections listing what must get better; not the grade "requires improvement to be good".
IMPROVE_HEADING = re.compile(
    r"needs? to improve|recommendations?\b|priority actions?|areas? for (development|improvement)|to be improved",
    re.IGNORECASE,
)
HEADLINE_SECTION = re.compile(r"headline|overview|summary|introduction", re.IGNORECASE)
