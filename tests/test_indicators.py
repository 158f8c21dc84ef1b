"""Indicator phrases: verbs and qualifiers stripped, counts named by their noun, inheritance."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.indicators import assign_indicators, tokenize
from extractor.lang import load_toml
from extractor.records import Claim

DEV = Path(__file__).resolve().parents[2] / "shared/gold/dev.jsonl"


def claims_of(text: str, *spans: tuple[str, str, str, str | None]) -> list[Claim]:
    out, pos = [], 0
    for span, kind, unit, noun in spans:
        start = text.index(span, pos)
        pos = start + len(span)
        v = Decimal(1)
        out.append(
            Claim(text=span, start=start, end=pos, value=v, unit=unit, kind=kind, noun=noun,  # type: ignore[arg-type]
                  sentence_start=0, sentence_end=len(text), low=v, high=v,
                  lang="en" if unit == "tonne" else "vi", per="kg" if "/kg" in span else None)
        )
    return out


def indicators(text: str, *spans, lang: str = "vi") -> list[str | None]:
    return [c.indicator for c in assign_indicators(text, claims_of(text, *spans), lang=lang)]


def test_verbs_and_qualifiers_are_stripped_and_a_change_inherits():
    text = "Tổng giá trị sản xuất đạt gần 8.100 tỉ đồng, tăng 9,17% so năm 2022."
    got = indicators(text, ("8.100 tỉ đồng", "level", "VND", None), ("9,17%", "change", "percent", None))
    assert got == ["Tổng giá trị sản xuất", "Tổng giá trị sản xuất"]


def test_growth_is_not_the_verb_tang():
    text = "Mục tiêu tốc độ tăng trưởng kinh tế GRDP đạt 7,5%."
    assert indicators(text, ("7,5%", "change", "percent", None)) == ["Mục tiêu tốc độ tăng trưởng kinh tế GRDP"]


def test_count_takes_its_noun_and_a_value_of_it_composes():
    text = "Xây dựng 172 nhà đại đoàn kết, trị giá 8,1 tỉ đồng."
    got = indicators(text, ("172 nhà", "level", "count", "nhà"), ("8,1 tỉ đồng", "level", "VND", None))
    assert got == ["nhà đại đoàn kết", "trị giá nhà đại đoàn kết"]


def test_share_without_a_rate_noun_names_its_population():
    text = "Hơn 37% học sinh TP HCM thừa cân béo phì"
    assert indicators(text, ("37%", "share", "percent", None)) == ["học sinh TP HCM thừa cân béo phì"]


def test_parts_after_trong_do_get_the_parent_head():
    text = "Tổng sản phẩm trên địa bàn (GRDP) tăng 2,7%. Trong đó khu vực dịch vụ tăng 4,4%."
    got = indicators(text, ("2,7%", "change", "percent", None), ("4,4%", "change", "percent", None))
    assert got[1] == "GRDP khu vực dịch vụ"


def test_specific_plan_is_named_for_an_attainment():
    text = "Tổng thu ngân sách là 12.221 tỉ đồng, đạt 51,8% dự toán HĐND tỉnh giao."
    got = indicators(text, ("12.221 tỉ đồng", "level", "VND", None), ("51,8%", "target", "percent", None))
    assert got == ["Tổng thu ngân sách", "Tổng thu ngân sách so với dự toán HĐND tỉnh giao"]


def test_unit_price_is_a_price():
    text = "Gà ta sống có mức 130.000 đồng/kg."
    assert indicators(text, ("130.000 đồng/kg", "level", "VND", None)) == ["giá Gà ta sống"]


def test_english_object_of_an_export_verb():
    text = "In 2019, the country exported 6.37 million tonnes of rice."
    assert indicators(text, ("6.37 million tonnes", "level", "tonne", None), lang="en") == ["rice exports"]


def test_tokenize_is_cached_per_clause():
    tokenize.cache_clear()
    tokenize("Tổng giá trị sản xuất đạt gần", "vi")
    tokenize("Tổng giá trị sản xuất đạt gần", "vi")
    assert tokenize.cache_info().hits == 1
    assert "giá trị" in tokenize("Tổng giá trị sản xuất đạt gần", "vi")


@pytest.mark.parametrize("code", ["vi", "en"])
def test_indicator_data_files(code: str):
    data = load_toml(code, "indicators")
    for key in ("tail", "lead", "adverbial", "clause_verbs", "measures", "rates", "plans", "right_stop"):
        assert isinstance(data[key], list) and data[key], key
        assert all(w == w.strip() and w for w in data[key]), key


def test_dev_vietnamese_indicator_f1():
    if not DEV.is_file():
        pytest.skip(f"gold file missing: {DEV}")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_context import gold_claims, token_f1

    scores = []
    for line in DEV.open(encoding="utf-8"):
        row = json.loads(line)
        if row["lang"] != "vi":
            continue
        got = assign_indicators(row["text"], gold_claims(row), lang="vi")
        gold = sorted(row["claims"], key=lambda c: c["start"])
        scores += [token_f1(c.indicator, g["indicator"]) for c, g in zip(got, gold, strict=True) if not g.get("optional")]
    assert sum(scores) / len(scores) >= 0.70


def test_blank_keeps_offsets_and_line_breaks():
    from extractor.indicators import _blank

    text = "Năm 2023\nthu 6 tháng\nđầu năm 10 tỉ"
    spans = [(0, 8), (13, 29)]
    out = _blank(text, spans)
    want = "".join(" " if any(a <= k < b for a, b in spans) and ch != "\n" else ch for k, ch in enumerate(text))
    assert out == want and len(out) == len(text) and out.count("\n") == 2 and out.endswith(" 10 tỉ")


def test_repeated_article_names_every_copy_alike():
    one = "Doanh thu du lịch đạt 500 tỉ đồng, tăng 12%. Toàn huyện có 172 nhà đại đoàn kết."
    spans = [("500 tỉ đồng", "level", "VND", None), ("12%", "change", "percent", None), ("172 nhà", "level", "count", "nhà")]
    single = indicators(one, *spans)
    text = "\n\n".join([one] * 4)
    assert indicators(text, *(spans * 4)) == single * 4


# --------------------------------------------------------------------------- English rules


def test_english_ranking_of_markets_takes_the_parent_and_a_preposition():
    text = "Coffee exports reached 1.5 million tonnes. Germany topped the list with 200,000 tonnes, followed by Italy 150,000 tonnes."
    spans = [("1.5 million tonnes", "level", "tonne", None), ("200,000 tonnes", "level", "tonne", None), ("150,000 tonnes", "level", "tonne", None)]
    assert indicators(text, *spans, lang="en") == ["Coffee exports", "Coffee exports to Germany", "Coffee exports to Italy"]


def test_english_commodity_anaphor_and_noun_order():
    text = "Vietnam shipped rice to Africa. The export value of the grain was 3 billion USD."
    assert indicators(text, ("3 billion USD", "level", "USD", None), lang="en") == ["rice export value"]


def test_english_worth_is_the_value_of_the_level_before():
    text = "The province exported 20,000 tonnes of pepper worth 80 million USD, up 5 percent in value."
    spans = [("20,000 tonnes", "level", "tonne", None), ("80 million USD", "level", "USD", None), ("5 percent", "change", "percent", None)]
    assert indicators(text, *spans, lang="en") == ["pepper exports", "pepper export value", "pepper export value"]


def test_english_named_place_owns_its_parts_and_measures():
    text = "The Red River Delta comprises 11 provinces with a total area of 21,000 square kilometres."
    spans = [("11 provinces", "level", "count", "provinces"), ("21,000 square kilometres", "level", "km2", None)]
    assert indicators(text, *spans, lang="en") == ["provinces in Red River Delta", "total area of Red River Delta"]


def test_english_count_predicate_after_an_auxiliary():
    text = "About 2 million people are yet to join the health insurance scheme."
    got = indicators(text, ("2 million people", "level", "person", "people"), lang="en")
    assert got == ["people yet to join health insurance scheme"]


def test_english_respectively_pairs_items_and_figures():
    text = "The number of people who joined health insurance and pension schemes are 500 and 300, respectively."
    spans = [("500", "level", "person", None), ("300", "level", "person", None)]
    assert indicators(text, *spans, lang="en") == ["people joined health insurance", "people joined pension schemes"]


# --------------------------------------------------------------------------- Vietnamese rules


def test_listed_conditions_share_their_population():
    text = "Kết quả khám cho thấy 30% học sinh cận thị, 10% sâu răng và 5% cong vẹo cột sống."
    spans = [("30%", "share", "percent", None), ("10%", "share", "percent", None), ("5%", "share", "percent", None)]
    assert indicators(text, *spans) == ["học sinh cận thị", "học sinh sâu răng", "học sinh cong vẹo cột sống"]


def test_another_population_replaces_the_one_after_o():
    text = "Tỷ lệ béo phì ở trẻ dưới 5 tuổi là 10%, trẻ 5-18 tuổi là 20% và người trưởng thành là 30%."
    spans = [("10%", "share", "percent", None), ("20%", "share", "percent", None), ("30%", "share", "percent", None)]
    assert indicators(text, *spans)[2] == "Tỷ lệ béo phì ở người trưởng thành"


def test_measure_after_voi_belongs_to_what_precedes_it():
    assert indicators("Doanh nghiệp mua heo hơi với giá 79.000 đồng/kg.", ("79.000 đồng/kg", "level", "VND", None)) == [
        "giá heo hơi"
    ]
    text = "Năm qua, huyện xây dựng 10 điểm du lịch với doanh thu 5 tỉ đồng."
    got = indicators(text, ("10 điểm du lịch", "level", "count", "điểm du lịch"), ("5 tỉ đồng", "level", "VND", None))
    assert got[1].startswith("doanh thu điểm du lịch")


def test_place_after_cua_and_reporting_periods_are_not_part_of_the_phrase():
    assert indicators("Tỷ lệ hộ nghèo của TP HCM là 2%.", ("2%", "share", "percent", None)) == ["Tỷ lệ hộ nghèo"]
    text = "Tổng thu ngân sách 6 tháng đầu năm đạt 500 tỉ đồng."
    assert indicators(text, ("500 tỉ đồng", "level", "VND", None)) == ["Tổng thu ngân sách"]


def test_parts_of_a_count_and_other_units_after_trong_do():
    text = "Tỉnh triển khai 20 dự án, trong đó có 8 dự án mới, có 300 hộ bị ảnh hưởng."
    spans = [("20 dự án", "level", "count", "dự án"), ("8 dự án", "level", "count", "dự án"), ("300 hộ", "level", "household", "hộ")]
    assert indicators(text, *spans)[1:] == ["dự án mới", "hộ bị ảnh hưởng"]


def test_compound_names_shared_modifiers_and_places_after_a_verb():
    assert indicators("Khu vực công nghiệp - xây dựng tăng 4,7%.", ("4,7%", "change", "percent", None)) == [
        "Khu vực công nghiệp - xây dựng"
    ]
    text = "Huyện xây dựng 6 tuyến đường và 42 cầu giao thông nông thôn."
    spans = [("6 tuyến đường", "level", "count", "tuyến đường"), ("42 cầu", "level", "count", "cầu")]
    assert indicators(text, *spans) == ["tuyến đường giao thông nông thôn", "cầu giao thông nông thôn"]
    text = "Giá trứng gà bán tại chợ ở mức 3.000 đồng/quả."
    assert indicators(text, ("3.000 đồng/quả", "level", "VND", None)) == ["Giá trứng gà bán tại chợ"]


def test_dev_all_indicator_f1():
    """Issue 2: token F1 of indicators on all of dev (gold claims in) stays at or above 0.80."""
    if not DEV.is_file():
        pytest.skip(f"gold file missing: {DEV}")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_context import gold_claims, token_f1

    scores = []
    for line in DEV.open(encoding="utf-8"):
        row = json.loads(line)
        got = assign_indicators(row["text"], gold_claims(row), lang=row["lang"])
        gold = sorted(row["claims"], key=lambda c: c["start"])
        scores += [token_f1(c.indicator, g["indicator"]) for c, g in zip(got, gold, strict=True) if not g.get("optional")]
    assert sum(scores) / len(scores) >= 0.80


def test_span_tokens_are_the_clause_tokens_sliced():
    """A span's tokens come from segmenting its clause once: the same words as segmenting the
    span alone when it is a whole clause, clause marks as tokens, a span inside a word clipped."""
    from extractor.indicators import _Tokens
    from extractor.periods import sentence_table

    text = "Tổng sản phẩm trên địa bàn (GRDP), ước đạt 8.100 tỉ đồng; dịch vụ lữ hành tăng 73%."
    claims = claims_of(text, ("8.100 tỉ đồng", "level", "VND", None), ("73%", "change", "percent", None))
    tk = _Tokens(text, "vi", sentence_table(text, "vi"), claims)
    clause = (text.index("dịch vụ"), text.index("73%"))
    assert tk.words(*clause) == tokenize(text[slice(*clause)], "vi")
    first = (0, text.index(","))
    assert tk.words(*first) == tokenize(text[slice(*first)], "vi")
    assert "," in tk.words(0, text.index("ước"))
    start = text.index("phẩm")
    assert tk.words(start + 2, start + 5)[0] == "ẩm"  # inside a word: the characters of the span
    assert tk.words(5, 5) == ()


def test_ascii_tokens_are_the_unicode_tokens():
    """The ASCII tokenizer (a speed-up) splits any ASCII text as the Unicode one does."""
    import random

    from extractor.indicators import _EN_TOKEN, _EN_TOKEN_ASCII

    rng = random.Random(7)
    alphabet = "".join(map(chr, range(128)))
    for n in range(5000):
        chars = alphabet if n % 2 else "aZ09 .-'\t\n\x0b\x1c,%$()_"
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 24)))
        assert _EN_TOKEN_ASCII.findall(text) == _EN_TOKEN.findall(text), repr(text)
    assert tokenize("Exports rose 5.6% to US$4.6 billion in Q1-2024.", "en") == (
        "Exports", "rose", "5.6", "%", "to", "US", "$", "4.6", "billion", "in", "Q1-2024", ".",
    )
