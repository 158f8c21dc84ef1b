"""Ingest end to end with the real extractor: idempotence, parallel = serial, kill and resume,
Dask, bad input."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor import pipeline
from extractor.cli import app
from extractor.pipeline import PipelineError, ingest
from extractor.store import TABLES, Store

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "gold" / "dev.jsonl"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}  # subprocesses run this checkout
COPIES = 2  # 13 dev articles x 2 = 26


def write_corpus(path: Path, copies: int, *, only: int | None = None) -> Path:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:only] if only else rows
    with open(path, "w", encoding="utf-8") as out:
        for c in range(copies):
            for row in rows:
                tag = "abcdefghij"[c]
                head = "Mã bản tin" if row["lang"] == "vi" else "Bulletin"
                copy = {k: row[k] for k in ("lang", "date", "title", "source") if row.get(k)}
                copy["id"] = f"{row['id']}-{tag}"
                copy["text"] = f"{head} {tag}.\n{row['text']}"
                out.write(json.dumps(copy, ensure_ascii=False) + "\n")
    return path


def dataset(db: Path) -> dict[str, list[tuple]]:
    with Store(db, read_only=True) as store:
        return {t: store.rows(t) for t in TABLES}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", COPIES)


@pytest.fixture(scope="module")
def serial(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pipeline.IngestStats]:
    """The reference: one uninterrupted run with one worker."""
    db = tmp_path_factory.mktemp("serial") / "serial.duckdb"
    stats = ingest([str(corpus)], db=db, workers=1)
    return db, stats


def test_serial_run_fills_every_table(serial: tuple[Path, pipeline.IngestStats]) -> None:
    db, stats = serial
    assert stats.articles == 13 * COPIES and not stats.skipped and not stats.interrupted
    data = dataset(db)
    assert len(data["articles"]) == 13 * COPIES
    assert stats.claims == len(data["claims"]) > 13 * COPIES  # the dev articles are full of figures
    assert stats.observations == len(data["observations"])
    assert stats.findings + stats.cross_findings == len(data["findings"])
    with Store(db, read_only=True) as store:
        # every claim points at its own span of the stored text
        bad = store.con.execute(
            'SELECT count(*) FROM claims c JOIN articles a ON a.id = c.article_id '
            'WHERE substring(a.text, c.start + 1, c."end" - c.start) <> c.text').fetchone()[0]
        assert bad == 0


def test_ingesting_the_same_pages_again_changes_nothing(serial, corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "again.duckdb"
    shutil.copy(serial[0], db)
    before = dataset(db)
    stats = ingest([str(corpus)], db=db, workers=1)
    assert stats.articles == 0
    assert stats.skipped[pipeline.SKIP_STORED][0] == 13 * COPIES
    assert dataset(db) == before


def test_two_workers_build_the_same_dataset(serial, corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "two.duckdb"
    stats = ingest([str(corpus)], db=db, workers=2)
    assert stats.workers == 2 and stats.articles == 13 * COPIES
    assert dataset(db) == dataset(serial[0])


def _run_until(cmd: list[str], sig: int, *, after: int) -> tuple[int, str]:
    """Start ``cmd``, send ``sig`` to its process group once ``after`` more articles are
    committed; return the exit code and what it wrote on stderr."""
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            start_new_session=True, env=ENV, cwd=REPO)
    assert proc.stderr is not None
    committed, lines = 0, []
    for line in proc.stderr:
        lines.append(line)
        committed += line.startswith("committed ")
        if committed >= after:
            os.killpg(proc.pid, sig)
            break
    lines.extend(proc.stderr)  # the rest (a Ctrl-C summary), up to EOF
    proc.wait(timeout=60)
    proc.stderr.close()
    return proc.returncode, "".join(lines)


def test_interrupted_and_killed_runs_resume_to_the_same_dataset(serial, corpus: Path,
                                                                 tmp_path: Path) -> None:
    db = tmp_path / "killed.duckdb"
    cmd = [sys.executable, "-m", "extractor.cli", "ingest", str(corpus), "--db", str(db),
           "--workers", "2", "--verbose", "--no-progress"]

    # Ctrl-C: a clean stop with a summary, exit 130, no traceback
    code, err = _run_until(cmd, signal.SIGINT, after=3)
    assert code == 130, err
    assert "interrupted" in err and "Traceback" not in err
    first = len(dataset(db)["articles"])
    assert 3 <= first < 13 * COPIES

    # SIGKILL of the writer and its workers: no goodbye at all
    code, err = _run_until(cmd, signal.SIGKILL, after=3)
    assert code == -signal.SIGKILL, "the run ended before it could be killed"
    partial = dataset(db)
    assert first + 3 <= len(partial["articles"]) < 13 * COPIES
    with Store(db, read_only=True) as store:  # no half article: each has all its claims
        assert store.con.execute(
            "SELECT count(*) FROM articles a WHERE n_claims <> "
            "(SELECT count(*) FROM claims c WHERE c.article_id = a.id)").fetchone()[0] == 0

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=ENV, cwd=REPO)
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert dataset(db) == dataset(serial[0])


@pytest.mark.parametrize(("processes", "n_workers"), [(False, 1), (True, 1)])
def test_dask_engine_runs_the_same_function(tmp_path: Path, processes: bool, n_workers: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PYTHONPATH", str(REPO))  # worker processes import this checkout
    small = write_corpus(tmp_path / "small.jsonl", 1, only=3)
    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    ingest([str(small)], db=local_db, workers=1)
    with distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=processes,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        stats = ingest([str(small)], db=dask_db, engine="dask", scheduler=cluster.scheduler_address)
    assert stats.articles == 3
    assert dataset(dask_db) == dataset(local_db)


def test_unreachable_scheduler_is_a_message(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    with pytest.raises(PipelineError, match="cannot reach the Dask scheduler"):
        ingest([str(DEV)], db=tmp_path / "x.duckdb", engine="dask",
               scheduler="tcp://127.0.0.1:9", timeout=1)
    with pytest.raises(PipelineError, match="--scheduler"):
        ingest([str(DEV)], db=tmp_path / "x.duckdb", engine="dask")


def test_bad_input_is_skipped_with_reasons_not_a_traceback(tmp_path: Path) -> None:
    good = {"id": "ok", "lang": "vi", "text": "Doanh thu đạt 8.100 tỉ đồng, tăng 9,17%."}
    bad = tmp_path / "mixed.jsonl"
    bad.write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n"
                   + json.dumps({"id": "blank", "text": "   "}) + "\n", encoding="utf-8")
    db = tmp_path / "d.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(bad), str(tmp_path / "missing.txt"),
                                      "--db", str(db), "--workers", "1", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "skipped" in result.output and "Traceback" not in result.output
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 1
        reasons = dict((s.split(":")[0].split("/")[-1], r) for s, r in store.rows("skipped"))
    assert "missing.txt" in reasons and "mixed.jsonl" in reasons


def test_an_article_that_breaks_the_extractor_is_skipped(tmp_path: Path, monkeypatch) -> None:
    real = pipeline.process_article

    def flaky(article):
        if article.id == "bad":
            raise RuntimeError("boom")
        return real(article)

    monkeypatch.setattr(pipeline, "process_article", flaky)
    src = tmp_path / "two.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"id": "bad", "lang": "vi", "text": "Doanh thu đạt 5 tỉ đồng."},
        {"id": "good", "lang": "vi", "text": "Doanh thu đạt 6 tỉ đồng."})) + "\n", encoding="utf-8")
    stats = ingest([str(src)], db=tmp_path / "d.duckdb", workers=1)
    assert stats.articles == 1
    [(reason, (_count, examples))] = stats.skipped.items()
    assert reason.startswith(pipeline.SKIP_FAILED) and "boom" in reason and examples == ["bad"]


def test_an_unstorable_article_skips_only_itself(tmp_path: Path, monkeypatch) -> None:
    """A batch is committed in one transaction; when one of its articles cannot be stored (a
    value too large for the file), the others are written one by one and only it is skipped."""
    real = pipeline.process_article

    def huge(article):
        result = real(article)
        if article.id != "bad":
            return result
        big = [c.model_copy(update={"value": Decimal("1e40")}) for c in result.claims]
        return pipeline.ArticleResult(result.article_id, big, [], [], lang=result.lang)

    monkeypatch.setattr(pipeline, "process_article", huge)
    src = tmp_path / "three.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"id": "good1", "lang": "vi", "text": "Doanh thu đạt 4 tỉ đồng."},
        {"id": "bad", "lang": "vi", "text": "Doanh thu đạt 5 tỉ đồng."},
        {"id": "good2", "lang": "vi", "text": "Doanh thu đạt 6 tỉ đồng."})) + "\n", encoding="utf-8")
    stats = ingest([str(src)], db=tmp_path / "d.duckdb", workers=1, batch_size=3)
    assert stats.articles == 2
    [(reason, (_count, examples))] = stats.skipped.items()
    assert reason.startswith(pipeline.SKIP_UNSTORABLE) and examples == ["bad"]
    with Store(tmp_path / "d.duckdb") as store:
        assert sorted(r[0] for r in store.rows("articles")) == ["good1", "good2"]


def test_a_reused_id_with_other_text_gets_a_suffix(tmp_path: Path) -> None:
    src = tmp_path / "ids.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"id": "same", "lang": "vi", "text": "Doanh thu đạt 5 tỉ đồng."},
        {"id": "same", "lang": "vi", "text": "Doanh thu đạt 6 tỉ đồng."},
        {"id": "same", "lang": "vi", "text": "Doanh thu đạt 5 tỉ đồng."})) + "\n", encoding="utf-8")
    db = tmp_path / "d.duckdb"
    stats = ingest([str(src)], db=db, workers=1)
    assert stats.articles == 2 and stats.skipped[pipeline.SKIP_DUPLICATE][0] == 1
    with Store(db, read_only=True) as store:
        ids = sorted(r[0] for r in store.con.execute("SELECT id FROM articles").fetchall())
    assert ids[0] == "same" and ids[1].startswith("same#")
