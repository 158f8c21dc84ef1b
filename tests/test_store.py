"""The DuckDB dataset: schema from records.py, one transaction per article, idempotence, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from extractor.records import Article, Claim, ClaimRef, Finding, Observation
from extractor.store import TABLES, Store, text_hash

TEXT = "Tổng giá trị sản xuất đạt gần 8.100 tỉ đồng, giá cà phê 386,75 US cent/pound."


def _claims() -> list[Claim]:
    return [
        Claim(text="8.100 tỉ đồng", start=30, end=43, value=Decimal("8100000000000"), unit="VND",
              qualifier="approx", indicator="tổng giá trị sản xuất", period="2023", lang="vi",
              sentence_start=0, sentence_end=len(TEXT), low=Decimal("8099500000000"),
              high=Decimal("8100500000000")),
        Claim(text="386,75 US cent/pound", start=57, end=77, value=Decimal("3.8675"), unit="USD",
              per="pound", lang="vi", sentence_start=0, sentence_end=len(TEXT),
              low=Decimal("3.86745"), high=Decimal("3.86755")),
    ]


def _article(text: str = TEXT, ident: str = "a1") -> Article:
    return Article(id=ident, text=text, lang="vi", date=dt.date(2024, 1, 9), title="Tiêu đề",
                   url="https://example.org/a1", source="Báo")


def _observations(article_id: str = "a1") -> list[Observation]:
    c = _claims()[0]
    return [Observation(article_id=article_id, claim_index=0, subject="Phụng Hiệp",
                        indicator_key="production_value", indicator_label=c.indicator,
                        period_label="2023", period_start=dt.date(2023, 1, 1),
                        period_end=dt.date(2023, 12, 31), value=c.value, low=c.low, high=c.high,
                        unit=c.unit, kind=c.kind, qualifier=c.qualifier, start=c.start,
                        end=c.end, text=c.text, lang="vi")]


def _findings(article_id: str = "a1") -> list[Finding]:
    return [Finding(code="CHK-TEST", severity="info",
                    claims=[ClaimRef(start=30, end=43, text="8.100 tỉ đồng",
                                     value=Decimal("8100000000000"), unit="VND")],
                    stated=(Decimal("1.5"), None), implied=None,
                    message_vi="thử", message_en="test", article_id=article_id)]


def _add(store: Store, article: Article | None = None) -> bool:
    article = article or _article()
    return store.add_article(article, key=text_hash(article.text), claims=_claims(),
                             observations=_observations(article.id),
                             findings=_findings(article.id))


def test_tables_have_every_record_field(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        assert set(store.counts()) == set(TABLES)
        claims = store.columns("claims")
        assert claims[:2] == ["article_id", "claim_index"]
        assert claims[2:] == list(Claim.model_fields)
        assert store.columns("observations") == list(Observation.model_fields)
        assert {"id", "url", "title", "date", "lang", "source", "hash", "text"} <= set(
            store.columns("articles"))


def test_article_round_trip_keeps_exact_values(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        assert _add(store) is True
        assert store.counts() == {"articles": 1, "claims": 2, "observations": 1, "findings": 1,
                                  "skipped": 0}
        row = store.con.execute(
            "SELECT value, low, high, per, unit FROM claims WHERE claim_index = 1").fetchone()
        assert row == (Decimal("3.8675"), Decimal("3.86745"), Decimal("3.86755"), "pound", "USD")
        art = store.con.execute("SELECT id, hash, date, text, n_claims FROM articles").fetchone()
        assert art == ("a1", text_hash(TEXT), dt.date(2024, 1, 9), TEXT, 2)
        f = store.con.execute(
            "SELECT article_id, scope, stated_low, stated_high, claims FROM findings").fetchone()
        assert f[:4] == ("a1", "article", Decimal("1.5"), None)
        assert json.loads(f[4])[0]["text"] == "8.100 tỉ đồng"


def test_same_text_twice_changes_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        assert _add(store)
        before = {t: store.rows(t) for t in TABLES}
        assert _add(store, _article(ident="other-id")) is False  # same text, other id
        assert {t: store.rows(t) for t in TABLES} == before


def test_failed_write_leaves_no_half_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        real = store._insert_many

        def failing(table: str, rows: list) -> None:
            if table == "observations":
                raise duckdb.ConversionException("boom")
            real(table, rows)

        monkeypatch.setattr(store, "_insert_many", failing)
        with pytest.raises(duckdb.ConversionException):
            _add(store)
        assert sum(store.counts().values()) == 0
        monkeypatch.setattr(store, "_insert_many", real)
        assert _add(store)  # the connection is usable again
        assert store.counts()["observations"] == 1


def test_value_the_file_cannot_hold_is_rolled_back(tmp_path: Path) -> None:
    huge = _claims()[0].model_copy(update={"value": Decimal("1e40")})
    with Store(tmp_path / "d.duckdb") as store:
        with pytest.raises(duckdb.Error):
            store.add_article(_article(), key="k", claims=[huge], observations=[], findings=[])
        assert store.counts()["articles"] == 0


def _records(article: Article, claims: list[Claim] | None = None) -> tuple:
    return (article, text_hash(article.text), claims if claims is not None else _claims(),
            _observations(article.id), _findings(article.id))


def test_batch_write_equals_one_by_one(tmp_path: Path) -> None:
    """The ingest writer commits a worker's batch in one transaction: same rows as one by one."""
    articles = [_article(text=f"{TEXT} ({k})", ident=f"a{k}") for k in range(3)]
    with Store(tmp_path / "batch.duckdb") as batch, Store(tmp_path / "single.duckdb") as single:
        batch.add_articles([_records(a) for a in articles])
        for a in articles:
            assert _add(single, a)
        assert {t: batch.rows(t) for t in TABLES} == {t: single.rows(t) for t in TABLES}
        assert batch.counts()["claims"] == 6


def test_batch_with_an_unstorable_article_writes_nothing(tmp_path: Path) -> None:
    """One bad record rolls the whole batch back (the writer then retries article by article)."""
    huge = _claims()[0].model_copy(update={"value": Decimal("1e40")})
    good, bad = _article(ident="good"), _article(text=TEXT + " x", ident="bad")
    with Store(tmp_path / "d.duckdb") as store:
        with pytest.raises(duckdb.Error):
            store.add_articles([_records(good), _records(bad, [huge])])
        assert sum(store.counts().values()) == 0
        assert _add(store, good)  # the connection is usable again


def test_kill_inside_a_transaction_keeps_committed_articles(tmp_path: Path) -> None:
    """SIGKILL with an article half written: the committed one survives, the half one is gone."""
    db = tmp_path / "d.duckdb"
    script = textwrap.dedent(f"""
        import os, signal
        from extractor.store import Store
        from extractor.records import Article
        store = Store({str(db)!r})
        store.add_article(Article(id="done", text="một"), key="k1", claims=[], observations=[],
                          findings=[])
        store._begin()
        store._insert_many("articles", [("half", "k2", None, None, None, "vi", None, None, 0, "hai")])
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60, cwd=repo,
                          env={**os.environ, "PYTHONPATH": str(repo)})
    assert proc.returncode == -9, proc.stderr.decode()
    with Store(db) as store:
        assert [r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()] == ["done"]


def test_reopening_an_older_file_adds_new_record_fields(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    with Store(db) as store:
        store.con.execute('ALTER TABLE claims DROP COLUMN "noun"')
    with Store(db) as store:
        assert "noun" in store.columns("claims")
        assert _add(store)


def test_skipped_inputs_are_recorded_once(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        store.add_skipped("x.jsonl:3", "invalid JSON")
        store.add_skipped("x.jsonl:3", "invalid JSON")
        assert store.rows("skipped") == [("x.jsonl:3", "invalid JSON")]


def test_export_csv_jsonl_parquet(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    with Store(db) as store:
        _add(store)
    with Store(db, read_only=True) as store:
        out = tmp_path / "claims.csv"
        assert store.export("claims", "csv", out, bom=True) == 2
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert [r["value"] for r in rows] == ["8100000000000", "3.8675"]
        assert rows[0]["text"] == "8.100 tỉ đồng"
        assert not (tmp_path / "claims.csv.part").exists()

        plain = tmp_path / "plain.csv"
        store.export("articles", "csv", plain)
        assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")

        jl = tmp_path / "findings.jsonl"
        assert store.export("findings", "jsonl", jl) == 1
        finding = json.loads(jl.read_text(encoding="utf-8").splitlines()[0])
        assert finding["claims"][0]["text"] == "8.100 tỉ đồng"  # nested JSON, not a string
        assert finding["stated_low"] == "1.5"

        pq_path = tmp_path / "obs.parquet"
        assert store.export("observations", "parquet", pq_path) == 1
        table = pq.read_table(pq_path)
        assert table.num_rows == 1
        assert table.column("value").to_pylist() == [Decimal("8100000000000")]
        assert table.column("subject").to_pylist() == ["Phụng Hiệp"]

        with pytest.raises(ValueError, match="unknown table"):
            store.export("nope", "csv", tmp_path / "x.csv")


def test_export_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from extractor.cli import app

    db = tmp_path / "d.duckdb"
    with Store(db) as store:
        _add(store)
    out = tmp_path / "claims.csv"
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--table", "claims",
                                      "--format", "csv", "--bom", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "8.100 tỉ đồng" in out.read_text("utf-8")
    bad = CliRunner().invoke(app, ["export", "--db", str(db), "--table", "nope", "-o", str(out)])
    assert bad.exit_code == 2 and "--table" in bad.output
    missing = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "none.duckdb"), "-o", str(out)])
    assert missing.exit_code == 2 and "no dataset" in missing.output
