"""The English pack: its data files, its numerals, and its score on the English dev gold."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor import extract
from extractor.evaluate import evaluate
from extractor.lang import PACK_FILES, load_pack, load_toml, units_catalogue
from extractor.numbers import parse_number, scan

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev.jsonl"
EN = load_pack("en")


# -- the data files themselves -----------------------------------------------------------------


@pytest.mark.parametrize("name", PACK_FILES)
def test_pack_file_exists(name: str) -> None:
    assert load_toml("en", name), f"extractor/lang/en/{name}.toml is missing or empty"


def test_unit_ids_are_in_the_catalogue() -> None:
    units = load_toml("en", "units")
    catalogue = units_catalogue()
    for section in ("after", "before"):
        for unit, aliases in units[section].items():
            assert unit in catalogue, f"[{section}] {unit} is not in extractor/units.toml"
            assert aliases and all(isinstance(a, str) and a for a in aliases), unit
    for spec in units.get("self", []):
        assert spec["unit"] in catalogue
    for alias in units.get("veto_after", {}):
        assert alias in EN.unit_after, f"veto for unknown alias {alias!r}"


def test_cue_lists_are_word_lists() -> None:
    cues = load_toml("en", "cues")
    for group in ("qualifier", "kind"):
        for key, value in cues[group].items():
            items = value if isinstance(value, list) else [w for v in value.values() for w in v]
            assert all(isinstance(w, str) and w == w.strip() and w for w in items), (group, key)


def test_same_structure_as_vietnamese() -> None:
    """Every table of a Vietnamese pack file has its English counterpart (English may add some)."""
    for name in PACK_FILES:
        missing = set(load_toml("vi", name)) - set(load_toml("en", name))
        assert not missing, (name, sorted(missing))
    assert EN.option("sentences", "splitter") == "spacy"
    assert load_pack("vi").option("sentences", "splitter", "regex") == "regex"


# -- numerals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.5", "1234.5"),
        ("8.100", "8.1"),
        ("45.2 billion", "45200000000"),
        ("1.2bn", "1200000000"),
        ("194 mln", "194000000"),
        ("3 trillion", "3000000000000"),
        ("100k", "100000"),
        ("twenty-one", "21"),
        ("three hundred", "300"),
        ("one hundred and six", "106"),
        ("a dozen", "12"),
        ("two dozen", "24"),
        ("a hundred", "100"),
        ("half", "0.5"),
        ("three quarters", "0.75"),
        ("a quarter million", "250000"),
        ("two point five million", "2500000"),
        ("-504", "-504"),
        ("minus 1,200,000", "-1200000"),
        ("seven hundred twenty-one thousand and twelve", "721012"),
    ],
)
def test_parse_number(text: str, value: str) -> None:
    n = parse_number(text, EN.numbers)
    assert n is not None and n.value == Decimal(value), (text, n)


def test_two_thirds() -> None:
    n = parse_number("two-thirds", EN.numbers)
    assert n is not None and abs(n.value - Decimal(2) / 3) < Decimal("1e-9")


def test_locale_comes_from_the_pack() -> None:
    vi = load_pack("vi").numbers
    assert parse_number("8.100", vi).value == 8100
    assert parse_number("8.100", EN.numbers).value == Decimal("8.1")
    assert parse_number("9,17", vi).value == Decimal("9.17")


def test_scan_keeps_offsets() -> None:
    text = "Between 3 and 5 percent of 1,200 firms."
    got = [(text[n.start : n.end], n.value) for n in scan(text, EN.numbers)]
    assert got == [("3", 3), ("5", 5), ("1,200", 1200)]


# -- ranges and negatives through the engine -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value", "value_max", "unit"),
    [
        ("Output hit 24-25 million tonnes.", "24-25 million tonnes", "24000000", "25000000", "tonne"),
        ("Margins of between 3 and 5 percent.", "3 and 5 percent", "3", "5", "percent"),
        ("Earnings of US$4.5-US$5 billion.", "US$4.5-US$5 billion", "4500000000", "5000000000", "USD"),
        ("The index was -2.5 percent.", "-2.5 percent", "-2.5", None, "percent"),
    ],
)
def test_ranges_and_negatives(text: str, span: str, value: str, value_max: str | None, unit: str) -> None:
    claims = extract(text, lang="en")
    assert [c.text for c in claims] == [span]
    c = claims[0]
    assert c.value == Decimal(value) and c.unit == unit
    assert c.value_max == (Decimal(value_max) if value_max else None)


# -- the English dev gold ------------------------------------------------------------------------


@pytest.mark.skipif(not GOLD.is_file(), reason=f"gold not found: {GOLD}")
def test_english_dev_gold() -> None:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("lang") == "en"]
    assert rows

    def predict(row: dict) -> list[dict]:
        return [c.model_dump(mode="json") for c in extract(row["text"], lang="en", date=row.get("date"))]

    score = evaluate(rows, predict)["en"]
    assert score.f1 >= 0.95, (score.precision, score.recall)
    for attr in ("qualifier", "kind", "direction"):
        assert score.accuracy(attr) >= 0.95, attr
