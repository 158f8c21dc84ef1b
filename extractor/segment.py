"""Segmentation: language per paragraph (when asked), then sentences with their offsets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from extractor.lang import load_pack
from extractor.langdetect import detect
from extractor.text import sentence_spans

__all__ = ["Segment", "segments"]

_PARAGRAPH = regex.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")


@dataclass(frozen=True)
class Segment:
    """A run of text in one language, with its sentence spans (absolute offsets)."""

    start: int
    end: int
    lang: str
    sentences: list[tuple[int, int]] = field(default_factory=list)


def segments(text: str, *, lang: str | None) -> Iterator[Segment]:
    """One segment per language run; ``lang`` None or "auto" detects it per paragraph."""
    if lang and lang != "auto":
        yield _segment(text, 0, len(text), lang)
        return
    runs: list[list[int | str]] = []
    for m in _PARAGRAPH.finditer(text):
        code = detect(m.group()) if len(m.group()) > 20 else (runs[-1][2] if runs else detect(text))
        if runs and runs[-1][2] == code:
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end(), code])
    if not runs:
        return
    for start, end, code in runs:
        yield _segment(text, int(start), int(end), str(code))


def _segment(text: str, start: int, end: int, lang: str) -> Segment:
    pack = load_pack(lang)
    spans = [(a + start, b + start) for a, b in sentence_spans(text[start:end], pack.abbreviations)]
    return Segment(start=start, end=end, lang=lang, sentences=spans)
