"""The CLI mirrors the library: extract (inputs, bad input, formats) and eval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app

runner = CliRunner()
SEED = Path(__file__).resolve().parents[1] / "corpora" / "vi" / "seed.txt"


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_extract_jsonl_one_line_per_article_with_format_fields(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Năm 2023, huyện vận động được 45,2 tỉ đồng, đạt 152% chỉ tiêu.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--lang", "vi"])
    assert result.exit_code == 0, result.output
    (row,) = _jsonl(result.stdout)
    assert row["id"] == "a" and row["lang"] == "vi"
    first = row["claims"][0]
    assert first["text"] == "45,2 tỉ đồng"
    assert first["value"] == "45200000000"  # a decimal string, fully scaled
    assert first["end"] - first["start"] == len(first["text"])
    assert {c["kind"] for c in row["claims"]} == {"level", "target"}


def test_bad_inputs_are_reported_and_the_rest_is_processed(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Xây dựng 172 nhà đại đoàn kết.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "dump.jsonl").write_text('{"id": "x", "text": "Có 42 cầu."}\n{broken\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "--lang", "vi"])
    assert result.exit_code == 0
    rows = {r["id"]: r for r in _jsonl(result.stdout)}
    assert set(rows) == {"good", "x"}
    assert rows["x"]["claims"][0]["text"] == "42 cầu"
    assert "Traceback" not in result.output
    messages = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert any("dump.jsonl:2" in m for m in messages)
    assert any("empty.txt" in m for m in messages) and any("blob.txt" in m for m in messages)


def test_nothing_readable_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_stdin_and_table_format() -> None:
    result = runner.invoke(app, ["extract", "-", "--format", "table", "--lang", "vi"], input="Giá heo hơi 79.000 đồng/kg.")
    assert result.exit_code == 0, result.output
    assert "79.000 đồng/kg" in result.stdout and "VND" in result.stdout


def test_output_file_and_auto_language(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    src = tmp_path / "en.txt"
    src.write_text("Rice exports rose 9.17 percent to VND45.2 billion last year.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = _jsonl(out.read_text(encoding="utf-8"))
    assert row["lang"] == "en"
    assert {c["unit"] for c in row["claims"]} == {"percent", "VND"}


def test_eval_prints_scores(gold_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(gold_path), "--misses", "2"])
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("all: P=") and "F1=" in last


@pytest.fixture
def gold_path() -> Path:
    path = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev.jsonl"
    if not path.is_file():
        pytest.skip(f"gold file not found at {path}")
    return path
