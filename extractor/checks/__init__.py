"""Consistency checks. STUB (being written)."""

from __future__ import annotations

from extractor.records import Article, Claim, Finding


def check_article(article: Article, claims: list[Claim]) -> list[Finding]:
    return []
