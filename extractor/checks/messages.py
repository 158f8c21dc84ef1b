"""One-line explanations that show the arithmetic, in Vietnamese and in English.

Figures are quoted as printed (with their qualifier and direction); computed values are written in
the units of the figure they stand for (``29,6–29,9 tỉ đồng``), the Vietnamese way in ``message_vi``
(``8.100``, ``29,6``) and the English way in ``message_en``.
"""

from __future__ import annotations

from decimal import Decimal

from extractor.checks.intervals import (
    Interval,
    fmt_interval,
    fmt_number,
    printed_numbers,
    span_affixes,
)
from extractor.records import Claim

__all__ = ["Say", "show", "show_interval"]

_QUALIFIER = {
    "vi": {"approx": "khoảng ", "over": "hơn ", "under": "dưới ", "at_least": "ít nhất ", "at_most": "tối đa "},
    "en": {"approx": "about ", "over": "over ", "under": "under ", "at_least": "at least ", "at_most": "at most "},
}
_DIRECTION = {"vi": {"up": "tăng ", "down": "giảm "}, "en": {"up": "up ", "down": "down "}}


def show(claim: Claim, lang: str, *, direction: bool = True) -> str:
    """A figure as printed, with its qualifier (and direction for a change): ``hơn 2.400 hộ``."""
    words = _QUALIFIER["en" if lang == "en" else "vi"]
    dirs = _DIRECTION["en" if lang == "en" else "vi"]
    head = dirs.get(claim.direction or "", "") if direction and claim.kind == "change" else ""
    return f"{head}{words.get(claim.qualifier, '')}{claim.text}"


def _unit_of(claim: Claim) -> tuple[Decimal, str, str]:
    """Scale, prefix and suffix to write a value in the units of ``claim`` (``tỉ đồng``, ``US$``)."""
    nums = printed_numbers(claim.text, claim.lang)
    prefix, suffix = span_affixes(claim.text, claim.lang)
    if nums and nums[0].value:
        return claim.value / nums[0].value, prefix, suffix
    return Decimal(1), "", f" ({claim.text})" if claim.unit not in ("times", "percent") else ""


def show_interval(interval: Interval, like: Claim, lang: str) -> str:
    """``interval`` in the units of the printed figure ``like``: ``29,6–29,9 tỉ đồng``."""
    scale, prefix, suffix = _unit_of(like)
    if like.unit == "percent" and not suffix.strip():
        suffix = "%"
    return fmt_interval(interval, lang, scale=scale, prefix=prefix, suffix=suffix)


def pct(value: Decimal, lang: str) -> str:
    return fmt_number(value.normalize(), lang) + "%"


class Say:
    """Both messages of a finding: ``Say(vi=..., en=...)``."""

    __slots__ = ("en", "vi")

    def __init__(self, *, vi: str, en: str) -> None:
        self.vi = vi
        self.en = en
