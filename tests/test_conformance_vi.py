"""Duckling conformance, Vietnamese: ``../shared/conformance/duckling/vi_{numeral,amount_of_money}.jsonl``.

* numeral — ``parse_number(text, load_pack("vi").numbers)`` must read the whole text with the
  expected value;
* money — ``extract(text, lang="vi")`` must give exactly one claim, covering the figure (the text
  without its leading cue words such as ``giữa``, ``khoảng``, ``dưới`` and a trailing ``trở
  lên``/``trở xuống``), with the expected value and unit. Duckling's ``$`` is USD, ``cent`` is USD
  × 0.01, ``£`` is GBP. A closed interval is our ``value``/``value_max``; an open one (min only)
  is qualifier ``over``/``at_least``, (max only) ``under``/``at_most``.

Cases failing today are listed in ``corpora/vi/known_failures.toml`` — engine bugs, and cases
out of scope on purpose (compound money, rupees) — and run as ``xfail(strict=True)``. The pass
rates are printed at the end of the session (``tests/conftest.py``) and by
``benchmarks/bench_conformance_vi.py``; xfailed cases count as not passed.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from extractor import extract
from extractor.lang import load_pack
from extractor.numbers import parse_number

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpora"))
import corpus_cases as cc

DUCKLING = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "duckling"
FILES = {"numeral": "vi_numeral.jsonl", "money": "vi_amount_of_money.jsonl"}

# Duckling unit → (our unit, factor)
UNIT_MAP: dict[str, tuple[str, Decimal]] = {
    "$": ("USD", Decimal(1)),
    "cent": ("USD", Decimal("0.01")),
    "£": ("GBP", Decimal(1)),
    "€": ("EUR", Decimal(1)),
}
# words before the figure (qualifiers, range openers) and after it, not part of a claim's span
LEAD_WORDS = (
    "khoảng chừng",
    "tầm khoảng",
    "không cao hơn",
    "không ít hơn",
    "không tới",
    "không hơn",
    "không quá",
    "nhiều hơn",
    "ít hơn",
    "kém hơn",
    "cao hơn",
    "ít nhất",
    "xấp xỉ",
    "khoảng",
    "giữa",
    "dưới",
    "hơn",
    "trên",
    "từ",
)
TRAIL_WORDS = ("trở xuống", "trở lên")
OPEN_MIN = frozenset({"over", "at_least"})
OPEN_MAX = frozenset({"under", "at_most"})


def load_rows(dim: str) -> list[dict[str, Any]]:
    path = DUCKLING / FILES[dim]
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def known(dim: str) -> tuple[dict[str, str], dict[str, str]]:
    """(engine bugs, out of scope on purpose): text → reason."""
    section = cc.known_failures("vi").get("duckling", {}).get(dim, {})
    return dict(section.get("bug", {})), dict(section.get("out_of_scope", {}))


def figure_text(text: str) -> str:
    """The part of a Duckling input a claim's span must equal (cue words stripped)."""
    s = text.strip().rstrip(".").strip()
    changed = True
    while changed:
        changed = False
        for w in LEAD_WORDS:
            if s.lower().startswith(w + " "):
                s = s[len(w) + 1 :].lstrip()
                changed = True
        for w in TRAIL_WORDS:
            if s.lower().endswith(" " + w):
                s = s[: -len(w) - 1].rstrip()
                changed = True
    return s


def numeral_failure(row: dict[str, Any]) -> str | None:
    """None when the case passes, else what went wrong."""
    want = Decimal(str(row["expected"]["value"]))
    n = parse_number(row["text"], load_pack("vi").numbers)
    if n is None:
        return "not read as one numeral"
    if n.value != want:
        return f"value {n.value}, want {want}"
    return None


def money_failure(row: dict[str, Any]) -> str | None:
    """None when the case passes, else what went wrong."""
    exp = row["expected"]
    unit, factor = UNIT_MAP.get(exp["unit"], (exp["unit"], Decimal(1)))
    claims = extract(row["text"], lang="vi")
    if len(claims) != 1:
        return f"{len(claims)} claims: {[c.text for c in claims]}"
    c = claims[0]
    fig = figure_text(row["text"])
    problems = []
    if c.text != fig:
        problems.append(f"span {c.text!r}, want {fig!r}")
    if c.unit != unit:
        problems.append(f"unit {c.unit}, want {unit}")
    if exp["type"] == "value":
        want, want_max, quals = Decimal(str(exp["value"])) * factor, None, {"exact"}
    elif "min" in exp and "max" in exp:
        want, want_max, quals = (
            Decimal(str(exp["min"])) * factor,
            Decimal(str(exp["max"])) * factor,
            None,
        )
    elif "min" in exp:
        want, want_max, quals = Decimal(str(exp["min"])) * factor, None, OPEN_MIN
    else:
        want, want_max, quals = Decimal(str(exp["max"])) * factor, None, OPEN_MAX
    if c.value != want or c.value_max != want_max:
        problems.append(f"value {c.value}–{c.value_max}, want {want}–{want_max}")
    if quals is not None and c.qualifier not in quals:
        problems.append(f"qualifier {c.qualifier}, want {'/'.join(sorted(quals))}")
    return "; ".join(problems) or None


def _params(dim: str) -> list[Any]:
    rows = load_rows(dim)
    if not rows:
        return [
            pytest.param(
                None,
                id="missing",
                marks=pytest.mark.skip(reason=f"{DUCKLING / FILES[dim]} not found"),
            )
        ]
    bugs, out_of_scope = known(dim)
    params = []
    for i, row in enumerate(rows):
        reason = bugs.get(row["text"]) or (
            f"out of scope: {out_of_scope[row['text']]}" if row["text"] in out_of_scope else None
        )
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(row, id=f"{i:02d}-{cc.ascii_slug(row['text'])}", marks=marks))
    return params


@pytest.mark.parametrize("row", _params("numeral"))
def test_numeral(row: dict[str, Any]) -> None:
    failure = numeral_failure(row)
    assert failure is None, f"{row['text']!r}: {failure}"


@pytest.mark.parametrize("row", _params("money"))
def test_money(row: dict[str, Any]) -> None:
    failure = money_failure(row)
    assert failure is None, f"{row['text']!r}: {failure}"


def test_known_failures_name_real_cases() -> None:
    """Every text listed in known_failures.toml is a case of the Duckling files."""
    for dim in FILES:
        rows = load_rows(dim)
        if not rows:
            pytest.skip(f"{DUCKLING} not found")
        texts = {r["text"] for r in rows}
        bugs, out_of_scope = known(dim)
        stale = sorted((set(bugs) | set(out_of_scope)) - texts)
        assert not stale, f"{dim}: not Duckling cases: {stale}"
        assert not set(bugs) & set(out_of_scope), f"{dim}: listed both as bug and out of scope"


def test_figure_text_strips_cues_only() -> None:
    assert figure_text("khoảng chừng từ 1000 đến 2000 đồng") == "1000 đến 2000 đồng"
    assert figure_text("từ $1,42 trở lên") == "$1,42"
    assert figure_text("1 AED.") == "1 AED"
    assert figure_text("mười đô mỹ") == "mười đô mỹ"
