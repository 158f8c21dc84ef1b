"""English corpus-as-tests (Duckling style): ``corpora/en/*.toml``.

Each case is one expected claim and many surface forms; every form is run through
``extractor.extract(text, lang="en")`` and must yield the expected claim — exact span and every
field — and no claim besides the ones the form lists in ``also``. Negative cases
(``negative.toml``) must yield no claim at all. Known failures carry ``xfail = "diagnosis"`` in the
data and run as ``xfail(strict=True)``. The format is ``corpora/README.md``'s.
"""

from __future__ import annotations

import sys
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from extractor import extract
from extractor.records import Claim

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpora"))
import corpus_cases as cc

CASES = cc.load_cases("en")
# general units the English pack adds beside FORMAT.md's codes (extractor/units.toml)
EXTRA_UNITS = frozenset({"mile", "foot", "inch", "mph", "km_h", "GB", "celsius", "GBP", "pound"})


def _param(case: cc.Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _show(claims: list[Claim]) -> str:
    rows = [
        f"  {c.start}:{c.text!r} {c.value} {c.value_max or ''} {c.unit} per={c.per} noun={c.noun} "
        f"{c.qualifier} {c.kind} {c.direction or ''}"
        for c in claims
    ]
    return "\n".join(rows) or "  (no claim)"


def _differences(claim: Claim, expect: dict[str, Any]) -> list[str]:
    diffs = []
    for key in ("value", "value_max", "of", "unit", "per", "noun", "qualifier", "kind", "direction"):
        have, want = getattr(claim, key), expect.get(key)
        ok = _dec(have) == _dec(want) if key in ("value", "value_max", "of") else have == want
        if not ok:
            diffs.append(f"{key}: got {have!r}, want {want!r}")
    return diffs


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: cc.Case) -> None:
    claims = extract(case.text, lang="en")
    if case.expect is None:
        assert not claims, f"{case.text!r} must yield no claim, got:\n{_show(claims)}"
        return
    span = case.expect["span"]
    start = case.text.index(span)
    hits = [c for c in claims if c.start == start and c.text == span]
    assert len(hits) == 1, f"{case.text!r}: no claim spanning {span!r}; got:\n{_show(claims)}"
    diffs = _differences(hits[0], case.expect)
    assert not diffs, f"{case.text!r} → {span!r}: " + "; ".join(diffs)
    others = sorted(c.text for c in claims if c is not hits[0])
    assert others == sorted(case.also), f"{case.text!r}: other claims {others}; got:\n{_show(claims)}"


def test_corpus_is_not_empty() -> None:
    files = {c.file for c in CASES}
    for name in ("money", "percent", "measures", "counts", "ranges", "kinds", "qualifiers", "spelled", "negative"):
        assert name in files, f"corpora/en/{name}.toml is missing"
    assert len(CASES) >= 150
    assert sum(c.expect is None for c in CASES) >= 30, "the negative corpus is too small"


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_case_data(case: cc.Case) -> None:
    assert not set(case.raw) - cc.FORM_KEYS, f"unknown keys {set(case.raw) - cc.FORM_KEYS}"
    assert unicodedata.normalize("NFC", case.text) == case.text
    for span in case.also:
        assert span in case.text
    e = case.expect
    if e is None:
        assert not case.also
        return
    assert e["span"] in case.text and e["span"] == e["span"].strip()
    assert e["unit"] in cc.UNITS | EXTRA_UNITS, e["unit"]
    assert e["qualifier"] in cc.QUALIFIERS and e["kind"] in cc.KINDS
    assert (e["kind"] == "change") == (e["direction"] in cc.DIRECTIONS)
    assert (e["unit"] == "count") == bool(e["noun"])
    assert (e["kind"] == "ratio") == (e["of"] is not None)
    if e["value_max"] is not None:
        assert Decimal(e["value_max"]) > Decimal(e["value"])
