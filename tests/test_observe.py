"""Observations: indicator keys shared across languages, period labels, links, subjects."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.observe import catalogue_key, link_claims, normalise_indicator, observe_article
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

    ok = total = 0
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
                ok += obs[rel[member]].linked_claim == rel[head]
    assert total and ok / total >= 0.85
