"""Subjects: gazetteer before/after the 2025 merger, unit recognition, main subject."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.records import Claim
from extractor.subjects import COUNTRY, find_subjects, fold, gazetteer, resolve_unit, subjects_for

DEV = Path(__file__).resolve().parents[2] / "shared/gold/dev.jsonl"


def test_gazetteer_knows_units_before_and_after_the_merger():
    g = gazetteer()
    kinds = [k for k, _ in g.units]
    assert kinds.count("province") == 63 and kinds.count("province2025") == 34
    hau_giang = g.units[("province", "tinhhaugiang")]
    assert hau_giang.code == "93" and hau_giang.successor == "thanhphocantho"
    assert g.units[("province2025", "thanhphocantho")].code == "92"


def test_district_resolves_with_and_without_diacritics():
    for text in ("huyện Phụng Hiệp", "huyen Phung Hiep"):
        (m,) = find_subjects(text, lang="vi")
        assert m.subject.name == "huyện Phụng Hiệp, tỉnh Hậu Giang"
        assert m.subject.code == "93/huyenphunghiep"


def test_english_forms():
    names = [m.subject.name for m in find_subjects("Dong Thap province and Ho Chi Minh City grew.", lang="en")]
    assert names == ["tỉnh Đồng Tháp", "thành phố Hồ Chí Minh"]


def test_route_names_and_datelines_are_not_subjects():
    assert find_subjects("Cao tốc Cần Thơ - Cà Mau đi qua huyện", lang="vi") == []
    assert [m.subject.name for m in find_subjects("Hanoi (VNA) – Vietnam exported rice", lang="en")] == [COUNTRY]


def test_namesakes_prefer_the_province_of_the_article():
    assert resolve_unit("huyện", "Châu Thành", prefer=["tinhhaugiang"]).key.startswith("tinhhaugiang/")
    assert resolve_unit("huyện", "Châu Thành", prefer=["tinhtiengiang"]).key.startswith("tinhtiengiang/")


def test_fold():
    assert fold("Phụng Hiệp") == "phunghiep" and fold("Đắk Lắk") == "daklak"


def test_sentence_without_a_unit_inherits_the_main_subject():
    text = "Huyện Phụng Hiệp: tăng tốc\nCả nước có 63 tỉnh. Toàn huyện có 165 mô hình."
    claims = []
    for span in ("63 tỉnh", "165 mô hình"):
        s = text.index(span)
        claims.append(Claim(text=span, start=s, end=s + len(span), value=Decimal(1), unit="count",
                            sentence_start=0, sentence_end=len(text), low=Decimal(1), high=Decimal(1)))
    subs = subjects_for(text, claims, lang="vi")
    assert [s.name for s in subs] == [COUNTRY, "huyện Phụng Hiệp, tỉnh Hậu Giang"]


def test_built_file_matches_the_build_script():
    pytest.importorskip("underthesea")
    from extractor.data.build_gazetteer import build

    rows = build()
    assert len(rows) == len(gazetteer().units)


def test_seed_subjects_are_phung_hiep():
    if not DEV.is_file():
        pytest.skip(f"gold file missing: {DEV}")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_context import gold_claims

    row = next(json.loads(line) for line in DEV.open(encoding="utf-8") if '"vi-seed-0001"' in line)
    subs = subjects_for(row["text"], gold_claims(row), lang="vi")
    assert {(s.name, s.code) for s in subs} == {("huyện Phụng Hiệp, tỉnh Hậu Giang", "93/huyenphunghiep")}


def test_successor_names_the_unit_after_the_2025_merger():
    from extractor.subjects import describe, resolve_unit, successor_name

    def after(level: str, name: str) -> str | None:
        unit = resolve_unit(level, name)
        assert unit is not None
        return successor_name(describe(unit))

    assert after("tỉnh", "Hải Dương") == "thành phố Hải Phòng"
    assert after("thành phố", "Hải Phòng") == "thành phố Hải Phòng"  # kept its name, took in another
    assert after("huyện", "Phụng Hiệp") == "thành phố Cần Thơ"  # districts went with their area
    assert successor_name(None) is None
