"""``chiso check``: JSONL findings per article and exit code 3 on errors."""

from __future__ import annotations

import json

import pytest
from test_checks_rules import SUM_TEXT, claims_for, sum_specs
from typer.testing import CliRunner

import extractor
from extractor.cli import app


@pytest.fixture
def fake_extract(monkeypatch):
    """Gold-like claims instead of the extractor (being written concurrently)."""

    def extract_article(article):
        if "dự án" not in article.text:
            return []
        t, a, b = (20, 8, 13) if "13 dự án" in article.text else (20, 8, 12)
        return claims_for(article.text, sum_specs(t, a, b))

    monkeypatch.setattr(extractor, "extract_article", extract_article)


def test_check_reports_errors_with_exit_code_3(tmp_path, fake_extract):
    bad = tmp_path / "bad.txt"
    bad.write_text(SUM_TEXT.format(t=20, a=8, b=13), encoding="utf-8")
    out = tmp_path / "findings.jsonl"
    result = CliRunner().invoke(app, ["check", str(bad), "--lang", "vi", "-o", str(out)])
    assert result.exit_code == 3, result.output
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["id"] and row["findings"][0]["code"] == "SUM" and row["findings"][0]["severity"] == "error"
    assert {c["text"] for c in row["findings"][0]["claims"]} == {"20 dự án", "8 dự án", "13 dự án"}


def test_check_exit_code_0_without_errors(tmp_path, fake_extract):
    good = tmp_path / "good.txt"
    good.write_text(SUM_TEXT.format(t=20, a=8, b=12), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(good), "--lang", "vi"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["findings"] == []
