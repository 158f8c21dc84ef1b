"""Rule catalogue of the consistency checker on small texts (each rule can fail)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers_gold import claim_from_gold, sentence_spans

import extractor
from extractor.checks import check_article, detect_relations
from extractor.records import Article, Claim, Finding


def claims_for(text: str, specs: list[dict[str, Any]], *, lang: str = "vi") -> list[Claim]:
    """Claims from ``{"text", "value", ...}`` specs; ``nth`` picks a repeated span (0-based)."""
    spans = sentence_spans(text)
    out, used = [], set()
    for spec in specs:
        start = -1
        for _ in range(spec.get("nth", 0) + 1):
            start = text.index(spec["text"], start + 1)
        while start in used:
            start = text.index(spec["text"], start + 1)
        used.add(start)
        g = {"unit": "VND", "kind": "level", "qualifier": "exact", **spec, "start": start}
        g.pop("nth", None)
        out.append(claim_from_gold(g, lang=lang, spans=spans))
    return sorted(out, key=lambda c: c.start)


def run(text: str, specs: list[dict[str, Any]], *, lang: str = "vi") -> list[Finding]:
    return check_article(Article(id="t", text=text, lang=lang), claims_for(text, specs, lang=lang))


def codes(findings: list[Finding], severity: str | None = None) -> list[str]:
    return [f.code for f in findings if severity is None or f.severity == severity]


# ---------------------------------------------------------------------- SUM / PART

SUM_TEXT = "Năm qua, huyện triển khai {t} dự án, trong đó có {a} dự án mới và {b} dự án chuyển tiếp."


def sum_specs(t: int, a: int, b: int) -> list[dict[str, Any]]:
    return [{"text": f"{t} dự án", "value": t, "unit": "count", "noun": "dự án"},
            {"text": f"{a} dự án", "value": a, "unit": "count", "noun": "dự án", "nth": 0 if a != t else 1},
            {"text": f"{b} dự án", "value": b, "unit": "count", "noun": "dự án"}]


def test_sum_that_adds_up_gives_nothing():
    assert run(SUM_TEXT.format(t=20, a=8, b=12), sum_specs(20, 8, 12)) == []


def test_sum_of_counts_off_by_one_is_an_error():
    findings = run(SUM_TEXT.format(t=20, a=8, b=13), sum_specs(20, 8, 13))
    assert codes(findings, "error") == ["SUM"]
    assert "8 dự án + 13 dự án = 21 dự án" in findings[0].message_vi


def test_parts_exceeding_an_open_total_is_an_error_names_every_figure():
    text = "Dự án có tổng vốn 1.468,5 tỉ đồng, trong đó 700 tỉ đồng từ trái phiếu và 868,5 tỉ đồng từ ngân sách."
    findings = run(text, [{"text": "1.468,5 tỉ đồng", "value": "1468500000000"},
                          {"text": "700 tỉ đồng", "value": "700000000000"},
                          {"text": "868,5 tỉ đồng", "value": "868500000000"}])
    assert codes(findings, "error") == ["SUM"]
    assert {c.text for c in findings[0].claims} == {"1.468,5 tỉ đồng", "700 tỉ đồng", "868,5 tỉ đồng"}
    assert "1.567–1.570 tỉ đồng" in findings[0].message_vi and "1,567–1,570" in findings[0].message_en


def test_closed_money_list_short_of_total_is_only_a_warning():
    text = "Dự án có tổng vốn 1.468,5 tỉ đồng, trong đó 700 tỉ đồng từ trái phiếu và 668,5 tỉ đồng từ ngân sách."
    findings = run(text, [{"text": "1.468,5 tỉ đồng", "value": "1468500000000"},
                          {"text": "700 tỉ đồng", "value": "700000000000"},
                          {"text": "668,5 tỉ đồng", "value": "668500000000"}])
    assert codes(findings) == ["SUM"] and findings[0].severity == "warning"


def test_part_between_and_whole_first_with_remainder():
    text = "Hồ Ea Tam là 7 trong 6 công trình trọng điểm."
    findings = run(text, [{"text": "7", "value": 7, "unit": "count"},
                          {"text": "6 công trình", "value": 6, "unit": "count", "noun": "công trình"}])
    assert codes(findings, "error") == ["PART"]
    text = "Trong 16 chỉ tiêu, có 9 chỉ tiêu đạt và vượt, 4 chỉ tiêu đạt 90%, các chỉ tiêu còn lại sẽ đạt."
    specs = [{"text": f"{n} chỉ tiêu", "value": n, "unit": "count", "noun": "chỉ tiêu"} for n in (16, 9, 4)]
    findings = run(text, specs)
    rest = [f for f in findings if f.code == "IMPLIED_REST"]
    assert rest and rest[0].severity == "info" and "3 chỉ tiêu" in rest[0].message_vi
    assert not codes(findings, "error")


def test_english_of_which():
    # 4 + 7 million may be 10 million (3,5 + 6,5): rounding saves it; 4 + 8 cannot be
    text = "Exports reached 10 million tonnes, of which 4 million tonnes went to Asia and {b} million tonnes to Africa."
    specs = [{"text": "10 million tonnes", "value": 10000000, "unit": "tonne"},
             {"text": "4 million tonnes", "value": 4000000, "unit": "tonne"},
             {"text": "7 million tonnes", "value": 7000000, "unit": "tonne"}]
    assert run(text.format(b=7), specs, lang="en") == []
    specs[2] = {"text": "8 million tonnes", "value": 8000000, "unit": "tonne"}
    findings = run(text.format(b=8), specs, lang="en")
    assert codes(findings, "error") == ["SUM"]
    assert "= 11–13 million tonnes" in findings[0].message_en


# ---------------------------------------------------------------------- GROWTH

PRICE = "Giá thịt vai tăng từ {a} lên {b} đồng/kg ({d} {c} đồng/kg)."


def price_specs(a: str, b: str, c: str, direction: str = "up") -> list[dict[str, Any]]:
    val = lambda s: s.replace(".", "")  # noqa: E731
    return [{"text": a, "value": val(a), "per": "kg"},
            {"text": f"{b} đồng/kg", "value": val(b), "per": "kg"},
            {"text": f"{c} đồng/kg", "value": val(c), "per": "kg", "kind": "change", "direction": direction}]


def test_absolute_growth_holds_and_breaks():
    assert run(PRICE.format(a="156.000", b="167.000", c="11.000", d="tăng"), price_specs("156.000", "167.000", "11.000")) == []
    findings = run(PRICE.format(a="156.000", b="167.000", c="11.000", d="giảm"),
                   price_specs("156.000", "167.000", "11.000", "down"))
    assert codes(findings, "error") == ["GROWTH"]
    assert "156.000 − 11.000 đồng/kg ⇒ 144.999–145.001 đồng/kg" in findings[0].message_vi


def test_growth_saved_only_by_robust_reading_is_a_warning():
    findings = run(PRICE.format(a="156.000", b="167.000", c="12.000", d="tăng"), price_specs("156.000", "167.000", "12.000"))
    assert [(f.code, f.severity) for f in findings] == [("GROWTH", "warning")]


def test_direction_only_growth():
    text = "Tỷ lệ béo phì năm 2017 là 11,1%, tăng lên 10,6% năm 2022."
    specs = [{"text": "11,1%", "value": "11.1", "unit": "percent", "kind": "share"},
             {"text": "10,6%", "value": "10.6", "unit": "percent", "kind": "share"}]
    # shares are not levels: no from-to growth; as levels the fall contradicts "tăng lên"
    assert not codes(run(text, specs), "error")
    specs = [{**s, "kind": "level"} for s in specs]
    assert codes(run(text, specs), "error") == ["GROWTH"]


def test_relative_growth_with_stated_base_english():
    text = "Coffee fetched US$4,275 per tonne in May, up 14% from US$3,000 per tonne in April."
    specs = [{"text": "US$4,275 per tonne", "value": 4275, "unit": "USD", "per": "tonne"},
             {"text": "14%", "value": 14, "unit": "percent", "kind": "change", "direction": "up"},
             {"text": "US$3,000 per tonne", "value": 3000, "unit": "USD", "per": "tonne"}]
    findings = run(text, specs, lang="en")
    assert codes(findings, "error") == ["GROWTH"]


def test_implied_base_info():
    text = "Tổng giá trị sản xuất đạt gần 8.100 tỉ đồng, tăng 9,17% so năm 2022."
    specs = [{"text": "8.100 tỉ đồng", "value": "8100000000000", "qualifier": "approx"},
             {"text": "9,17%", "value": "9.17", "unit": "percent", "kind": "change", "direction": "up"}]
    findings = run(text, specs)
    assert [(f.code, f.severity) for f in findings] == [("IMPLIED_BASE", "info")]
    assert "năm 2022 ≈" in findings[0].message_vi


# ---------------------------------------------------------------------- TARGET / SHARE / MULTIPLE


def test_implied_target_message_shows_the_arithmetic():
    text = "Năm qua, vận động được 45,2 tỉ đồng, đạt 152% chỉ tiêu."
    specs = [{"text": "45,2 tỉ đồng", "value": "45200000000"},
             {"text": "152%", "value": 152, "unit": "percent", "kind": "target"}]
    (f,) = run(text, specs)
    assert f.code == "IMPLIED_TARGET" and f.severity == "info"
    assert f.message_vi == "45,2 tỉ đồng = 152% chỉ tiêu ⇒ chỉ tiêu ≈ 29,6–29,9 tỉ đồng"
    assert f.message_en == "45,2 tỉ đồng = 152% of target ⇒ target ≈ 29.6–29.9 tỉ đồng"


def test_target_with_stated_plan():
    text = "Thu ngân sách đạt 45,2 tỉ đồng, đạt 152% kế hoạch (kế hoạch 20 tỉ đồng)."
    specs = [{"text": "45,2 tỉ đồng", "value": "45200000000"},
             {"text": "152%", "value": 152, "unit": "percent", "kind": "target"},
             {"text": "20 tỉ đồng", "value": "20000000000"}]
    assert codes(run(text, specs), "error") == ["TARGET"]


def test_share_with_part_and_whole():
    text = "Có 85 triệu người tham gia, chiếm 95% của 100 triệu người."
    specs = [{"text": "85 triệu người", "value": 85000000, "unit": "person"},
             {"text": "95%", "value": 95, "unit": "percent", "kind": "share"},
             {"text": "100 triệu người", "value": 100000000, "unit": "person"}]
    assert codes(run(text, specs), "error") == ["SHARE"]
    # 90% of 100 triệu is 85 triệu only if "100 triệu" is rounded (95–105 triệu): a warning
    specs[1] = {**specs[1], "text": "90%", "value": 90}
    assert [(f.code, f.severity) for f in run(text.replace("95%", "90%"), specs)] == [("SHARE", "warning")]
    text2 = text.replace("95%", "85%")
    specs[1] = {**specs[1], "text": "85%", "value": 85}
    assert codes(run(text2, specs), "error") == []


def test_multiple_with_both_levels():
    text = "In 2019, 551,000 people joined, doubling the total last year which stood at 400,000."
    specs = [{"text": "551,000", "value": 551000, "unit": "person"},
             {"text": "doubling", "value": 2, "unit": "times", "kind": "multiple"},
             {"text": "400,000", "value": 400000, "unit": "person"}]
    assert codes(run(text, specs, lang="en"), "error") == ["MULTIPLE"]
    specs[2] = {**specs[2], "text": "270,000", "value": 270000}
    assert run(text.replace("400,000", "270,000"), specs, lang="en") == []


# ---------------------------------------------------------------------- SAME and single figures


def test_repeated_sentence_with_another_value_is_an_error():
    text = ("Khách du lịch đạt 4,6 triệu lượt, tăng 18%. Doanh thu tăng.\n"
            "Khách du lịch đạt 4,8 triệu lượt, tăng 18%. Trong ảnh: phố cổ.")
    specs = [{"text": "4,6 triệu lượt", "value": 4600000, "unit": "count", "noun": "lượt"},
             {"text": "4,8 triệu lượt", "value": 4800000, "unit": "count", "noun": "lượt"}]
    findings = run(text, specs)
    assert codes(findings, "error") == ["SAME"]
    assert "4,6 triệu lượt" in findings[0].message_vi and "4,8 triệu lượt" in findings[0].message_vi


def test_title_figure_restated_with_a_slip_is_a_warning():
    text = "Chỉ 49% trẻ Việt Nam được da kề da\nThống kê tại Việt Nam ghi nhận chỉ khoảng 39% trẻ được da kề da."
    specs = [{"text": "49%", "value": 49, "unit": "percent", "kind": "share"},
             {"text": "39%", "value": 39, "unit": "percent", "kind": "share", "qualifier": "approx"}]
    assert [(f.code, f.severity) for f in run(text, specs)] == [("SAME", "warning")]


def test_single_figure_rules():
    text = "Tỷ lệ bao phủ đạt 5.000% dân số; thực hiện 18/17 chỉ tiêu; ngân sách huyện 1.000.000 tỉ tỉ đồng."
    spans = sentence_spans(text)
    claims = [
        claim_from_gold({"text": "5.000%", "start": text.index("5.000%"), "value": 5000, "unit": "percent", "kind": "share"}, lang="vi", spans=spans),
        claim_from_gold({"text": "18/17 chỉ tiêu", "start": text.index("18/17"), "value": 18, "of": 17, "unit": "count", "kind": "ratio"}, lang="vi", spans=spans),
        claim_from_gold({"text": "1.000.000 tỉ tỉ đồng", "start": text.index("1.000.000"), "value": "1e24", "unit": "VND"}, lang="vi", spans=spans),
    ]
    findings = check_article(Article(id="t", text=text, lang="vi"), claims)
    assert sorted(codes(findings, "error")) == ["MAGNITUDE", "RATIO_GT_1", "SHARE_GT_100"]


def test_public_check_api_uses_given_claims():
    text = SUM_TEXT.format(t=20, a=8, b=13)
    claims = claims_for(text, sum_specs(20, 8, 13))
    findings = extractor.check(text, claims, lang="vi")
    assert codes(findings, "error") == ["SUM"] and findings[0].article_id == "-"


def test_findings_serialise_with_open_ends_as_null():
    text = "Có hơn 2.400 hộ bị thu hồi đất, trong đó 2.600 hộ đã bàn giao."
    specs = [{"text": "2.400 hộ", "value": 2400, "unit": "household", "qualifier": "over"},
             {"text": "2.600 hộ", "value": 2600, "unit": "household"}]
    findings = run(text, specs)
    assert findings == [] or all(f.model_dump(mode="json") for f in findings)
    relations, _, _ = detect_relations(Article(id="t", text=text, lang="vi"), claims_for(text, specs))
    assert [r.type for r in relations] == ["part"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_claims_no_findings(lang):
    assert check_article(Article(id="t", text="Không có số liệu.", lang=lang), []) == []


def test_breakdown_in_the_next_sentence_is_a_weak_sum():
    text = "Kim ngạch xuất khẩu đạt 40 tỉ USD. Trong đó, nông sản đạt 21,4 tỉ USD, thủy sản 7,2 tỉ USD, lâm sản 12,2 tỉ USD."
    specs = [{"text": t, "value": v, "unit": "USD"} for t, v in
             (("40 tỉ USD", 40e9), ("21,4 tỉ USD", 21.4e9), ("7,2 tỉ USD", 7.2e9), ("12,2 tỉ USD", 12.2e9))]
    specs = [{**s, "value": str(int(s["value"]))} for s in specs]
    findings = run(text, specs)
    assert [(f.code, f.severity) for f in findings] == [("SUM", "warning")]
    assert "= 40,6–41 tỉ USD" in findings[0].message_vi


def test_share_whole_before_a_breakdown():
    text = "Toàn tỉnh có 250.000 hộ, trong đó 12.000 hộ nghèo, chiếm {s} tổng số hộ."
    specs = [{"text": "250.000 hộ", "value": 250000, "unit": "household"},
             {"text": "12.000 hộ", "value": 12000, "unit": "household"},
             {"text": "4,8%", "value": "4.8", "unit": "percent", "kind": "share"}]
    assert run(text.format(s="4,8%"), specs) == []
    specs[2] = {**specs[2], "text": "8,4%", "value": "8.4"}
    assert codes(run(text.format(s="8,4%"), specs), "error") == ["SHARE"]


def test_change_then_new_level_implies_the_base():
    text = "Giá cà phê hôm nay tăng 1.500 đồng/kg lên 128.000 đồng/kg."
    specs = [{"text": "1.500 đồng/kg", "value": 1500, "per": "kg", "kind": "change", "direction": "up"},
             {"text": "128.000 đồng/kg", "value": 128000, "per": "kg"}]
    (f,) = run(text, specs)
    assert f.code == "IMPLIED_BASE" and "126.499–126.501 đồng/kg" in f.message_vi
