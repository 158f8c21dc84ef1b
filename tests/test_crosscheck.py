"""Cross-article findings on stored observations (records built by hand: each case is exact)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from extractor.crosscheck import cross_findings
from extractor.records import Article, Claim, Observation
from extractor.store import Store, text_hash

SCALE = {"tỉ đồng": Decimal(10) ** 9, "triệu đồng": Decimal(10) ** 6, "%": Decimal(1),
         "billion": Decimal(10) ** 9}


def fig(text: str, *, lang: str = "vi", kind: str = "level", qualifier: str = "exact",
        direction: str | None = None, **obs: object) -> dict:
    """One figure: printed text like '8,1 tỉ đồng' / 'VND8.1 billion' → value and rounding."""
    number, _, unit_word = text.replace("VND", "").partition(" ")
    decimal_mark = "," if lang == "vi" else "."
    group = "." if lang == "vi" else ","
    digits = number.rstrip("%").replace(group, "").replace(decimal_mark, ".")
    places = len(digits.partition(".")[2])
    unit_word = "%" if text.endswith("%") else unit_word
    scale = SCALE[unit_word]
    value = Decimal(digits) * scale
    half = Decimal(5).scaleb(-places - 1) * scale
    unit = "percent" if unit_word == "%" else "VND"
    return dict(text=text, value=value, low=value - half, high=value + half, unit=unit, kind=kind,
                qualifier=qualifier, direction=direction, lang=lang, **obs)


def add(store: Store, article_id: str, figures: list[dict], *, date: str | None = "2024-01-09",
        lang: str = "vi", subject: str = "Phụng Hiệp", key: str = "production_value",
        period: str | None = "2023") -> None:
    body = " ".join(f["text"] for f in figures) + f" ({article_id})"
    claims, observations = [], []
    pos = 0
    for i, f in enumerate(figures):
        start = body.index(f["text"], pos)
        end = start + len(f["text"])
        pos = end
        extra = {k: f[k] for k in ("period_start", "period_end", "base_period", "subject_code")
                 if k in f}
        claims.append(Claim(text=f["text"], start=start, end=end, value=f["value"], unit=f["unit"],
                            kind=f["kind"], qualifier=f["qualifier"], direction=f["direction"],
                            lang=f["lang"], sentence_start=0, sentence_end=len(body), low=f["low"],
                            high=f["high"]))
        observations.append(Observation(
            article_id=article_id, claim_index=i, subject=f.get("subject", subject),
            indicator_key=f.get("key", key), indicator_label=f.get("label", "giá trị sản xuất"),
            period_label=f.get("period", period), value=f["value"], low=f["low"], high=f["high"],
            unit=f["unit"], kind=f["kind"], direction=f["direction"], qualifier=f["qualifier"],
            start=start, end=end, text=f["text"], lang=f["lang"], **extra))
    article = Article(id=article_id, text=body, lang=lang,
                      date=dt.date.fromisoformat(date) if date else None)
    assert store.add_article(article, key=text_hash(body), claims=claims,
                             observations=observations, findings=[])


def run(tmp_path: Path, *articles: tuple) -> list:
    with Store(tmp_path / "x.duckdb") as store:
        for args, kwargs in articles:
            add(store, *args, **kwargs)
        return cross_findings(store)


def codes(findings: list) -> list[str]:
    return sorted(f.code for f in findings)


def test_scale_slip_between_two_reports(tmp_path: Path) -> None:
    found = run(tmp_path,
                (("a", [fig("8,1 tỉ đồng")]), {}),
                (("b", [fig("8,1 triệu đồng")]), {"date": "2024-02-01"}))
    assert codes(found) == ["XC-SCALE"]
    f = found[0]
    assert f.severity == "error"
    assert f.article_id == "b"  # the later article
    assert {r.article_id for r in f.claims} == {"a", "b"}
    assert "1000" in f.message_en and "8,1 tỉ đồng" in f.message_en and "8,1 triệu đồng" in f.message_en


def test_revision_by_a_later_report(tmp_path: Path) -> None:
    found = run(tmp_path,
                (("early", [fig("8,1 tỉ đồng")]), {"date": "2024-01-09"}),
                (("late", [fig("9,5 tỉ đồng")]), {"date": "2024-03-01"}))
    assert codes(found) == ["XC-REVISED"]
    assert found[0].article_id == "late"
    assert "late" in found[0].message_en and "early" in found[0].message_en
    assert found[0].stated == (Decimal("8050000000"), Decimal("8150000000"))


def test_unexplained_conflict_same_day(tmp_path: Path) -> None:
    found = run(tmp_path, (("a", [fig("8,1 tỉ đồng")]), {}), (("b", [fig("9,5 tỉ đồng")]), {}))
    assert codes(found) == ["XC-CONFLICT"]


def test_different_scope(tmp_path: Path) -> None:
    half = {"period_start": dt.date(2023, 1, 1), "period_end": dt.date(2023, 6, 30)}
    year = {"period_start": dt.date(2023, 1, 1), "period_end": dt.date(2023, 12, 31)}
    found = run(tmp_path,
                (("h1", [fig("4 tỉ đồng", **half)]), {}),
                (("fy", [fig("8,1 tỉ đồng", **year)]), {"date": "2024-02-01"}))
    assert codes(found) == ["XC-SCOPE"]


def test_rounding_and_qualifiers_keep_false_alarms_down(tmp_path: Path) -> None:
    found = run(tmp_path,
                (("a", [fig("8,1 tỉ đồng")]), {}),
                (("b", [fig("8 tỉ đồng", qualifier="approx")]), {}),   # ±5% reaches 8,4
                (("c", [fig("8 tỉ đồng", qualifier="over")]), {}),     # open top
                (("d", [fig("8,14 tỉ đồng")]), {}))                    # inside 8,05–8,15
    assert found == []


def test_needs_same_subject_indicator_period_and_two_articles(tmp_path: Path) -> None:
    found = run(tmp_path,
                (("a", [fig("8,1 tỉ đồng"), fig("9,5 tỉ đồng")]), {}),  # one article: not ours
                (("b", [fig("5 tỉ đồng")]), {"subject": "Long Mỹ"}),
                (("c", [fig("6 tỉ đồng")]), {"period": "2022"}),
                (("d", [fig("7 tỉ đồng")]), {"key": "budget_revenue"}))
    assert found == []


def test_growth_that_contradicts_the_levels(tmp_path: Path) -> None:
    found = run(tmp_path,
                (("y2023", [fig("8.100 tỉ đồng", period="2023"),
                            fig("9,17%", kind="change", direction="up", period="2023")]), {}),
                (("y2022", [fig("5.000 tỉ đồng", period="2022")]), {"date": "2023-01-05"}))
    assert codes(found) == ["XC-GROWTH"]
    f = found[0]
    assert f.stated == (Decimal("9.165"), Decimal("9.175"))
    lo, hi = f.implied
    assert Decimal(61) < lo < hi < Decimal(63)  # 8100/5000 − 1 = 62%
    assert {r.article_id for r in f.claims} == {"y2023", "y2022"}


def test_growth_that_fits_the_levels(tmp_path: Path) -> None:
    found = run(tmp_path,
                (("y2023", [fig("8.100 tỉ đồng", period="2023"),
                            fig("9,17%", kind="change", direction="up", period="2023")]), {}),
                (("y2022", [fig("7.420 tỉ đồng", period="2022")]), {"date": "2023-01-05"}))
    assert found == []


def test_vietnamese_and_english_versions_of_one_figure(tmp_path: Path) -> None:
    found = run(tmp_path,
                (("vi", [fig("8,1 tỉ đồng")]), {}),
                (("en", [fig("VND8.1 billion", lang="en")]), {"lang": "en", "date": "2024-01-10"}))
    assert codes(found) == ["XC-VI-EN"]
    assert found[0].severity == "info"
    assert "Vietnamese" in found[0].message_en and "English" in found[0].message_en


def test_a_figure_repeated_by_many_articles_is_compared_once(tmp_path: Path) -> None:
    many = [((f"copy{i:03d}", [fig("8,1 tỉ đồng")]), {}) for i in range(150)]
    found = run(tmp_path, *many, (("odd", [fig("8,1 triệu đồng")]), {}))
    assert codes(found) == ["XC-SCALE"]
    assert "149 more" in found[0].message_en


def test_real_pipeline_finds_cross_article_figures(tmp_path: Path) -> None:
    """The real extractor and observer, four short reports on Vietnam's rice exports."""
    import json

    from extractor.pipeline import ingest

    reports = [
        ("vi-2019", "vi", "2020-01-05",
         "Năm 2019, xuất khẩu gạo của Việt Nam đạt 6,37 triệu tấn, tăng 4,2% so với năm 2018."),
        ("en-2019", "en", "2020-01-06",
         "In 2019, Vietnam's rice exports reached 6.37 million tonnes, up 4.2 percent from 2018."),
        ("vi-2018", "vi", "2019-01-10", "Năm 2018, xuất khẩu gạo của Việt Nam đạt 5,5 triệu tấn."),
        ("vi-slip", "vi", "2020-01-07", "Năm 2019, xuất khẩu gạo của Việt Nam đạt 6,37 nghìn tấn."),
    ]
    src = tmp_path / "rice.jsonl"
    src.write_text("\n".join(json.dumps({"id": i, "lang": lang, "date": d, "text": t},
                                        ensure_ascii=False) for i, lang, d, t in reports),
                   encoding="utf-8")
    db = tmp_path / "rice.duckdb"
    stats = ingest([str(src)], db=db, workers=1)
    assert stats.articles == 4
    with Store(db, read_only=True) as store:
        rows = store.con.execute(
            "SELECT code, article_id, claims FROM findings WHERE scope = 'cross'").fetchall()
    found = {(code, article_id): {r["article_id"] for r in json.loads(refs)}
             for code, article_id, refs in rows}
    assert stats.cross_findings == len(rows)
    assert found[("XC-VI-EN", "en-2019")] == {"vi-2019", "en-2019"}
    assert found[("XC-SCALE", "vi-slip")] >= {"vi-slip"}
    growth = [refs for (code, _), refs in found.items() if code == "XC-GROWTH"]
    assert growth and all("vi-2018" in refs for refs in growth)  # 6.37/5.5 is +16%, not +4.2%
