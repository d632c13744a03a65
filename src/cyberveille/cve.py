"""CVE ids in text: one pattern for extraction and scoring, giving ``CVE-YYYY-NNNN`` ids."""

from __future__ import annotations

import re

#: "CVE-2021-26855", "CVE–2018–17456" (dashes of any kind), "CVE 2021 26855", "CVE-201808115"
CVE_RE = re.compile(
    r"\bCVE[-\u2010\u2011\u2013\u2014 ]?(\d{4})[-\u2010\u2011\u2013\u2014 ]?(\d{4,7})\b",
    re.IGNORECASE,
)


def cve_of(match: re.Match[str]) -> str:
    """The canonical id of a ``CVE_RE`` match."""
    return f"CVE-{match.group(1)}-{match.group(2)}"


def cve_ids(text: str) -> set[str]:
    """Every CVE id in a text, in canonical form."""
    return {cve_of(m) for m in CVE_RE.finditer(text)}
