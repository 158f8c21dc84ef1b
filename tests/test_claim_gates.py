"""The word gates of :mod:`extractor.claims` skip only cue patterns that cannot match."""

from __future__ import annotations

import dataclasses

import pytest
import regex

import extractor.claims as claims
from extractor.lang import load_pack
from extractor.quantities import recognise
from extractor.segment import segments
from extractor.text import fold_tones, nfc

_ODD = [
    "Output rose   5% and fell\u00a0\u00a0 3%; it ROSE 4 PERCENT, Fell 2%, was UP 1%.",
    "Prices were higher than 5% compared with 2023, more than 7% and less than 2 tons.",
    "Sales reached 94.7 percent of the 2023 plan, 152% OF THE TARGET and 80% of the plan.",
    "The rate was raised by 4.8%, cut by 2%, and GDP growth hit 6% while CPı rose 3%.",
    "Exports climbed to 5 million tonnes, up to 15%, from 5% to 15%, a 5% rise, 2% lower.",
    "İt fell 3%; ſome 4 tons; about\u2003 7 tons; over\x1c 8 tons; up\u3000 9%.",
]


def _texts(gold_rows: list[dict]) -> list[tuple[str, str]]:
    texts = [(r["text"], r["lang"]) for r in gold_rows] + [(t, "en") for t in _ODD]
    return texts + [(t.upper(), lang) for t, lang in texts] + [(t.lower(), lang) for t, lang in texts]


def _interpreted(texts: list[tuple[str, str]]) -> list[list[tuple]]:
    out = []
    for raw, lang in texts:
        text = nfc(raw)
        folded = fold_tones(text)
        for seg in segments(folded, lang=lang):
            pack = load_pack(seg.lang)
            quantities = recognise(folded, pack, start=seg.start, end=seg.end)
            if quantities:
                found = claims.interpret(text, folded, quantities, pack, seg)
                out.append([(c.start, c.end, c.qualifier, c.kind, c.direction) for c in found])
    return out


def _open(gates: claims._Gates) -> claims._Gates:
    """``gates`` with every gate off (each pattern run)."""
    return dataclasses.replace(
        gates,
        **{
            f.name: ({k: None for k in getattr(gates, f.name)} if isinstance(getattr(gates, f.name), dict) else None)
            for f in dataclasses.fields(gates)
            if f.name not in ("by", "reach")
        },
        by=False,
    )


def test_gates_find_what_every_pattern_finds(gold_rows, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts(gold_rows)
    for code in ("vi", "en"):  # every gate of both packs is on (no pattern built otherwise)
        gates = claims._gates(load_pack(code))
        assert gates.by and all(
            v is not None for f in dataclasses.fields(gates) if isinstance(v := getattr(gates, f.name), tuple)
        )
    gated = _interpreted(texts)
    assert sum(map(len, gated)) > 500
    made = claims._make_gates
    monkeypatch.setattr(claims, "_make_gates", lambda pack: _open(made(pack)))
    claims._GATES.clear()
    try:
        assert _interpreted(texts) == gated
    finally:
        claims._GATES.clear()


def test_fold_matches_what_ignorecase_matches() -> None:
    """Each character IGNORECASE matches with a character of a cue word folds as that one does
    (``ı`` matches ``I``), so a word a pattern matches is a substring of the folded text."""

    def strings(o: object):
        if isinstance(o, str):
            yield o
        elif isinstance(o, dict):
            for v in o.values():
                yield from strings(v)
        elif isinstance(o, list):
            for v in o:
                yield from strings(v)

    chars = {c for code in ("vi", "en") for w in strings(load_pack(code).data["cues"]) for c in w}
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for c in chars:
        folded = claims._fold(c)
        assert all(claims._fold(m.group()) == folded for m in regex.finditer(regex.escape(c), every, regex.IGNORECASE)), c


def test_space_is_what_regex_calls_white_space() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert set(claims._SPACE) == set(regex.findall(r"[\s\u00a0]", every))
