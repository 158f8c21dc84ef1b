"""Claims → indicator observations. STUB (being written)."""

from __future__ import annotations

from extractor.records import Article, Claim, Observation


def observe_article(article: Article, claims: list[Claim]) -> list[Observation]:
    return []
