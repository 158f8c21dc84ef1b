"""Interval arithmetic of printed figures (extractor.checks.intervals), with property tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.checks.intervals import (
    INF,
    Interval,
    claim_interval,
    fmt_interval,
    fmt_number,
    printed_numbers,
)
from extractor.records import Claim

D = Decimal


def make(text: str, value: str, *, unit: str = "VND", qualifier: str = "exact", kind: str = "level",
         value_max: str | None = None, lang: str = "vi", low: str | None = None, high: str | None = None) -> Claim:
    v = D(value)
    top = D(value_max) if value_max else v
    return Claim(text=text, start=0, end=len(text), value=v, value_max=D(value_max) if value_max else None,
                 unit=unit, qualifier=qualifier, kind=kind, lang=lang, sentence_start=0, sentence_end=len(text),
                 low=D(low) if low else v, high=D(high) if high else top)


def test_printed_precision_vi():
    (n,) = printed_numbers("45,2 tỉ đồng", "vi")
    assert n.value == D("45.2") and n.decimals == 1 and n.half_unit == D("0.05")
    (n,) = printed_numbers("8.100 tỉ đồng", "vi")
    assert n.value == D(8100) and n.decimals == 0 and n.trailing_zeros == 2


def test_printed_precision_en():
    (n,) = printed_numbers("902,100 tonnes", "en")
    assert n.value == D(902100) and n.trailing_zeros == 2
    (n,) = printed_numbers("2.6 million tonnes", "en")
    assert n.value == D("2.6") and n.decimals == 1


def test_strict_interval_of_decimal_figure():
    iv = claim_interval(make("45,2 tỉ đồng", "45200000000"))
    assert iv == Interval(D("45150000000"), D("45250000000"))


def test_robust_reading_of_trailing_zeros():
    c = make("8.100 tỉ đồng", "8100000000000")
    assert claim_interval(c) == Interval(D("8099500000000"), D("8100500000000"))
    assert claim_interval(c, robust=True) == Interval(D("8050000000000"), D("8150000000000"))


def test_counts_are_exact_strictly():
    c = make("20 dự án", "20", unit="count")
    assert claim_interval(c).is_point


def test_qualifiers_widen():
    assert claim_interval(make("2.400 hộ", "2400", unit="household", qualifier="over")).hi == INF
    under = claim_interval(make("40%", "40", unit="percent", qualifier="under"))
    assert under.lo == 0 and under.hi == D("40.5")
    approx = claim_interval(make("7%", "7", unit="percent", qualifier="approx", kind="change"))
    assert approx.lo <= D("6.65") and approx.hi >= D("7.35")


def test_range_and_spelled():
    iv = claim_interval(make("6-7%", "6", value_max="7", unit="percent", kind="change"))
    assert iv == Interval(D("5.5"), D("7.5"))
    doubling = claim_interval(make("doubling", "2", unit="times", kind="multiple", lang="en"))
    assert doubling == Interval(D("1.5"), D("2.5"))


def test_interval_arithmetic_basics():
    a, b = Interval(D(1), D(2)), Interval(D(3), D(5))
    assert a + b == Interval(D(4), D(7))
    assert b - a == Interval(D(1), D(4))
    assert a * b == Interval(D(3), D(10))
    assert (b / a) == Interval(D("1.5"), D(5))
    assert Interval(D(1), INF) * Interval(D(0), D(2)) == Interval(D(0), INF)
    with pytest.raises(ValueError):
        Interval(D(2), D(1))


def test_formatting():
    assert fmt_number(D(8100), "vi") == "8.100"
    assert fmt_number(D("29.6"), "vi") == "29,6"
    assert fmt_number(D(8100), "en") == "8,100"
    iv = Interval(D("29606557377"), D("29867986799"))
    assert fmt_interval(iv, "vi", scale=D(10) ** 9, suffix=" tỉ đồng") == "29,6–29,9 tỉ đồng"
    assert fmt_interval(iv, "en", scale=D(10) ** 9, suffix=" tỉ đồng") == "29.6–29.9 tỉ đồng"


# ---------------------------------------------------------------------- properties

amounts = st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=D("-50"), max_value=D("300"), places=2, allow_nan=False, allow_infinity=False)


HALF_CENT = D("0.005")


def exact(v: Decimal, half: Decimal = HALF_CENT) -> Interval:
    return Interval(v - half, v + half)


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=6))
def test_sum_of_exact_values_holds(parts):
    total = sum(parts, D(0))
    acc = exact(parts[0])
    for p in parts[1:]:
        acc = acc + exact(p)
    assert acc.intersects(exact(total))


@settings(max_examples=200, deadline=None)
@given(amounts, rates)
def test_growth_from_exact_values_holds(base, rate):
    current = base * (1 + rate / 100)
    implied = exact(base) * (Interval.point(D(1)) + exact(rate).scale(D("0.01")))
    assert implied.intersects(exact(current))


@settings(max_examples=200, deadline=None)
@given(amounts, st.decimals(min_value=D("0.1"), max_value=D("100"), places=1))
def test_share_and_its_inverse_hold(whole, share):
    part = whole * share / 100
    assert (exact(whole) * exact(share).scale(D("0.01"))).intersects(exact(part))
    assert (exact(part) / exact(share).scale(D("0.01"))).intersects(exact(whole))


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, min_size=2, max_size=6), st.sampled_from([D(10), D(1000), D("0.001")]))
def test_scaling_one_member_far_breaks_the_sum(parts, factor):
    total = sum(parts, D(0))
    scaled = [parts[0] * factor, *parts[1:]]
    acc = Interval.point(scaled[0])
    for p in scaled[1:]:
        acc = acc + Interval.point(p)
    # a slip of ×10 / ×1000 / ÷1000 in one part can only be absorbed if that part is negligible
    if abs(parts[0] * factor - parts[0]) > total * D("0.02"):
        assert not acc.intersects(Interval(total * D("0.99"), total * D("1.01")))


@settings(max_examples=200, deadline=None)
@given(amounts, amounts)
def test_hull_and_intersection_are_consistent(a, b):
    x, y = Interval(min(a, b), max(a, b)), Interval.point(a)
    assert x.intersects(y) and x.hull(y) == x
