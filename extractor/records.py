"""Typed records: the shapes every stage passes along.

Validation here guarantees the *shape* of a record, never the truth of its content; consistency
between figures is the job of :mod:`extractor.checks`.
All models are frozen and reject unknown fields; numbers are ``Decimal`` and serialise as strings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

__all__ = [
    "Article",
    "Claim",
    "ClaimRef",
    "Dec",
    "Direction",
    "Finding",
    "Kind",
    "Observation",
    "Qualifier",
    "Severity",
]


def _dec_str(value: Decimal) -> str:
    """Plain decimal string: no exponent, no trailing zeros (``3.0`` → ``"3"``)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value.normalize(), "f")
    return text


Dec = Annotated[Decimal, PlainSerializer(_dec_str, return_type=str, when_used="json")]

Qualifier = Literal["exact", "approx", "over", "under", "at_least", "at_most"]
Kind = Literal["level", "change", "target", "share", "multiple", "ratio"]
Direction = Literal["up", "down"]
Severity = Literal["error", "warning", "info"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(_Record):
    """One source document, its text already normalised (NFC); offsets refer to ``text``."""

    id: str
    text: str
    lang: str | None = Field(default=None, description="'vi' or 'en'; None = detect")
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None


class Claim(_Record):
    """One numeric claim, pointing at the exact span ``text == article.text[start:end]``."""

    text: str = Field(description="exact substring of the article text")
    start: int = Field(ge=0, description="character offset (Python str index) in the NFC text")
    end: int = Field(ge=0)
    value: Dec = Field(description="fully scaled value; the lower end of a range")
    value_max: Dec | None = Field(default=None, description="upper end of a range")
    of: Dec | None = Field(default=None, description="denominator of an x/y ratio")
    per: str | None = Field(default=None, description="denominator unit of a rate")
    unit: str = Field(description="canonical unit code (FORMAT.md)")
    noun: str | None = Field(default=None, description="counted noun for unit 'count'")
    qualifier: Qualifier = "exact"
    kind: Kind = "level"
    direction: Direction | None = None
    indicator: str | None = None
    period: str | None = None
    lang: str = "vi"
    sentence_start: int = Field(ge=0)
    sentence_end: int = Field(ge=0)
    low: Dec = Field(description="lower bound of the rounding interval (printed precision)")
    high: Dec = Field(description="upper bound of the rounding interval (of value_max if a range)")


class ClaimRef(_Record):
    """A pointer to a claim inside a finding."""

    start: int
    end: int
    text: str
    value: Dec | None = None
    unit: str | None = None
    article_id: str | None = None


class Finding(_Record):
    """A consistency finding with the arithmetic shown."""

    code: str = Field(description="stable rule code, e.g. 'SUM', 'GROWTH'")
    severity: Severity
    claims: list[ClaimRef]
    stated: tuple[Dec | None, Dec | None] | None = Field(
        default=None, description="interval of the stated figure (None = open end)"
    )
    implied: tuple[Dec | None, Dec | None] | None = Field(
        default=None, description="interval the other figures imply"
    )
    message_vi: str
    message_en: str
    article_id: str | None = None


class Observation(_Record):
    """One tidy row of the indicator dataset: a figure with subject, indicator and period."""

    article_id: str
    claim_index: int
    subject: str | None = None
    subject_code: str | None = None
    subject_successor: str | None = Field(
        default=None, description="the unit that took the subject over on 1 July 2025 (province/ward merger)"
    )
    indicator_key: str | None = None
    indicator_label: str | None = None
    period_label: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    base_period: str | None = None
    value: Dec
    value_max: Dec | None = None
    low: Dec
    high: Dec
    unit: str
    per: str | None = None
    kind: Kind
    direction: Direction | None = None
    qualifier: Qualifier = "exact"
    linked_claim: int | None = Field(
        default=None, description="index of the level this qualifies (the first of linked_claims)"
    )
    linked_claims: list[int] = Field(
        default_factory=list,
        description="every level this qualifies: a change stated once for several itemised pairs links each",
    )
    base_claim: int | None = Field(
        default=None, description="index of the base level a change or multiple is measured from"
    )
    start: int
    end: int
    text: str
    lang: str
