"""The checker on the developer gold set: no false errors, relation recall, mutation detection."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from helpers_gold import gold_article, gold_claims, load_gold

from extractor.checks import check_article, detect_relations

DEV = Path(__file__).parents[1].parent / "shared/gold/dev.jsonl"
pytestmark = pytest.mark.skipif(not DEV.exists(), reason=f"gold dev set not found at {DEV}")


@pytest.fixture(scope="module")
def rows():
    return load_gold(DEV)


@pytest.fixture(scope="module")
def bench():
    path = Path(__file__).parents[1] / "benchmarks" / "bench_mutation.py"
    spec = importlib.util.spec_from_file_location("bench_mutation", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_mutation"] = module
    spec.loader.exec_module(module)
    return module


def test_gold_claims_round_trip(rows):
    for row in rows:
        for c in gold_claims(row):
            assert row["text"][c.start : c.end] == c.text
            assert c.low <= c.value and c.high >= (c.value_max or c.value)
            assert c.sentence_start <= c.start < c.sentence_end


def test_no_error_findings_on_unmodified_dev(rows):
    errors = [
        (row["id"], f.code, f.message_en)
        for row in rows
        for f in check_article(gold_article(row), gold_claims(row))
        if f.severity == "error"
    ]
    assert errors == []


def test_relations_marked_not_holding_are_reported(rows, bench):
    for row in rows:
        findings = check_article(gold_article(row), gold_claims(row))
        for rel in row.get("relations", []):
            if rel.get("holds", True):
                continue
            spans = {(row["claims"][i]["start"]) for i in bench.members(rel)}
            assert any(c.start in spans for f in findings if f.severity != "info" for c in f.claims), rel


def test_gold_relations_agree_with_their_holds_flag(rows, bench):
    for row in rows:
        for rel in row.get("relations", []):
            assert bench.gold_holds(rel, row["claims"], row.get("lang") or "vi") == rel.get("holds", True), rel


def test_relation_detection_recall(rows, bench):
    found, total, missed = bench.relation_recall(rows)
    assert sum(found.values()) / sum(total.values()) >= 0.9, missed


def test_mutation_detection_on_gold_claims(rows, bench):
    res = bench.run(rows, "gold", False)
    detected = sum(d for d, _ in res["by_op"].values())
    assert res["n"] >= 100
    assert detected / res["n"] >= 0.95, res["misses"][:10]


def test_detected_relations_reference_valid_claims(rows):
    for row in rows:
        relations, _implied, doc = detect_relations(gold_article(row), gold_claims(row))
        for rel in relations:
            assert all(0 <= i < len(doc.claims) for i in rel.indices())
            assert len(set(rel.indices())) == len(rel.indices())
