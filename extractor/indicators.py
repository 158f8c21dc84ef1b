"""Indicator phrase of each claim. STUB (being written)."""

from __future__ import annotations

from extractor.records import Claim


def assign_indicators(text: str, claims: list[Claim], *, lang: str) -> list[Claim]:
    """Return ``claims`` with ``indicator`` set to the phrase naming what is measured."""
    return claims
