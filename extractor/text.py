"""Text normalisation that keeps offsets, and an offset-preserving sentence splitter."""

from __future__ import annotations

import functools
import unicodedata

import regex

__all__ = ["fold_tones", "nfc", "sentence_spans"]

# Old-style tone placement (hoà, thuỷ) → new style (hòa, thủy): same length, so offsets hold.
_OLD_NEW = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_NEW.update({k.capitalize(): v.capitalize() for k, v in list(_OLD_NEW.items())})
_OLD_RE = regex.compile("(?:" + "|".join(map(regex.escape, _OLD_NEW)) + r")(?!\p{L})")


def nfc(text: str) -> str:
    """NFC normalisation (the text every offset refers to)."""
    return unicodedata.normalize("NFC", text)


def fold_tones(text: str) -> str:
    """Move tone marks to the modern position at word ends (``hoà`` → ``hòa``); same length."""
    return _OLD_RE.sub(lambda m: _OLD_NEW[m.group()], text)


@functools.cache
def _boundary_re(abbreviations: frozenset[str]) -> regex.Pattern[str]:
    abbr = "|".join(regex.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
    not_abbr = rf"(?<!(?<!\w)(?:{abbr}))" if abbr else ""
    # a sentence ends at . ! ? … (plus closing quotes/brackets) followed by space and a capital,
    # digit or quote; or at a line break
    return regex.compile(
        rf"(?:{not_abbr}[.!?…]+[\"'”’)\]]*(?=[ \t\u00a0]+[\"'“‘(\[]?[\p{{Lu}}\d])|\n+)"
    )


def sentence_spans(text: str, abbreviations: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """(start, end) of each sentence; spans cover the text without leading/trailing spaces."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _boundary_re(abbreviations).finditer(text):
        _add(text, pos, m.end(), spans)
        pos = m.end()
    _add(text, pos, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
