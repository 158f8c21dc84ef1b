"""Interval arithmetic for printed figures (XBRL Calculations 1.1 style).

A printed figure stands for every value its printing allows: ± half a unit of its last printed
digit (``45,2`` → 45,15–45,25), widened by its qualifier (``hơn 2.400`` → 2.400 and above;
``gần``/``khoảng`` → at least ±5 %). Two readings are kept:

* **strict** – the rounding interval as printed; an integer count written in full (``20 dự án``) is
  exact, since counts are whole numbers;
* **robust** – trailing zeros of an integer may be rounding too (``8.100 tỉ`` may mean 8.050–8.150 tỉ,
  ``2.400 hộ`` 2.350–2.450 hộ).

A relation fails only when no values inside the intervals satisfy it. Every bound is a
:class:`~decimal.Decimal`; open ends are ``±Infinity`` internally and ``None`` in records.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extractor.records import Claim

__all__ = [
    "INF",
    "NEG_INF",
    "Interval",
    "Printed",
    "claim_interval",
    "fmt_interval",
    "fmt_number",
    "printed_numbers",
    "span_affixes",
]

INF = Decimal("Infinity")
NEG_INF = Decimal("-Infinity")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
APPROX_BAND = Decimal("0.05")

COUNT_UNITS = frozenset({"count", "person", "household"})


def _mul(a: Decimal, b: Decimal) -> Decimal:
    """Product on the extended line with 0 × ∞ = 0 (the bound of an empty contribution)."""
    if a == 0 or b == 0:
        return ZERO
    return a * b


@dataclass(frozen=True)
class Interval:
    """A closed interval ``[lo, hi]`` of the extended real line (``lo`` may be -∞, ``hi`` +∞)."""

    lo: Decimal
    hi: Decimal

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def point(cls, value: Decimal) -> Interval:
        return cls(value, value)

    @classmethod
    def everything(cls) -> Interval:
        return cls(NEG_INF, INF)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def __mul__(self, other: Interval) -> Interval:
        products = [_mul(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(min(products), max(products))

    def scale(self, factor: Decimal) -> Interval:
        return self * Interval.point(factor)

    def reciprocal(self) -> Interval:
        """``1/x`` for an interval not containing 0 (else the whole line)."""
        if self.lo <= 0 <= self.hi:
            return Interval.everything()
        lo = ZERO if self.hi.is_infinite() else ONE / self.hi
        hi = ZERO if self.lo.is_infinite() else ONE / self.lo
        return Interval(min(lo, hi), max(lo, hi))

    def __truediv__(self, other: Interval) -> Interval:
        return self * other.reciprocal()

    def intersects(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    def hull(self, other: Interval) -> Interval:
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    def as_tuple(self, *, digits: int = 12) -> tuple[Decimal | None, Decimal | None]:
        """Bounds for a :class:`~extractor.records.Finding` (``None`` = open end), rounded outwards
        to ``digits`` significant digits."""
        return (_round_sig(self.lo, digits, ROUND_FLOOR), _round_sig(self.hi, digits, ROUND_CEILING))


def _round_sig(value: Decimal, digits: int, rounding: str) -> Decimal | None:
    if value.is_infinite():
        return None
    if value == 0:
        return ZERO
    with localcontext() as ctx:
        ctx.prec = 60
        return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1), rounding=rounding)


# --------------------------------------------------------------------------- printed numbers

_VI_NUM = re.compile(r"\d{1,3}(?:\.\d{3})+(?!\d)(?:,\d+)?|\d+(?:[,.]\d+)?")
_EN_NUM = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Printed:
    """A numeral as printed: its value, decimals written, and trailing zeros of an integer."""

    value: Decimal
    decimals: int
    trailing_zeros: int
    start: int
    end: int

    @property
    def half_unit(self) -> Decimal:
        """Half a unit of the last printed digit."""
        return Decimal(5).scaleb(-self.decimals - 1)


@functools.lru_cache(maxsize=4096)
def _printed(text: str, lang: str) -> tuple[Printed, ...]:
    return tuple(_read_numbers(text, lang))


def printed_numbers(text: str, lang: str = "vi") -> list[Printed]:
    """Numerals written with digits in ``text`` (cached; see :func:`_read_numbers`)."""
    return list(_printed(text, lang))


def _read_numbers(text: str, lang: str) -> list[Printed]:
    """Numerals written with digits in ``text``, read with the locale's separators.

    Vietnamese: ``.`` groups thousands, ``,`` is the decimal mark; English the reverse. A group
    separator followed by other than three digits is read as a decimal mark (a slip).
    """
    pattern, group, decimal = (_EN_NUM, ",", ".") if lang == "en" else (_VI_NUM, ".", ",")
    out: list[Printed] = []
    for m in pattern.finditer(text):
        raw = m.group(0)
        grouped = re.fullmatch(rf"\d{{1,3}}(?:\{group}\d{{3}})+(?:\{decimal}\d+)?", raw)
        if grouped:
            int_part, _, frac = raw.partition(decimal)
            int_part = int_part.replace(group, "")
        else:
            int_part, frac = re.split(r"[.,]", raw, maxsplit=1) if re.search(r"[.,]", raw) else (raw, "")
        digits = int_part + ("." + frac if frac else "")
        value = Decimal(digits)
        significant = int_part.lstrip("0")
        # robust reading: trailing zeros may be rounding, but keep two significant digits
        trailing = 0 if frac else max(0, min(len(significant) - len(significant.rstrip("0")), len(significant) - 2))
        out.append(Printed(value, len(frac), trailing, m.start(), m.end()))
    return out


def span_affixes(text: str, lang: str = "vi") -> tuple[str, str]:
    """Prefix before the first numeral and suffix after the last (``US$``, `` tỉ đồng``)."""
    nums = printed_numbers(text, lang)
    if not nums:
        return "", ""
    return text[: nums[0].start], text[nums[-1].end :]


# --------------------------------------------------------------------------- readings of a claim


def _scale_of(claim: Claim, printed: Printed | None, value: Decimal) -> Decimal | None:
    if printed is None or printed.value == 0:
        return None
    return value / printed.value


def _spelled_half(value: Decimal) -> Decimal:
    """± half the leading digit's place, for numbers written in words (``doubling`` → 1,5–2,5)."""
    if value == 0:
        return Decimal("0.5")
    return Decimal(5).scaleb(value.copy_abs().adjusted() - 1)


def _bounds(claim: Claim, *, robust: bool) -> tuple[Decimal, Decimal]:
    """Rounding interval of the printed figure(s), before qualifiers."""
    value = claim.value
    top = claim.value_max if claim.value_max is not None else claim.value
    nums = printed_numbers(claim.text, claim.lang)
    if not nums:
        if claim.low < value or claim.high > top:
            return claim.low, claim.high
        return value - _spelled_half(value), top + _spelled_half(top)
    first = nums[0]
    last = nums[-1] if claim.value_max is not None and len(nums) > 1 else first
    bounds: list[Decimal] = []
    for printed, end_value, given in ((first, value, claim.low), (last, top, claim.high)):
        scale = _scale_of(claim, printed, end_value)
        exact_count = (
            claim.unit in COUNT_UNITS and printed.decimals == 0 and scale == 1 and claim.kind == "level"
        )
        if scale is None:
            half = abs(end_value - given)
        elif exact_count and not robust:
            half = ZERO
        else:
            half = printed.half_unit * abs(scale)
        if robust:
            half *= Decimal(10) ** printed.trailing_zeros
            if exact_count and printed.trailing_zeros == 0:
                half = ZERO
        bounds.append(half)
    return value - bounds[0], top + bounds[1]


def claim_interval(claim: Claim, *, robust: bool = False, signed: bool = False) -> Interval:
    """Every value the printed claim allows (qualifier included).

    ``signed`` gives a change with ``direction == "down"`` as a negative interval.
    """
    lo, hi = _bounds(claim, robust=robust)
    top = claim.value_max if claim.value_max is not None else claim.value
    q = claim.qualifier
    if q == "approx":
        lo = min(lo, claim.value * (ONE - APPROX_BAND))
        hi = max(hi, top * (ONE + APPROX_BAND))
    elif q in ("over", "at_least"):
        hi = INF
    elif q in ("under", "at_most"):
        lo = ZERO if claim.value >= 0 else NEG_INF
    interval = Interval(lo, hi)
    if signed and claim.direction == "down":
        interval = -interval
    return interval


def of_interval(claim: Claim) -> Interval | None:
    """The denominator of an ``x/y`` ratio (exact: counts)."""
    return None if claim.of is None else Interval.point(claim.of)


# --------------------------------------------------------------------------- formatting


def _group(int_digits: str, sep: str) -> str:
    out = []
    while len(int_digits) > 3:
        out.append(int_digits[-3:])
        int_digits = int_digits[:-3]
    out.append(int_digits)
    return sep.join(reversed(out))


def fmt_number(value: Decimal, lang: str = "vi", *, places: int | None = None, rounding: str | None = None) -> str:
    """``8100`` → ``8.100`` (vi) / ``8,100`` (en); ``29.6`` → ``29,6`` / ``29.6``."""
    if value.is_infinite():
        return "∞" if value > 0 else "-∞"
    if places is not None:
        with localcontext() as ctx:
            ctx.prec = 60
            value = value.quantize(Decimal(1).scaleb(-places), rounding=rounding or "ROUND_HALF_EVEN")
    text = format(value.normalize() if places is None else value, "f")
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    int_part, _, frac = text.partition(".")
    group, mark = (",", ".") if lang == "en" else (".", ",")
    body = _group(int_part, group)
    return sign + body + (mark + frac if frac else "")


def _places_for(lo: Decimal, hi: Decimal) -> int:
    """Enough decimals to show ~3 significant digits of the larger bound."""
    ref = max(abs(lo) if lo.is_finite() else ZERO, abs(hi) if hi.is_finite() else ZERO)
    if ref == 0:
        return 0
    return max(0, 2 - ref.adjusted())


def fmt_interval(
    interval: Interval,
    lang: str = "vi",
    *,
    scale: Decimal = ONE,
    prefix: str = "",
    suffix: str = "",
) -> str:
    """An interval in the units of a printed claim: ``29,6–29,9 tỉ đồng``; open ends as ``≥``/``≤``."""
    lo = interval.lo / scale if interval.lo.is_finite() else interval.lo
    hi = interval.hi / scale if interval.hi.is_finite() else interval.hi
    if lo.is_finite() and hi.is_finite():
        places = _places_for(lo, hi)
        a = fmt_number(lo, lang, places=places, rounding=ROUND_FLOOR)
        b = fmt_number(hi, lang, places=places, rounding=ROUND_CEILING)
        body = f"{prefix}{a}{suffix}" if a == b else f"{prefix}{a}–{b}{suffix}"
        return _strip_zero_decimals(body, lang)
    if lo.is_finite():
        return _strip_zero_decimals(f"≥ {prefix}{fmt_number(lo, lang, places=_places_for(lo, lo), rounding=ROUND_FLOOR)}{suffix}", lang)
    if hi.is_finite():
        return _strip_zero_decimals(f"≤ {prefix}{fmt_number(hi, lang, places=_places_for(hi, hi), rounding=ROUND_CEILING)}{suffix}", lang)
    return "?"


def _strip_zero_decimals(text: str, lang: str) -> str:
    """Drop trailing zeros after the decimal mark: ``2,50`` → ``2,5``, ``3,00`` → ``3``."""
    mark = re.escape("." if lang == "en" else ",")
    text = re.sub(rf"({mark}\d*?[1-9])0+(?!\d)", r"\1", text)
    return re.sub(rf"(\d){mark}0+(?!\d)", r"\1", text)
