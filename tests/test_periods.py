"""Periods: cue roles, relative years, terms, crop years, reporting spans, inheritance; data files."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.lang import load_toml
from extractor.periods import assign_periods, find_cues, resolve_periods
from extractor.records import Claim

DEV = Path(__file__).resolve().parents[2] / "shared/gold/dev.jsonl"


def claims_of(text: str, *spans: tuple[str, str, str]) -> list[Claim]:
    """Claims for (span text, kind, unit), located in order of appearance."""
    out, pos = [], 0
    for span, kind, unit in spans:
        start = text.index(span, pos)
        pos = start + len(span)
        v = Decimal(1)
        out.append(
            Claim(text=span, start=start, end=pos, value=v, unit=unit, kind=kind,  # type: ignore[arg-type]
                  sentence_start=0, sentence_end=len(text), low=v, high=v,
                  per="kg" if "/kg" in span else None)
        )
    return out


def periods(text: str, spans, *, date: str | None, lang: str = "vi") -> list[str | None]:
    d = dt.date.fromisoformat(date) if date else None
    return [c.period for c in assign_periods(text, claims_of(text, *spans), lang=lang, date=d)]


def test_relative_year_needs_the_article_date():
    text = "Năm qua, huyện vận động được 45,2 tỉ đồng."
    assert periods(text, [("45,2 tỉ đồng", "level", "VND")], date="2024-01-09") == ["2023"]
    assert periods(text, [("45,2 tỉ đồng", "level", "VND")], date=None) == [None]


def test_change_takes_the_year_after_its_base():
    text = "Tổng giá trị sản xuất đạt gần 8.100 tỉ đồng, tăng 9,17% so năm 2022."
    got = periods(text, [("8.100 tỉ đồng", "level", "VND"), ("9,17%", "change", "percent")], date="2024-01-09")
    assert got == ["2023", "2023"]


def test_same_period_of_a_year_is_a_base():
    text = "Xuất khẩu đạt 2 tỉ USD, tăng 5% so với cùng kỳ năm 2019."
    assert periods(text, [("2 tỉ USD", "level", "USD"), ("5%", "change", "percent")], date="2020-06-04") == [
        "2020",
        "2020",
    ]


def test_term_and_crop_year():
    text = "Trong nhiệm kỳ 2020-2025, huyện có 9 chỉ tiêu đạt 90%. Niên vụ 2023/2024 xuất khẩu 1,5 triệu tấn."
    got = periods(text, [("90%", "target", "percent"), ("1,5 triệu tấn", "level", "tonne")], date="2024-01-09")
    assert got == ["2020-2025", "2023-2024"]


def test_term_inside_a_name_is_a_label():
    text = "Chỉ đạo tổ chức bầu cử Trưởng ấp, nhiệm kỳ 2023-2025 với tỷ lệ cử tri đạt 100%."
    cues = find_cues(text, lang="vi", date=dt.date(2024, 1, 9))
    assert [c.role for c in cues if c.period and c.period.grain == "term"] == ["label"]


def test_open_span_and_annual_figures_have_no_period():
    text = "Từ nay đến năm 2030, vùng trồng 1,8 triệu ha lúa. Mỗi năm khu vực này mất 300ha đất."
    got = periods(text, [("1,8 triệu ha", "level", "ha"), ("300ha", "level", "ha")], date="2024-07-01")
    assert got == [None, None]


def test_english_last_year_and_explicit_years():
    text = "In 2019, the country saw 551,000 join, doubling the total holders last year which stood at 270,000."
    spans = [("551,000", "level", "person"), ("doubling", "multiple", "times"), ("270,000", "level", "person")]
    assert periods(text, spans, date="2019-12-30", lang="en") == ["2019", "2019", "2018"]


def test_price_of_a_dated_report_takes_its_year():
    text = "Giá heo hơi ở mức 79.000 đồng/kg."
    assert periods(text, [("79.000 đồng/kg", "level", "VND")], date="2025-03-14") == ["2025"]
    assert periods(text, [("79.000 đồng/kg", "level", "VND")], date=None) == [None]


def test_reporting_spans_give_labels():
    text = "GRDP 6 tháng đầu năm tăng 2,7%. Quý I/2024 giảm 1,5%. Tính chung 9 tháng năm 2023, thu 5 tỉ đồng."
    spans = [("2,7%", "change", "percent"), ("1,5%", "change", "percent"), ("5 tỉ đồng", "level", "VND")]
    res = resolve_periods(text, claims_of(text, *spans), lang="vi", date=dt.date(2024, 7, 2))
    assert [r.period.label for r in res] == ["2024-H1", "2024-Q1", "2023-01/2023-09"]
    assert res[0].period.start == dt.date(2024, 1, 1) and res[0].period.end == dt.date(2024, 6, 30)


def test_base_period_of_a_change():
    text = "Doanh thu đạt 3.870 tỉ đồng, tăng 11% so với cùng kỳ. Thu ngân sách tăng 11% so năm 2022."
    spans = [("3.870 tỉ đồng", "level", "VND"), ("11%", "change", "percent"), ("11%", "change", "percent")]
    res = resolve_periods(text, claims_of(text, *spans), lang="vi", date=dt.date(2024, 1, 9))
    assert res[1].base is not None and res[1].base.year == str(int(res[1].period.year) - 1)
    assert res[2].base is not None and res[2].base.label == "2022"


def test_inheritance_within_a_paragraph():
    text = "Năm 2023, huyện thu 10 tỉ đồng. Toàn huyện có 165 mô hình."
    got = periods(text, [("10 tỉ đồng", "level", "VND"), ("165 mô hình", "level", "count")], date="2024-01-09")
    assert got == ["2023", "2023"]


@pytest.mark.parametrize("code", ["vi", "en"])
def test_period_data_files(code: str):
    data = load_toml(code, "periods")
    assert data["relative_years"], "relative years are data"
    for role in ("base", "open", "label_heads", "present", "annual"):
        assert isinstance(data["roles"][role], list) and data["roles"][role]
    assert all(isinstance(v, int) for v in data["relative_years"].values())


def test_dev_period_accuracy():
    if not DEV.is_file():
        pytest.skip(f"gold file missing: {DEV}")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_context import gold_claims

    hits = total = 0
    for line in DEV.open(encoding="utf-8"):
        row = json.loads(line)
        date = dt.date.fromisoformat(row["date"]) if row.get("date") else None
        got = assign_periods(row["text"], gold_claims(row), lang=row["lang"], date=date)
        gold = sorted(row["claims"], key=lambda c: c["start"])
        for c, g in zip(got, gold, strict=True):
            if not g.get("optional"):
                total += 1
                hits += (c.period or None) == (g.get("period") or None)
    assert hits / total >= 0.95


# --------------------------------------------------------------------------- long articles


def test_sentence_index_bisects_the_table():
    from extractor.periods import sentence_index, sentence_table

    text = "Năm 2023 thu 10 tỉ đồng. Chi 5 tỉ đồng.\nDòng hai có 3 hộ. Câu cuối."
    rows = sentence_table(text, "vi")
    assert rows.starts == [r.start for r in rows]
    for pos in range(len(text)):
        linear = max([k for k, r in enumerate(rows) if r.start <= pos] or [0])
        assert sentence_index(rows, pos) == linear == sentence_index(list(rows), pos)


def test_clause_bounds_are_bounded_in_a_run_on_sentence():
    from extractor.periods import _CLAUSE_REACH, clause_bounds

    filler = "x" * (3 * _CLAUSE_REACH)
    text = f"a, {filler} 5 tỉ đồng {filler}, b"
    start = text.index("5 tỉ")
    a, b = clause_bounds(text, start, start + 7, 0, len(text))
    assert a == start - _CLAUSE_REACH and b == start + 7 + _CLAUSE_REACH
    short = "Năm 2023, huyện thu 10 tỉ đồng; chi 5 tỉ đồng."
    s = short.index("10 tỉ")
    assert short[slice(*clause_bounds(short, s, s + 10, 0, len(short)))] == " huyện thu 10 tỉ đồng"


def test_repeated_article_reads_every_copy_alike():
    one = "Năm 2023, huyện thu 10 tỉ đồng, tăng 5% so với năm 2022.\nGiá heo 60.000 đồng/kg."
    spans = [("10 tỉ đồng", "level", "VND"), ("5%", "change", "percent"), ("60.000 đồng/kg", "level", "VND")]
    single = periods(one, spans, date="2024-01-09")
    text = "\n\n".join([one] * 5)
    assert periods(text, spans * 5, date="2024-01-09") == single * 5


def test_updated_shares_the_fields_set_and_keeps_unchanged_claims():
    from extractor.periods import updated

    a, b = claims_of("thu 10 tỉ đồng, chi 5 tỉ đồng", ("10 tỉ đồng", "level", "VND"), ("5 tỉ đồng", "level", "VND"))
    a2, b2 = updated(a, period="2023"), updated(b, period="2023")
    assert a2 == a.model_copy(update={"period": "2023"}) and a2.model_fields_set == a.model_fields_set | {"period"}
    assert a2.model_fields_set is b2.model_fields_set
    assert updated(a2, period="2023") is a2
    assert a2.model_copy(update={"indicator": "thu"}).model_fields_set == a2.model_fields_set | {"indicator"}
    assert "indicator" not in b2.model_fields_set


_EN_CUES = [
    "Exports rose 5% in the first quarter of 2024 and 3% in Q3 2023, after a fall in H1.",
    "In the first six months of the year output was 2 tons; in the last 3 months of 2023, 4 tons.",
    "Sales hit 10 million in May 2020, on Jan. 5, 2024, on 5 May 2023 and in March-May 2024.",
    "The 2020-2025 term, the term 2015 - 2020, crop year 2023/24 and the 2022/23 season all count.",
    "Prices rose 4% over the same period last year, year-on-year, and 2% yoy, versus 2019.",
    "Last year, this year and next year: 5 tons annually, currently 6 tons, so far 7 tons.",
    "It has been 10 tons over the past decade; from now until 2030, 2 tons; as of 15/3/2024, 3.",
    "Rates of 3% are recommended under the regulation since 2015 (10-3-1975 - 10-3-2025).",
    "ſame period laſt year, 5%; the firſt half of 2023, 6%; \u212aelvin-ſigned text.",
]


def test_word_gates_skip_only_patterns_that_cannot_match(gold_rows, monkeypatch):
    """The gates skip only patterns that cannot match: the patterns whose words are not
    written (on short texts: none of their first words is a letter run), the year patterns
    where no year is, …; the cues found are those of every pattern run."""
    import extractor.periods as periods
    from extractor.text import sentence_spans

    texts = [(r["text"][a:b], r["lang"]) for r in gold_rows for a, b in sentence_spans(r["text"])]
    texts += [(t, "en") for t in _EN_CUES]
    texts += [(t.upper(), lang) for t, lang in texts]

    def cues(gate_chars: int, *, gated: bool = True) -> list[list[tuple[str, tuple[int, int]]]]:
        monkeypatch.setattr(periods, "_GATE_CHARS", gate_chars)
        monkeypatch.setattr(periods, "_GATED", gated)
        periods._cue_matches.cache_clear()
        return [[(k, m.span()) for k, m in periods._cue_matches(t, lang, ())] for t, lang in texts]

    gated = cues(2000)
    assert any(gated)
    assert all(cues(2000)[-k - 1] for k in range(len(_EN_CUES)))  # each English sample has a cue
    assert gated == cues(-1)
    assert gated == cues(2000, gated=False)
    periods._cue_matches.cache_clear()


def test_fold_matches_what_ignorecase_matches():
    """Each character that IGNORECASE matches with a character of a period word folds to it,
    so a word a pattern matches is a substring of the folded text (what the gates look for)."""
    import regex

    from extractor.periods import _fold

    def strings(o: object):
        if isinstance(o, str):
            yield o
        elif isinstance(o, dict):
            for k, v in o.items():
                yield k
                yield from strings(v)
        elif isinstance(o, list):
            for v in o:
                yield from strings(v)

    chars = {c for code in ("vi", "en") for w in strings(load_toml(code, "periods")) for c in _fold(w)}
    chars |= set("-–—/")
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for c in chars:
        assert all(_fold(m.group()) == c for m in regex.finditer(regex.escape(c), every, regex.IGNORECASE)), c


def test_reversed_context_patterns_find_what_forward_ones_find(gold_rows):
    """The "base" and "open" contexts run in reverse (from the end of the context): they find a
    match where the same pattern run forward does, on every context of the gold texts."""
    import regex

    from extractor.periods import _lexicon

    texts = [r["text"] for r in gold_rows] + _EN_CUES
    befores = [t[max(0, i - 70) : i] for t in texts for i in range(len(t))]
    for code in ("vi", "en"):
        lex = _lexicon(code)
        for reverse in (lex.open_before, lex.base_before):
            forward = regex.compile(reverse.pattern.removeprefix("(?r)"), reverse.flags & ~regex.REVERSE)
            assert reverse.flags & regex.REVERSE and not forward.flags & regex.REVERSE
            assert [bool(reverse.search(b)) for b in befores] == [bool(forward.search(b)) for b in befores]


def test_ascii_letter_runs_are_the_regex_runs(gold_rows):
    """The byte-table path for ASCII text finds the letter runs the regex finds."""
    import random

    from extractor.periods import _LETTERS, _letter_runs

    rng = random.Random(7)
    every = "".join(map(chr, range(128)))
    texts = [every, every.upper(), *_EN_CUES] + ["".join(rng.choices(every, k=80)) for _ in range(300)]
    texts += [t for r in gold_rows for t in r["text"].splitlines()]  # Vietnamese: the regex path
    for t in texts:
        assert _letter_runs(t) == {r.casefold() for r in _LETTERS.findall(t)}, t
