"""The fast paths of the recognise layer give what the general code gives."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
import regex

import extractor.numbers as numbers
from extractor.lang import load_pack
from extractor.numbers import Numeral
from extractor.quantities import (
    Quantity,
    _anchored_spans,
    _before_match,
    _may_hold_self_quantity,
    _Vetoes,
)


@pytest.mark.parametrize("cls", [Numeral, Quantity])
def test_written_out_constructors_match_the_fields(cls: type) -> None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        if f.default is dataclasses.MISSING:
            assert p.default is inspect.Parameter.empty, p.name
        else:
            assert p.default == f.default, p.name
    obj = cls(*range(len([f for f in fields if f.default is dataclasses.MISSING])))
    with pytest.raises(dataclasses.FrozenInstanceError):
        obj.start = 5  # type: ignore[misc]


_TEXTS = {
    "en": [
        "Exports rose 5.6% in 2023.", "sold 1,234 tonnes of rice", "5 million people", "2.33 k units",
        "1.3 x 10^6 cells", "45 (forty-five) cases", "3 - 5 days", "5m in cash", "1990s boom",
        "a 1/4 mile", "5\u00a0million", "12 000 people", "1 234 567 dong", "7½ hours", "5 and a half",
    ],
    "vi": [
        "tăng 5,6% năm 2023", "1.234 tấn gạo", "3,5tỷ đồng", "5 triệu người", "12 000 người",
        "10h30 sáng", "15/3/2023", "2 nghìn tỉ", "năm 2020 có 5 người",
    ],
}


@pytest.mark.parametrize("code", ["en", "vi"])
def test_lone_digits_agree_with_the_general_reading(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = load_pack(code).numbers
    for text in _TEXTS[code]:
        for m in regex.finditer(r"\d", text):
            fast = numbers._phrase(text, m.start(), len(text), spec)
            with monkeypatch.context() as patch:
                patch.setattr(numbers, "_lone_digits", lambda *_: None)
                general = numbers._phrase(text, m.start(), len(text), spec)
            assert fast == general, (text, m.start())
            if fast is not None and general is not None:
                assert (str(fast.value), str(fast.step)) == (str(general.value), str(general.step))


@pytest.mark.parametrize("code", ["en", "vi"])
def test_screened_vetoes_find_what_each_pattern_finds(code: str) -> None:
    pack = load_pack(code)
    for text in _TEXTS[code] + ["District 7 on Jan 5, 2023 at 10:30 am", "Decree 15/2020/ND-CP", "Q1 2024"]:
        want = sorted((m.start(), m.end()) for r in pack.veto_res for m in r.finditer(text) if m.end() > m.start())
        v = _Vetoes(text, pack)
        assert list(zip(v.starts, v.ends, strict=True)) == want, text


def test_anchored_vetoes_find_what_their_patterns_find() -> None:
    """A veto found from its digits ([anchors]) has the spans of its pattern read from the left,
    in any window, also where a lead reaches back into the previous match or out of the window."""
    pack = load_pack("vi")
    texts = _TEXTS["vi"] + [
        "tổ 5F 3 người", "tuyến số 5, xtuyến số 6", "Nghị quyết số 15/2020 và Điều 3", "rạng sáng 12/3",
        "các số 4 và số 5", "lần thứ 2", "ngày 5 tháng 6", "khu phố 3 khu 4", "No. 7 hiệu 8",
    ]
    anchored = [(r, a) for r, a in zip(pack.veto_res, pack.veto_anchored, strict=True) if a is not None]
    assert anchored
    for text in texts:
        for a in range(0, len(text), 3):
            for stop in (len(text), a + 9, a + 20):
                for r, lead in anchored:
                    assert _anchored_spans(r, lead, text, a, stop) == [m.span() for m in r.finditer(text, a, stop)]


@pytest.mark.parametrize("code", ["en", "vi"])
def test_numeral_starts_agree_with_the_case_insensitive_search(code: str) -> None:
    """On ASCII text the start words are searched lower-cased with the standard library."""
    spec = load_pack(code).numbers
    texts = _TEXTS[code] + ["An Estimated FIVE hundred", "a_one two-thirds xone", "ſix İne \u212aen", "Twenty5 A"]
    for text in texts:
        for start in range(len(text) + 1):
            for limit in (len(text), min(len(text), start + 7)):
                want = sorted(
                    [m.start() for m in spec._start_num_re.finditer(text, start, limit)]
                    + [m.start() for m in spec._start_word_re.finditer(text, start, limit)]
                )
                assert numbers._starts(text, spec, start, limit) == want, (text, start, limit)


def test_self_quantity_stems_cover_every_match() -> None:
    pack = load_pack("en")
    assert pack.self_quantity_re is not None and pack.self_quantities is not None
    texts = [f"{w} x" for w in pack.self_quantities] + ["sales DOUBLED", "a Two-Fold rise", "twİce", "no figure here"]
    for text in texts:
        if pack.self_quantity_re.search(text) is not None:
            assert _may_hold_self_quantity(text, 0, None, pack), text
    assert not _may_hold_self_quantity("prices rose 5%", 0, None, pack)


@pytest.mark.parametrize("code", ["en", "vi"])
def test_currency_prefix_look_up_agrees_with_the_pattern(code: str) -> None:
    pack = load_pack(code)
    texts = _TEXTS[code] + ["US$ 5", "USD5", "xUSD 5", "$ $5", "VND 7", "EUR\u00a03", "Rs.4", "₫ 9"]
    for text in texts:
        for end in range(len(text) + 1):
            for lo in range(max(0, end - 12), end + 1):
                m = pack.unit_before_re.search(text, lo, end)
                assert _before_match(text, lo, end, pack) == ((m.group(1), m.start()) if m else None), (text, lo, end)
