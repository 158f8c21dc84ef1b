"""Any text, however broken, gives claims or none: never an exception, and every claim points
at its own span. Texts are glued from the pieces the number engine reacts to (digits, separators,
brackets, scale and unit words, signs, line breaks), so odd ends of text are reached often."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import extract

PIECES = [
    "5", "46731", "1,234", "2.5", "8.100", "45,2", "0", "17/17", "3-4", "(", ")", "[", " (", ") ",
    " ", "  ", "\n", ".", ",", ";", ":", "-", "–", "/", "+", "%", "$", "US$", "VND", "₫", "đồng",
    "tỉ", "tỷ", "triệu", "nghìn", "million", "bn", "percent", "per cent", "tonnes", "tấn", "ha",
    "km2", "hộ", "people", "households", "times", "lần", "five", "twenty-one", "hai", "mươi",
    "năm", "2023", "tăng", "giảm", "up", "down", "of the target", "chỉ tiêu", "about", "gần",
    "hơn", "COVID-19", "No.", "Quận 7", "a year ago", "per", "twice", "Tonnes", "Pct",
]

texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map("".join)


@pytest.mark.parametrize("lang", ["vi", "en", None])
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_any_text_extracts_without_error(lang: str | None, text: str) -> None:
    for claim in extract(text, lang=lang):
        assert text[claim.start : claim.end] == claim.text
        assert claim.low <= claim.value <= claim.high or claim.value_max is not None


def test_text_ending_in_an_open_bracket() -> None:
    # a number then "(" at the very end once read past the text while looking for "45 (forty-five)"
    assert extract("Revenue was 46731 (", lang="en") == []
    assert [c.text for c in extract("Thu 45,2 tỉ đồng (", lang="vi")] == ["45,2 tỉ đồng"]
