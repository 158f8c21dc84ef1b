"""The language packs are data: check the data itself (dateparser's lesson)."""

from __future__ import annotations

import pytest
import regex

from extractor.lang import (
    PACK_FILES,
    available,
    expand_words,
    load_pack,
    load_toml,
    units_catalogue,
    veto_patterns,
)

FORMAT_UNITS = {
    "VND", "USD", "EUR", "CNY", "JPY", "percent", "percentage_point", "km", "m", "km2", "m2", "ha",
    "tonne", "kg", "litre", "m3", "kWh", "MW", "person", "household", "count", "times",
    "year", "month", "day", "hour",
}
PACKS = available()


def test_both_languages_are_installed() -> None:
    assert {"vi", "en"} <= set(PACKS)


@pytest.mark.parametrize("code", PACKS)
def test_pack_has_every_file(code: str) -> None:
    missing = [name for name in PACK_FILES if not load_toml(code, name)]
    assert not missing, f"lang/{code}/ lacks {missing}"


@pytest.mark.parametrize("code", PACKS)
def test_unit_aliases_point_at_catalogue_ids(code: str) -> None:
    catalogue = units_catalogue()
    units = load_toml(code, "units")
    for section in ("after", "before"):
        unknown = sorted(set(units.get(section, {})) - set(catalogue))
        assert not unknown, f"{code} units.{section}: ids not in units.toml: {unknown}"


def test_catalogue_stores_in_known_units() -> None:
    catalogue = units_catalogue()
    for unit, entry in catalogue.items():
        store = entry.get("store", unit)
        assert store in catalogue, f"{unit} stores as unknown {store}"
        assert entry.get("dimension"), f"{unit} has no dimension"


def test_format_units_are_in_the_catalogue() -> None:
    assert FORMAT_UNITS <= set(units_catalogue())


@pytest.mark.parametrize("code", PACKS)
def test_an_alias_names_one_unit(code: str) -> None:
    after = load_toml(code, "units").get("after", {})
    seen: dict[str, str] = {}
    clashes = []
    for unit, aliases in after.items():
        for alias in aliases:
            if alias in seen and seen[alias] != unit:
                clashes.append((alias, seen[alias], unit))
            seen[alias] = unit
    assert not clashes, clashes


@pytest.mark.parametrize("code", PACKS)
def test_veto_patterns_compile_and_need_a_digit(code: str) -> None:
    for name, pattern in veto_patterns(code).items():
        compiled = regex.compile(pattern)
        assert not compiled.match(""), f"{code} veto {name} matches the empty string"


@pytest.mark.parametrize("code", PACKS)
def test_counted_nouns_are_not_units_or_stopwords(code: str) -> None:
    nouns = load_toml(code, "nouns")
    not_counted = {w.lower() for w in nouns.get("not_counted", [])}
    for unit in ("person", "household", "count"):
        overlap = {n.lower() for n in nouns.get(unit, [])} & not_counted
        assert not overlap, f"{code} {unit} nouns also in not_counted: {sorted(overlap)}"


@pytest.mark.parametrize("code", PACKS)
def test_pack_compiles(code: str) -> None:
    pack = load_pack(code)
    assert pack.code == code
    assert pack.numbers.group != pack.numbers.decimal


def test_unknown_pack_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="E001"):
        load_pack("xx")


@pytest.mark.parametrize("code", PACKS)
def test_veto_requirements_name_patterns_and_hold_on_the_corpora(code: str) -> None:
    """`[requires]` lets a veto pattern be skipped where none of its words occur: each listed
    name must be a pattern, and every match of that pattern must contain one of the words."""
    import tomllib
    from pathlib import Path

    vetoes = load_toml(code, "vetoes")
    patterns, requires = veto_patterns(code), vetoes.get("requires", {})
    assert set(requires) <= set(patterns), sorted(set(requires) - set(patterns))
    texts: list[str] = []
    for path in (Path(__file__).resolve().parents[1] / "corpora" / code).glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for form in [f for c in data.get("case", []) for f in c.get("forms", [])] + data.get("forms", []):
            texts.append(form["text"] if isinstance(form, dict) else form)
    for name, words in requires.items():
        compiled = regex.compile(patterns[name])
        for text in texts:
            for m in compiled.finditer(text):
                assert any(w.lower() in m.group().lower() for w in words), (name, m.group(), text)


def test_word_lists_expand_as_prefix_trees_with_the_flat_matches() -> None:
    """``{name}`` in a veto pattern is its [words] list, longest first: the prefix tree finds what
    the flat longest-first alternation finds, case-sensitively or inside ``(?i:…)``."""
    words = {"w": ["thứ", "lần thứ", "tổ", "tổ máy", "Top", "top", "Q."]}
    flat = "(?:" + "|".join(regex.escape(w) for w in sorted(words["w"], key=len, reverse=True)) + ")"
    text = "lần thứ 3, tổ máy 2, TOP 5, top 1, Q. 7, tổ 4, thứ hai, Tổ 9"
    for pattern in (r"(?<!\w)X\s*\d+", r"(?<!\w)(?i:X)\s*\d+", r"(?i)(?<![\p{L}])X\s*\d+", r"[(]X[)]\s*\d+"):
        got = regex.compile(expand_words(pattern.replace("X", "{w}"), words))
        want = regex.compile(pattern.replace("X", flat))
        assert [m.span() for m in got.finditer(text)] == [m.span() for m in want.finditer(text)], pattern
    assert expand_words(r"\p{L}{2}\d{1,2}", {}) == r"\p{L}{2}\d{1,2}"  # properties and quantifiers stay
    with pytest.raises(ValueError, match="no \\[words\\] list"):
        expand_words("{missing}", {})


@pytest.mark.parametrize("code", PACKS)
def test_veto_word_lists_are_used(code: str) -> None:
    vetoes = load_toml(code, "vetoes")
    used = "".join(vetoes.get("patterns", {}).values())
    unused = [name for name in vetoes.get("words", {}) if "{" + name + "}" not in used]
    assert not unused, unused
