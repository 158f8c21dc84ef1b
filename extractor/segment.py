"""Segmentation: language per paragraph (when asked), then sentences with their offsets.

A pack chooses its sentence splitter in ``pack.toml`` ``[sentences] splitter``: ``"regex"`` (the
offset-keeping splitter of :mod:`extractor.text`, used for Vietnamese) or ``"spacy"`` (a blank spaCy
pipeline with a sentencizer and tokenizer rules for code-prefixed money, used for English; see
:func:`extractor.spacy_component.english_pipeline`). Lines are always sentence boundaries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from extractor.lang import load_pack
from extractor.langdetect import detect
from extractor.text import sentence_spans

__all__ = ["Segment", "segments", "sentences"]

_PARAGRAPH = regex.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
_LINE = regex.compile(r"[^\n]+")
_MIN_DETECT = 20  # shorter paragraphs ("Source: VOV") take the language around them
# where a sentencizer could split: end punctuation followed by more text on the line
_MAYBE_BOUNDARY = regex.compile(r"[.!?…]+[\"'”’)\]]*\s+\S")


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
    document = detect(text)
    runs: list[list[int | str]] = []
    for m in _PARAGRAPH.finditer(text):
        para = m.group()
        if len(para) > _MIN_DETECT:
            code = detect(para, default=document)
        else:
            code = str(runs[-1][2]) if runs else document
        if runs and runs[-1][2] == code:
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end(), code])
    for start, end, code in runs:
        yield _segment(text, int(start), int(end), str(code))


def sentences(text: str, *, lang: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (absolute offsets) with the pack's splitter."""
    pack = load_pack(lang)
    stop = len(text) if end is None else end
    if pack.option("sentences", "splitter", "regex") != "spacy":
        return [(a + start, b + start) for a, b in sentence_spans(text[start:stop], pack.abbreviations)]
    from extractor.spacy_component import english_pipeline

    nlp = english_pipeline()
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text, start, stop):
        offset = line.start()
        if _MAYBE_BOUNDARY.search(line.group()) is None:  # one sentence: no need to tokenise
            chunk = line.group()
            a, b = len(chunk) - len(chunk.lstrip()), len(chunk.rstrip())
            if b > a:
                spans.append((a + offset, b + offset))
            continue
        for sent in nlp(line.group()).sents:
            a, b = sent.start_char, sent.end_char
            chunk = sent.text
            a += len(chunk) - len(chunk.lstrip())
            b -= len(chunk) - len(chunk.rstrip())
            if b > a:
                spans.append((a + offset, b + offset))
    return spans


def _segment(text: str, start: int, end: int, lang: str) -> Segment:
    return Segment(start=start, end=end, lang=lang, sentences=sentences(text, lang=lang, start=start, end=end))
