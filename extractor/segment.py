"""Segmentation: language per paragraph (when asked), then sentences with their offsets.

A pack chooses its sentence splitter in ``pack.toml`` ``[sentences] splitter``: ``"regex"`` (the
offset-keeping splitter of :mod:`extractor.text`, used for Vietnamese) or ``"spacy"`` (a blank spaCy
pipeline with a sentencizer and tokenizer rules for code-prefixed money, used for English; see
:func:`extractor.spacy_component.english_pipeline`). Lines are always sentence boundaries.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

from extractor.lang import load_pack
from extractor.langdetect import detect
from extractor.text import sentence_spans

if TYPE_CHECKING:
    from spacy.language import Language

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
    stop = len(text) if end is None else end
    if _splitter(lang) != "spacy":
        abbreviations = load_pack(lang).abbreviations
        return [(a + start, b + start) for a, b in sentence_spans(text[start:stop], abbreviations)]
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text, start, stop):
        offset = line.start()
        chunk = line.group()
        if _MAYBE_BOUNDARY.search(chunk) is None:  # one sentence: no need to tokenise
            _add_stripped(chunk, 0, len(chunk), offset, spans)
            continue
        for a, b in _spacy_sentences(chunk):
            _add_stripped(chunk, a, b, offset, spans)
    return spans


def _add_stripped(chunk: str, a: int, b: int, offset: int, spans: list[tuple[int, int]]) -> None:
    """``chunk[a:b]`` without its outer whitespace, if anything is left, at ``offset``."""
    part = chunk[a:b]
    a, b = a + len(part) - len(part.lstrip()), b - (len(part) - len(part.rstrip()))
    if b > a:
        spans.append((a + offset, b + offset))


@functools.cache
def _splitter(lang: str) -> str:
    return str(load_pack(lang).option("sentences", "splitter", "regex"))


@functools.cache
def _sentencizer() -> tuple[Language, frozenset[str] | None]:
    """The English pipeline, and its sentencizer's punctuation when that is its only component."""
    from extractor.spacy_component import english_pipeline

    nlp = english_pipeline()
    if nlp.pipe_names != ["sentencizer"]:
        return nlp, None
    return nlp, frozenset(nlp.get_pipe("sentencizer").punct_chars)


def _spacy_sentences(line: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the sentences spaCy finds in ``line`` (``sent.start_char, sent.end_char``).

    The pipeline is a tokenizer and a sentencizer, whose rule is simple: a sentence starts at the
    first token that is neither punctuation nor a sentence-final mark, after a sentence-final
    mark (spacy/pipeline/sentencizer.pyx). It is applied here to the tokens; running the
    pipeline to read ``doc.sents`` costs half as much again as tokenising."""
    nlp, punct = _sentencizer()
    if punct is None:
        for sent in nlp(line).sents:
            yield sent.start_char, sent.end_char
        return
    doc = nlp.make_doc(line)
    begin = end = 0  # where the current sentence starts; where its last token so far ends
    seen_final = False
    for token in doc:
        word = token.text
        if word in punct:
            seen_final = True
        elif seen_final and not token.is_punct:
            yield begin, end
            begin, seen_final = token.idx, False
        end = token.idx + len(word)
    if len(doc):
        yield begin, end


def _segment(text: str, start: int, end: int, lang: str) -> Segment:
    return Segment(start=start, end=end, lang=lang, sentences=sentences(text, lang=lang, start=start, end=end))
