"""Vietnamese corpus-as-tests (Duckling style): ``corpora/vi/*.toml``.

Each case is one expected claim and many surface forms; every form is run through
``extractor.extract(text, lang="vi")`` and must yield the expected claim — exact span and every
field of it — and no claim besides the ones the form lists in ``also``. Negative cases
(``negative.toml``) must yield no claim at all. Known failures carry ``xfail = "diagnosis"`` in
the data and run as ``xfail(strict=True)``: a fix shows up as XPASS and the mark must go.
The format is described in ``corpora/README.md``; a test below checks the data files themselves.
"""

from __future__ import annotations

import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

from extractor import extract
from extractor.records import Claim

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpora"))
import corpus_cases as cc

CASES = cc.load_cases("vi")


def _param(case: cc.Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _show(claims: list[Claim]) -> str:
    rows = []
    for c in claims:
        extra = " ".join(
            f"{k}={v}"
            for k, v in (
                ("max", c.value_max),
                ("of", c.of),
                ("per", c.per),
                ("noun", c.noun),
                ("dir", c.direction),
            )
            if v is not None
        )
        rows.append(
            f"  {c.start}:{c.text!r} {c.value} {c.unit} {c.qualifier} {c.kind} {extra}".rstrip()
        )
    return "\n".join(rows) or "  (no claim)"


def _differences(claim: Claim, expect: dict[str, Any]) -> list[str]:
    got = {
        "value": claim.value,
        "value_max": claim.value_max,
        "of": claim.of,
        "unit": claim.unit,
        "per": claim.per,
        "noun": claim.noun,
        "qualifier": claim.qualifier,
        "kind": claim.kind,
        "direction": claim.direction,
    }
    diffs = []
    for key, have in got.items():
        want = expect.get(key)
        if key in ("value", "value_max", "of"):
            ok = _dec(have) == _dec(want)
        else:
            ok = have == want
        if not ok:
            diffs.append(f"{key}: got {have!r}, want {want!r}")
    return diffs


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: cc.Case) -> None:
    claims = extract(case.text, lang="vi")
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
    assert others == sorted(case.also), (
        f"{case.text!r}: other claims {others} but the case lists {sorted(case.also)}; got:\n{_show(claims)}"
    )


# -- the data files themselves -----------------------------------------------------------------


def test_corpus_is_not_empty() -> None:
    files = {c.file for c in CASES}
    for name in (
        "money",
        "percent",
        "measures",
        "counts",
        "ranges",
        "ratios",
        "kinds",
        "qualifiers",
        "negative",
    ):
        assert name in files, f"corpora/vi/{name}.toml is missing"
    assert len(CASES) >= 200


def _problems(case: cc.Case) -> list[str]:
    out: list[str] = []
    raw = case.raw
    unknown = set(raw) - cc.FORM_KEYS
    if unknown:
        out.append(f"unknown form keys {sorted(unknown)}")
    if not case.text.strip():
        out.append("empty text")
    if unicodedata.normalize("NFC", case.text) != case.text:
        out.append("text is not NFC")
    if case.xfail is not None and not (isinstance(case.xfail, str) and case.xfail.strip()):
        out.append("xfail must be a one-line diagnosis")
    for span in case.also:
        if span not in case.text:
            out.append(f"also-span {span!r} not in text")
    e = case.expect
    if e is None:
        if case.also:
            out.append("a negative case cannot list other claims")
        return out
    for key in ("span", "value", "unit"):
        if e.get(key) in (None, ""):
            out.append(f"missing {key}")
    if out:
        return out
    if e["span"] not in case.text:
        out.append(f"span {e['span']!r} does not occur in the text")
    if e["span"] != e["span"].strip():
        out.append("span has surrounding spaces")
    for key in ("value", "value_max", "of"):
        if e.get(key) is None:
            continue
        if not isinstance(e[key], str):
            out.append(f"{key} must be a decimal string")
            continue
        try:
            Decimal(e[key])
        except InvalidOperation:
            out.append(f"{key} {e[key]!r} is not a decimal")
    if out:
        return out
    if e["unit"] not in cc.UNITS:
        out.append(f"unit {e['unit']!r} is not a FORMAT.md code")
    if e["qualifier"] not in cc.QUALIFIERS:
        out.append(f"qualifier {e['qualifier']!r}")
    if e["kind"] not in cc.KINDS:
        out.append(f"kind {e['kind']!r}")
    if (e["kind"] == "change") != (e["direction"] in cc.DIRECTIONS):
        out.append("direction is set iff kind is change (up/down)")
    if (e["unit"] == "count") != bool(e["noun"]):
        out.append("noun is set iff unit is count")
    if (e["kind"] == "ratio") != (e["of"] is not None):
        out.append("of is set iff kind is ratio")
    if e["kind"] == "multiple" and e["unit"] != "times":
        out.append("a multiple is in unit times")
    if e["value_max"] is not None and Decimal(e["value_max"]) <= Decimal(e["value"]):
        out.append("value_max must exceed value")
    if e["per"] is not None and not (isinstance(e["per"], str) and e["per"].strip()):
        out.append("per must be a unit code or a noun")
    return out


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_case_data(case: cc.Case) -> None:
    problems = _problems(case)
    assert not problems, f"{case.id}: " + "; ".join(problems)


def test_case_files_well_formed() -> None:
    problems = []
    for path in cc.corpus_files("vi"):
        data = cc.read_file(path)
        if set(data) - {"case"}:
            problems.append(
                f"{path.name}: top-level keys other than [[case]]: {sorted(set(data) - {'case'})}"
            )
        names: set[str] = set()
        for case in data.get("case", []):
            name = case.get("name", "")
            if set(case) - cc.CASE_KEYS:
                problems.append(
                    f"{path.name}:{name}: unknown keys {sorted(set(case) - cc.CASE_KEYS)}"
                )
            if not name or cc.ascii_slug(name) != name:
                problems.append(f"{path.name}: case name {name!r} must be an ASCII slug")
            if name in names:
                problems.append(f"{path.name}: duplicate case name {name!r}")
            names.add(name)
            if not case.get("forms"):
                problems.append(f"{path.name}:{name}: no forms")
            if path.stem == "negative" and "expect" in case:
                problems.append(f"{path.name}:{name}: negative cases have no expect")
            if path.stem != "negative" and "expect" not in case:
                problems.append(f"{path.name}:{name}: missing expect")
            unknown = set(case.get("expect", {})) - set(cc.CLAIM_FIELDS)
            if unknown:
                problems.append(f"{path.name}:{name}: unknown expect keys {sorted(unknown)}")
    ids = [c.id for c in CASES]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"duplicate ids {dupes}")
    assert not problems, "\n".join(problems)


def test_failing_list_is_current() -> None:
    """``corpora/vi/FAILING.md`` is generated from the xfail marks; it must match them."""
    import failing  # corpora/failing.py (corpora/ is on sys.path, see above)

    path = Path(__file__).resolve().parents[1] / "corpora" / "vi" / "FAILING.md"
    assert path.read_text(encoding="utf-8") == failing.render("vi"), (
        "corpora/vi/FAILING.md is stale: run `python corpora/failing.py vi > corpora/vi/FAILING.md`"
    )
