"""Fact-checking a text against the dataset: the real pipeline end to end, then the lookup rules
on hand-built rows."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.factcheck import _verdict, factcheck
from extractor.pipeline import ingest
from extractor.records import Article, Claim, Observation
from extractor.store import Store, text_hash

DEV = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev.jsonl"
SENTENCE = "Tổng giá trị sản xuất đạt gần 8.100 tỉ đồng, tăng 9,17% so năm 2022."
CHANGED = "Tổng giá trị sản xuất đạt gần 6.100 tỉ đồng, tăng 9,17% so năm 2022."


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fc") / "dev.duckdb"
    stats = ingest([str(DEV)], db=db, workers=1)
    assert stats.articles == 13
    return db


def _about(verdicts: list, text: str):
    [v] = [v for v in verdicts if v.claim.text == text]
    return v


def test_a_copied_sentence_is_consistent(dev_db: Path) -> None:
    with Store(dev_db, read_only=True) as store:
        v = _about(factcheck(SENTENCE, store=store), "8.100 tỉ đồng")
    assert v.verdict == "consistent", v.arithmetic
    hit = next(e for e in v.evidence if e.meets)
    assert hit.article_id == "vi-seed-0001"
    assert hit.text == "8.100 tỉ đồng" and hit.date == dt.date(2024, 1, 9)
    assert "8.100 tỉ đồng" in hit.quote and hit.title and hit.title.startswith("Huyện Phụng Hiệp")
    seed = json.loads(DEV.read_text(encoding="utf-8").splitlines()[0])["text"]
    assert seed[hit.start : hit.end] == "8.100 tỉ đồng"


def test_the_same_sentence_with_another_figure_is_inconsistent(dev_db: Path) -> None:
    with Store(dev_db, read_only=True) as store:
        v = _about(factcheck(CHANGED, store=store), "6.100 tỉ đồng")
    assert v.verdict == "inconsistent", v.arithmetic
    assert v.evidence and v.evidence[0].article_id == "vi-seed-0001"
    assert "cannot meet" in v.arithmetic


def test_factcheck_cli_json(dev_db: Path) -> None:
    result = CliRunner().invoke(app, ["factcheck", "--db", str(dev_db), "--format", "json", CHANGED])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    by_text = {c["text"]: c for c in payload["claims"]}
    changed = by_text["6.100 tỉ đồng"]
    assert changed["verdict"] == "inconsistent"
    assert changed["value"] == "6100000000000" and changed["unit"] == "VND"
    ev = changed["evidence"][0]
    assert {"article_id", "title", "date", "quote", "start", "end", "interval", "arithmetic"} <= set(ev)
    text_out = CliRunner().invoke(app, ["factcheck", "--db", str(dev_db), SENTENCE])
    assert text_out.exit_code == 0 and "consistent" in text_out.stdout


def test_factcheck_cli_without_a_dataset(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["factcheck", "--db", str(tmp_path / "none.duckdb"), "x"])
    assert result.exit_code == 2 and "no dataset" in result.output


# -- the lookup rules, on hand-built rows -----------------------------------------------------


def _claim(text: str, value: str, *, low: str, high: str, unit: str = "VND") -> Claim:
    return Claim(text=text, start=0, end=len(text), value=Decimal(value), unit=unit, lang="vi",
                 sentence_start=0, sentence_end=len(text), low=Decimal(low), high=Decimal(high))


EIGHT = _claim("8,1 tỉ đồng", "8100000000", low="8050000000", high="8150000000")
NINE = _claim("9,5 tỉ đồng", "9500000000", low="9450000000", high="9550000000")
MILLION = _claim("8,1 triệu đồng", "8100000", low="8050000", high="8150000")


def _obs(claim: Claim, **over: object) -> Observation:
    fields: dict = dict(article_id="q", claim_index=0, subject="Phụng Hiệp",
                        indicator_key="production_value", indicator_label="giá trị sản xuất",
                        period_label="2023", value=claim.value, low=claim.low, high=claim.high,
                        unit=claim.unit, kind=claim.kind, start=claim.start, end=claim.end,
                        text=claim.text, lang="vi")
    fields.update(over)
    return Observation(**fields)


@pytest.fixture
def hand_db(tmp_path: Path) -> Store:
    store = Store(tmp_path / "hand.duckdb")
    for ident, claim, date in (("a", EIGHT, "2024-01-09"), ("b", NINE, "2024-03-01")):
        text = f"Giá trị sản xuất đạt {claim.text}."
        start = text.index(claim.text)
        placed = claim.model_copy(update={"start": start, "end": start + len(claim.text),
                                          "sentence_end": len(text)})
        obs = _obs(placed, article_id=ident)
        store.add_article(Article(id=ident, text=text, lang="vi", title=f"Bài {ident}",
                                  date=dt.date.fromisoformat(date)),
                          key=text_hash(text), claims=[placed], observations=[obs], findings=[])
    yield store
    store.close()


def test_lookup_falls_back_when_the_text_names_no_subject_or_period(hand_db: Store) -> None:
    v = _verdict(EIGHT, _obs(EIGHT, subject=None, period_label=None), store=hand_db, limit=3)
    assert v.verdict == "consistent"
    assert v.evidence[0].article_id == "a"  # the closest figure first
    assert v.evidence[0].quote == "Giá trị sản xuất đạt 8,1 tỉ đồng."


def test_lookup_prefers_the_closest_figure(hand_db: Store) -> None:
    v = _verdict(NINE, _obs(NINE), store=hand_db, limit=3)
    assert v.verdict == "consistent"
    assert [e.article_id for e in v.evidence] == ["b", "a"]
    assert [e.meets for e in v.evidence] == [True, False]


def test_a_named_subject_or_period_must_agree(hand_db: Store) -> None:
    assert _verdict(EIGHT, _obs(EIGHT, subject="Long Mỹ"), store=hand_db, limit=3).verdict == "not_found"
    assert _verdict(EIGHT, _obs(EIGHT, period_label="2022"), store=hand_db, limit=3).verdict == "not_found"
    nothing = _obs(EIGHT, indicator_key=None, indicator_label=None)
    assert _verdict(EIGHT, nothing, store=hand_db, limit=3).verdict == "not_found"


def test_inconsistent_shows_the_arithmetic(hand_db: Store) -> None:
    v = _verdict(MILLION, _obs(MILLION), store=hand_db, limit=1)
    assert v.verdict == "inconsistent"
    assert len(v.evidence) == 1 and not v.evidence[0].meets
    assert "do not meet" in v.evidence[0].arithmetic and "1000" in v.evidence[0].arithmetic
    row = v.to_json()
    assert row["verdict"] == "inconsistent" and row["interval"] == ["8050000", "8150000"]
    assert row["evidence"][0]["date"] == "2024-01-09"
