"""The checker's language data files (lang/<code>/checks.toml) and magnitude table."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.checks.cues import LANG_DIR, _flatten, load_cues

LANGS = sorted(p.parent.name for p in LANG_DIR.glob("*/checks.toml"))


def test_both_languages_present():
    assert {"vi", "en"} <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_cue_lists_are_clean(lang):
    with open(LANG_DIR / lang / "checks.toml", "rb") as fh:
        data = _flatten(tomllib.load(fh))
    for key, words in data.items():
        assert all(isinstance(w, str) and w == w.strip() for w in words), key
        assert len(words) == len(set(words)), f"duplicate cue in {lang}:{key}"


def test_languages_define_the_same_keys():
    keys = []
    for lang in LANGS:
        with open(LANG_DIR / lang / "checks.toml", "rb") as fh:
            keys.append(set(_flatten(tomllib.load(fh))))
    assert all(k == keys[0] for k in keys)


@pytest.mark.parametrize("lang", LANGS)
def test_required_cues_compile_and_match(lang):
    cues = load_cues(lang)
    sample = {"vi": ("20 dự án, trong đó 8 dự án", "tăng"), "en": ("10 tonnes, of which 4 tonnes", "up")}[lang]
    assert cues.has("breakdown.cues", sample[0])
    assert cues.has("growth.up", sample[1])
    assert not cues.has("growth.up", "xyz")


def test_unknown_language_falls_back_to_vi():
    assert load_cues("xx").lang == "vi"


def test_magnitudes_are_decimals():
    with open(Path(__file__).parents[1] / "extractor/checks/magnitudes.toml", "rb") as fh:
        data = tomllib.load(fh)
    for table in data.values():
        for value in table.values():
            assert Decimal(value) > 0
