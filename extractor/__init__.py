"""chiso — numeric claims from Vietnamese and English press reports.

Public API (a handful of names)::

    extract(text, *, lang="vi", date=None) -> list[Claim]
    extract_article(article) -> list[Claim]
    check(text_or_article, claims=None, *, lang=..., date=...) -> list[Finding]
    observe(article, claims=None) -> list[Observation]
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from extractor.records import Article, Claim, Finding, Observation

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "Article",
    "Claim",
    "Finding",
    "Observation",
    "check",
    "detect_lang",
    "extract",
    "extract_article",
    "observe",
]
__version__ = "0.1.0"


def detect_lang(text: str) -> str:
    """Guess 'vi' or 'en' from diacritics and function words (no model download)."""
    from extractor.langdetect import detect

    return detect(text)


def extract(
    text: str, *, lang: str | None = "vi", date: dt.date | str | None = None
) -> list[Claim]:
    """Every numeric claim in ``text``; offsets refer to ``text`` after NFC normalisation.

    ``lang`` is ``"vi"``, ``"en"`` or ``None``/``"auto"`` to detect it per paragraph.
    ``date`` (the article's date) resolves relative periods such as ``năm qua``.
    """
    from extractor.claims import extract_claims

    return extract_claims(text, lang=lang, date=_as_date(date))


def extract_article(article: Article) -> list[Claim]:
    """Claims of an :class:`Article`, using its language and date."""
    return extract(article.text, lang=article.lang, date=article.date)


def check(
    article: Article | str,
    claims: Sequence[Claim] | None = None,
    *,
    lang: str | None = "vi",
    date: dt.date | str | None = None,
) -> list[Finding]:
    """Consistency findings for one article (extracting its claims if not given)."""
    from extractor.checks import check_article

    if isinstance(article, str):
        article = Article(id="-", text=article, lang=lang, date=_as_date(date))
    if claims is None:
        claims = extract_article(article)
    return check_article(article, list(claims))


def observe(article: Article, claims: Sequence[Claim] | None = None) -> list[Observation]:
    """Tidy indicator observations (subject, indicator key, period, links) for one article."""
    from extractor.observations import observe_article

    if claims is None:
        claims = extract_article(article)
    return observe_article(article, list(claims))


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
