"""Claims: quantities interpreted (qualifier, kind, direction, indicator, period). STUB."""

from __future__ import annotations

import datetime as dt

from extractor.records import Claim


def extract_claims(text: str, *, lang: str | None = "vi", date: dt.date | None = None) -> list[Claim]:
    return []
