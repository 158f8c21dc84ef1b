"""Cue words of the checker, loaded from ``extractor/lang/<code>/checks.toml`` (data, not code)."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Cues", "load_cues"]

LANG_DIR = Path(__file__).resolve().parents[1] / "lang"


def _alternation(words: list[str]) -> str:
    r"""Longest first, each word whole. Neighbouring words with the same bounds share them,
    ``(?<!\w)(?:a|b)(?!\w)``: the same matches in the same order as ``(?<!\w)a(?!\w)|(?<!\w)b(?!\w)``,
    but a search no longer tries a lookbehind per word at every position."""
    runs: list[tuple[str, str, list[str]]] = []
    for w in sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True):
        body = r"\s+".join(re.escape(tok) for tok in w.split())
        left = r"(?<!\w)" if w[0].isalnum() else ""
        right = r"(?!\w)" if w[-1].isalnum() else ""
        if runs and runs[-1][0] == left and runs[-1][1] == right:
            runs[-1][2].append(body)
        else:
            runs.append((left, right, [body]))
    parts = [f"{left}(?:{'|'.join(bodies)}){right}" for left, right, bodies in runs]
    return "|".join(parts) if parts else r"(?!x)x"


@dataclass(frozen=True)
class Cues:
    """Compiled cue lists of one language: ``cues.find("growth.up", text)`` and friends."""

    lang: str
    lists: dict[str, tuple[str, ...]]
    patterns: dict[str, re.Pattern[str]]

    @functools.cached_property
    def stopwords(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.lists.get("stopwords.words", ()))

    def words(self, key: str) -> tuple[str, ...]:
        return self.lists.get(key, ())

    def search(self, key: str, text: str) -> re.Match[str] | None:
        return self.patterns[key].search(text) if key in self.patterns else None

    def has(self, key: str, text: str) -> bool:
        return self.search(key, text) is not None

    def ends(self, key: str, text: str) -> re.Match[str] | None:
        """The cue that ``text`` ends with (trailing spaces/punctuation ignored)."""
        if key not in self.patterns:
            return None
        return _anchored(self.patterns[key].pattern, "end").search(text)

    def starts(self, key: str, text: str) -> re.Match[str] | None:
        if key not in self.patterns:
            return None
        return _anchored(self.patterns[key].pattern, "start").match(text)


@functools.lru_cache(maxsize=512)
def _anchored(pattern: str, side: str) -> re.Pattern[str]:
    """A cue pattern anchored at the end or the start of a text, compiled once per cue list."""
    if side == "end":
        return re.compile(rf"(?:{pattern})[\s:,]*$", flags=re.IGNORECASE)
    return re.compile(rf"[\s,:\-–(]*(?:{pattern})", flags=re.IGNORECASE)


def _flatten(data: dict, prefix: str = "") -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            out[name] = tuple(str(v) for v in value)
    return out


@functools.lru_cache(maxsize=8)
def load_cues(lang: str | None) -> Cues:
    """Cues of ``lang`` (``vi`` when unknown)."""
    code = lang if lang and (LANG_DIR / lang / "checks.toml").exists() else "vi"
    with open(LANG_DIR / code / "checks.toml", "rb") as fh:
        data = tomllib.load(fh)
    lists = _flatten(data)
    patterns = {k: re.compile(_alternation(list(v)), re.IGNORECASE) for k, v in lists.items()}
    return Cues(code, lists, patterns)
