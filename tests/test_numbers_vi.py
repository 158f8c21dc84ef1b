"""Property tests of the Vietnamese numeral layer (``extractor.numbers`` with ``lang/vi``).

* a Decimal printed the Vietnamese way (group ``.``, decimal ``,``) parses back to itself;
* its rounding interval contains it and is one unit of the last printed digit wide;
* scale words (nghìn, ngàn, triệu, tỉ, tỷ, nghìn tỉ) multiply value and interval;
* integers 0–999 999 spelled out by a small reference speller parse back;
* ``scan`` finds a printed number inside a sentence at its exact offsets.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from extractor.lang import load_pack
from extractor.numbers import NumberSpec, parse_number, scan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpora"))
import corpus_cases as cc

SPEC: NumberSpec = load_pack("vi").numbers
SCALES = {
    "nghìn": Decimal("1e3"),
    "ngàn": Decimal("1e3"),
    "triệu": Decimal("1e6"),
    "tỉ": Decimal("1e9"),
    "tỷ": Decimal("1e9"),
    "nghìn tỉ": Decimal("1e12"),
    "nghìn tỷ": Decimal("1e12"),
    "ngàn tỷ": Decimal("1e12"),
}


# -- printing the Vietnamese way -------------------------------------------------------------


def format_vi(integer: int, frac: str = "", *, grouped: bool = True) -> str:
    """``1234567, "25"`` → ``"1.234.567,25"`` (group ``.``, decimal ``,``)."""
    digits = str(integer)
    if grouped:
        groups = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        groups.insert(0, digits)
        digits = ".".join(groups)
    return f"{digits},{frac}" if frac else digits


def printed_value(integer: int, frac: str) -> Decimal:
    return Decimal(f"{integer}.{frac}") if frac else Decimal(integer)


integers = st.integers(min_value=0, max_value=10**12)
fractions = st.text(alphabet="0123456789", min_size=0, max_size=4)


def test_format_vi_reference() -> None:
    assert format_vi(8100) == "8.100"
    assert format_vi(1234567) == "1.234.567"
    assert format_vi(45, "2") == "45,2"
    assert format_vi(0, "5") == "0,5"
    assert format_vi(999) == "999"


@settings(deadline=None)
@given(integer=integers, frac=fractions, grouped=st.booleans())
@example(integer=8100, frac="", grouped=True)
@example(integer=1234567, frac="", grouped=True)
@example(integer=45, frac="2", grouped=True)
@example(integer=0, frac="5", grouped=True)
@example(integer=1000, frac="50", grouped=True)
def test_vietnamese_digits_parse_back(integer: int, frac: str, grouped: bool) -> None:
    text = format_vi(integer, frac, grouped=grouped)
    n = parse_number(text, SPEC)
    assert n is not None, text
    assert (n.start, n.end) == (0, len(text))
    assert n.value == printed_value(integer, frac), text


@settings(deadline=None)
@given(integer=integers, frac=fractions)
@example(integer=45, frac="2")
@example(integer=9, frac="17")
@example(integer=3, frac="0")
def test_rounding_interval_is_one_unit_of_the_last_digit(integer: int, frac: str) -> None:
    text = format_vi(integer, frac)
    n = parse_number(text, SPEC)
    assert n is not None, text
    unit = Decimal(1).scaleb(-len(frac))
    assert n.low <= n.value <= n.high, text
    assert n.high - n.low == unit, f"{text}: [{n.low}, {n.high}] is not {unit} wide"
    assert n.value - n.low == n.high - n.value, f"{text}: interval not centred on the value"


@settings(deadline=None)
@given(
    integer=st.integers(min_value=0, max_value=999_999),
    frac=fractions,
    scale=st.sampled_from(sorted(SCALES)),
)
@example(integer=45, frac="2", scale="tỉ")
@example(integer=8100, frac="", scale="tỉ")
@example(integer=8, frac="1", scale="nghìn tỉ")
@example(integer=700, frac="", scale="triệu")
def test_scale_words_multiply(integer: int, frac: str, scale: str) -> None:
    # zero with a two-word scale ("0 nghìn tỉ") is a known failure, tracked in test_known_failures
    assume(printed_value(integer, frac) != 0 or " " not in scale)
    text = f"{format_vi(integer, frac)} {scale}"
    n = parse_number(text, SPEC)
    assert n is not None, text
    factor = SCALES[scale]
    assert n.value == printed_value(integer, frac) * factor, text
    assert n.scaled, text
    assert n.high - n.low == Decimal(1).scaleb(-len(frac)) * factor, text


# -- spelled-out numbers -------------------------------------------------------------------

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


@dataclass(frozen=True)
class Variant:
    """Free choices of the written language: nghìn/ngàn, linh/lẻ, bốn/tư after mươi."""

    thousand: str = "nghìn"
    zero_ten: str = "linh"
    four: str = "bốn"


def _below_100(n: int, v: Variant) -> str:
    if n < 10:
        return DIGITS[n]
    tens, unit = divmod(n, 10)
    head = "mười" if tens == 1 else f"{DIGITS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 1:
        tail = "một" if tens == 1 else "mốt"
    elif unit == 4 and tens > 1:
        tail = v.four
    elif unit == 5:
        tail = "lăm"
    else:
        tail = DIGITS[unit]
    return f"{head} {tail}"


def _below_1000(n: int, v: Variant, *, full: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds or full:
        parts.append(f"{DIGITS[hundreds]} trăm")
    if rest and parts and rest < 10:
        parts.append(f"{v.zero_ten} {DIGITS[rest]}")
    elif rest:
        parts.append(_below_100(rest, v))
    return " ".join(parts)


def spell_vi(n: int, v: Variant = Variant()) -> str:
    """Reference speller for 0 ≤ n < 1 000 000 (21011 → hai mươi mốt nghìn không trăm mười một)."""
    if not 0 <= n < 1_000_000:
        raise ValueError(n)
    if n == 0:
        return "không"
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands:
        parts.append(f"{_below_1000(thousands, v, full=False)} {v.thousand}")
    if rest:
        parts.append(_below_1000(rest, v, full=bool(thousands)))
    return " ".join(parts)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "không"),
        (13, "mười ba"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1005, "một nghìn không trăm linh năm"),
        (21011, "hai mươi mốt nghìn không trăm mười một"),
        (721012, "bảy trăm hai mươi mốt nghìn không trăm mười hai"),
        (999999, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín"),
    ],
)
def test_reference_speller(n: int, text: str) -> None:
    assert spell_vi(n) == text


variants = st.builds(
    Variant,
    thousand=st.sampled_from(["nghìn", "ngàn"]),
    zero_ten=st.sampled_from(["linh", "lẻ"]),
    four=st.sampled_from(["bốn", "tư"]),
)


@settings(deadline=None)
@given(n=st.integers(min_value=0, max_value=999_999), v=variants)
@example(n=21011, v=Variant())
@example(n=105, v=Variant(zero_ten="lẻ"))
@example(n=24, v=Variant(four="tư"))
@example(n=1005, v=Variant(thousand="ngàn"))
@example(n=301001, v=Variant())  # "linh" on both sides of "nghìn"
def test_spelled_numbers_parse_back(n: int, v: Variant) -> None:
    text = spell_vi(n, v)
    parsed = parse_number(text, SPEC)
    assert parsed is not None, text
    assert parsed.value == n, f"{text!r} → {parsed.value}, want {n}"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("nửa", Decimal("0.5")),
        ("một triệu rưỡi", Decimal("1500000")),
        ("hai chục", Decimal(20)),
        ("một trăm", Decimal(100)),
        ("hai phẩy 23", Decimal("2.23")),
        ("âm 1.200.000", Decimal(-1200000)),
    ],
)
def test_spelled_specials(text: str, value: Decimal) -> None:
    n = parse_number(text, SPEC)
    assert n is not None and n.value == value, f"{text!r} → {n and n.value}"


def _known_number_failures() -> list[Any]:
    known = cc.known_failures("vi").get("numbers", {})
    return [
        pytest.param(
            text,
            Decimal(entry["value"]),
            id=cc.ascii_slug(text),
            marks=pytest.mark.xfail(strict=True, reason=entry["reason"]),
        )
        for text, entry in known.items()
    ] or [
        pytest.param("", Decimal(0), id="none", marks=pytest.mark.skip(reason="no known failure"))
    ]


@pytest.mark.parametrize(("text", "value"), _known_number_failures())
def test_known_failures(text: str, value: Decimal) -> None:
    """Numeral-layer failures found by the properties above (corpora/vi/known_failures.toml)."""
    n = parse_number(text, SPEC)
    assert n is not None and n.value == value, f"{text!r} → {n and n.value}, want {value}"


# -- scanning inside a sentence ------------------------------------------------------------


@settings(deadline=None)
@given(integer=integers, frac=fractions)
def test_scan_finds_the_number_at_its_offsets(integer: int, frac: str) -> None:
    printed = format_vi(integer, frac)
    sentence = f"Tổng vốn là {printed} tỉ đồng, cao nhất từ trước."
    found = list(scan(sentence, SPEC))
    assert len(found) == 1, f"{sentence!r}: {found}"
    n = found[0]
    assert sentence[n.start : n.end] == f"{printed} tỉ"
    assert n.value == printed_value(integer, frac) * Decimal("1e9")
