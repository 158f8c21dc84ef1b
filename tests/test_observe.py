"""Observations: indicator keys shared across languages, period labels, links, subjects."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.observations import catalogue_key, link_claims, normalise_indicator, observe_article
from extractor.records import Article, Claim

DEV = Path(__file__).resolve().parents[2] / "shared/gold/dev.jsonl"


def claims_of(text: str, *spans: tuple[str, str, str], lang: str = "vi") -> list[Claim]:
    out, pos = [], 0
    for span, kind, unit in spans:
        start = text.index(span, pos)
        pos = start + len(span)
        v = Decimal(1)
        out.append(
            Claim(text=span, start=start, end=pos, value=v, unit=unit, kind=kind,  # type: ignore[arg-type]
                  sentence_start=0, sentence_end=len(text), low=v, high=v, lang=lang,
                  per="kg" if "/kg" in span else None)
        )
    return out


def test_vietnamese_and_english_reports_share_a_key():
    vi = catalogue_key("kim ngạch xuất khẩu cà phê Việt Nam", unit="USD", lang="vi")
    en = catalogue_key("coffee export turnover", unit="USD", lang="en")
    assert vi == en == "kim ngạch xuất khẩu|cà phê"
    assert catalogue_key("tỷ lệ hộ nghèo", lang="vi") == catalogue_key("poverty rate", lang="en")
    assert catalogue_key("Tổng giá trị sản xuất", lang="vi") == "tổng giá trị sản xuất"


def test_unit_decides_between_volume_and_value():
    assert catalogue_key("rice exports", unit="tonne", lang="en") == "khối lượng xuất khẩu|gạo"
    assert catalogue_key("rice exports", unit="USD", lang="en") == "kim ngạch xuất khẩu|gạo"


def test_unknown_indicator_keeps_its_normalised_phrase():
    assert catalogue_key("Quỹ “Vì người nghèo” đạt", lang="vi") == "quỹ vì người nghèo"
    assert normalise_indicator("thu nội địa so với kế hoạch", lang="vi") == "thu nội địa"


def test_change_links_to_the_level_and_base_to_current():
    text = "Cụ thể, giá thịt vai tăng từ 156.000 lên 167.000 đồng/kg (tăng 11.000 đồng/kg)."
    claims = claims_of(text, ("156.000", "level", "VND"), ("167.000 đồng/kg", "level", "VND"),
                       ("11.000 đồng/kg", "change", "VND"))
    assert link_claims(text, claims, lang="vi") == [1, None, 1]


def test_later_current_level_after_a_change():
    text = "Hợp đồng giao tháng 7 giảm 0,53% (29 USD/tấn), xuống còn 5.484 USD/tấn."
    claims = claims_of(text, ("0,53%", "change", "percent"), ("29 USD/tấn", "change", "USD"),
                       ("5.484 USD/tấn", "level", "USD"))
    assert link_claims(text, claims, lang="vi")[0] == 2


def test_observation_fields():
    text = "Quảng Nam: kinh tế\nTổng thu ngân sách 6 tháng đầu năm là 12.221 tỉ đồng, tăng 2,5% so với cùng kỳ."
    article = Article(id="a", text=text, lang="vi", date=dt.date(2024, 7, 2))
    claims = claims_of(text, ("12.221 tỉ đồng", "level", "VND"), ("2,5%", "change", "percent"))
    level, change = observe_article(article, claims)
    assert level.subject == "tỉnh Quảng Nam" and level.subject_code == "49"
    assert level.indicator_key == "thu ngân sách"
    assert level.period_label == "2024-H1" and level.period_end == dt.date(2024, 6, 30)
    assert change.linked_claim == 0 and change.base_period == "2023-H1"
    assert change.indicator_key == level.indicator_key


def test_dev_links_and_periods():
    if not DEV.is_file():
        pytest.skip(f"gold file missing: {DEV}")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_context import gold_claims

    from extractor.indicators import assign_indicators
    from extractor.periods import assign_periods

    ok = total = bases = 0
    for line in DEV.open(encoding="utf-8"):
        row = json.loads(line)
        date = dt.date.fromisoformat(row["date"]) if row.get("date") else None
        claims = assign_indicators(row["text"], assign_periods(row["text"], gold_claims(row), lang=row["lang"], date=date),
                                   lang=row["lang"])
        obs = observe_article(Article(id=row["id"], text=row["text"], lang=row["lang"], date=date), claims)
        assert [o.claim_index for o in obs] == list(range(len(claims)))
        for rel in row.get("relations", []):
            pairs = {"growth": (("change", "current"), ("base", "current")),
                     "multiple": (("factor", "current"), ("base", "current"))}.get(rel["type"], ())
            for member, head in pairs:
                total += 1
                if member == "base":
                    ok += obs[rel[member]].linked_claim == rel[head]
                else:  # a change stated once for several itemised pairs qualifies each
                    ok += rel[head] in obs[rel[member]].linked_claims
            qualifier = obs[rel["change" if rel["type"] == "growth" else "factor"]] if pairs else None
            if qualifier is not None and qualifier.linked_claim == rel["current"]:
                bases += qualifier.base_claim == rel["base"]
    assert total == 16 and ok == total
    assert bases == 6


def test_itemised_change_links_every_pair_and_names_the_base():
    text = "Vissan đề xuất tăng 6-7%. Cụ thể, giá thịt vai tăng từ 156.000 lên 167.000 đồng/kg, chân giò từ 132.000 lên 141.000 đồng/kg."
    claims = claims_of(text, ("6-7%", "change", "percent"), ("156.000", "level", "VND"), ("167.000 đồng/kg", "level", "VND"),
                       ("132.000", "level", "VND"), ("141.000 đồng/kg", "level", "VND"))
    article = Article(id="a", text=text, lang="vi", date=dt.date(2025, 3, 14))
    obs = observe_article(article, claims)
    assert obs[0].linked_claim == 2 and obs[0].linked_claims == [2, 4] and obs[0].base_claim == 1
    assert [o.linked_claim for o in obs[1:]] == [2, None, 4, None]
    assert obs[1].linked_claims == [2] and obs[2].linked_claims == [] and obs[1].base_claim is None


def test_multiple_names_its_base_level():
    text = "In 2019, 551,000 people joined, doubling the total last year which stood at 270,000."
    claims = claims_of(text, ("551,000 people", "level", "person"), ("doubling", "multiple", "times"),
                       ("270,000", "level", "person"), lang="en")
    obs = observe_article(Article(id="a", text=text, lang="en", date=dt.date(2019, 12, 30)), claims)
    assert (obs[1].linked_claim, obs[1].base_claim, obs[2].linked_claim) == (0, 2, 0)


def test_subject_successor_after_the_2025_merger():
    text = "Huyện Phụng Hiệp năm 2023\nTổng giá trị sản xuất đạt 8.100 tỉ đồng."
    claims = claims_of(text, ("8.100 tỉ đồng", "level", "VND"))
    (obs,) = observe_article(Article(id="a", text=text, lang="vi", date=dt.date(2024, 1, 9)), claims)
    assert obs.subject == "huyện Phụng Hiệp, tỉnh Hậu Giang" and obs.subject_successor == "thành phố Cần Thơ"
    text = "Cả nước xuất khẩu 6 triệu tấn gạo."
    claims = claims_of(text, ("6 triệu tấn", "level", "tonne"))
    (obs,) = observe_article(Article(id="b", text=text, lang="vi"), claims)
    assert obs.subject == "Việt Nam" and obs.subject_successor is None


def test_public_observe_stays_a_function_after_the_submodule_is_imported() -> None:
    import importlib

    import extractor

    importlib.import_module("extractor.observations")
    assert callable(extractor.observe) and callable(extractor.check) and callable(extractor.extract)
    article = extractor.Article(id="a", text="Năm 2023, huyện xây dựng 172 nhà đại đoàn kết.", lang="vi")
    assert extractor.observe(article)[0].value == 172
