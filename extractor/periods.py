"""Period of each claim (year, term, quarter...). STUB (being written)."""

from __future__ import annotations

import datetime as dt

from extractor.records import Claim


def assign_periods(text: str, claims: list[Claim], *, lang: str, date: dt.date | None) -> list[Claim]:
    """Return ``claims`` with ``period`` set where the text makes it clear."""
    return claims
