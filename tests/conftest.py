"""Shared fixtures and the end-of-session summary of the corpus and conformance suites.

Fixtures (any test may use them):

* ``shared_dir`` — ``../shared`` beside the repository (skips with a message when missing);
* ``gold_path`` / ``gold_rows`` — ``../shared/gold/dev.jsonl`` and its rows (skip when missing);
* ``vi_pack`` — the compiled Vietnamese language pack.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO.parent / "shared"
GOLD_DEV = SHARED_DIR / "gold" / "dev.jsonl"
CORPORA = REPO / "corpora"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (gold sets, conformance data); skip the test when it is not there."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DIR} (clone the repo beside ../shared)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def gold_path() -> Path:
    """``../shared/gold/dev.jsonl``; skip the test when it is not there."""
    if not GOLD_DEV.is_file():
        pytest.skip(f"gold dev set not found at {GOLD_DEV}")
    return GOLD_DEV


@pytest.fixture(scope="session")
def gold_rows(gold_path: Path) -> list[dict[str, Any]]:
    """The articles of the gold dev set (FORMAT.md), one dict per line."""
    from extractor.evaluate import load_gold

    return load_gold(gold_path)


@pytest.fixture(scope="session")
def vi_pack():  # -> extractor.lang.Pack
    from extractor.lang import load_pack

    return load_pack("vi")


# -- end-of-session summary -------------------------------------------------------------------
# Pass counts of the corpus-as-tests suites and the Duckling conformance rates, so a run of the
# test suite shows the figures the issue asks for without a separate command.

_SUITES = {
    "corpus vi": "test_corpus_vi.py::test_case[",
    "golden vi (expected claims)": "test_golden_vi.py::test_expected_claim[",
    "Duckling vi numeral": "test_conformance_vi.py::test_numeral[",
    "Duckling vi amount_of_money": "test_conformance_vi.py::test_money[",
}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    counts: dict[str, Counter[str]] = {name: Counter() for name in _SUITES}
    for outcome in ("passed", "failed", "xfailed", "xpassed", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if getattr(report, "when", "call") not in ("call", "setup") or not nodeid:
                continue
            if outcome != "skipped" and report.when != "call":
                continue
            for name, marker in _SUITES.items():
                if marker in nodeid:
                    counts[name][outcome] += 1
    lines = []
    for name, c in counts.items():
        total = sum(c.values())
        if not total:
            continue
        rate = 100.0 * c["passed"] / total
        extra = ", ".join(
            f"{c[k]} {k}" for k in ("xfailed", "xpassed", "failed", "skipped") if c[k]
        )
        lines.append(
            f"{name}: {c['passed']}/{total} passed ({rate:.1f}%)" + (f"; {extra}" if extra else "")
        )
    if lines:
        terminalreporter.section("chiso corpus and conformance")
        for line in lines:
            terminalreporter.write_line(line)
