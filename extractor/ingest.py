"""Sources → :class:`Article`: plain text, JSONL dumps, directories, stdin (HTML and URLs: TODO).

Bad input never raises: it yields a :class:`Skipped` with a one-line reason naming file and line.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extractor.records import Article


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read, with where and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def iter_inputs(inputs: Iterable[str], *, lang: str | None = None) -> Iterator[Article | Skipped]:
    """Articles from paths (``.txt``, ``.jsonl``, directories) or ``-`` for stdin."""
    for item in inputs:
        if item == "-":
            yield _article(sys.stdin.read(), "stdin", lang)
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                yield from _from_file(child, lang)
        elif path.exists():
            yield from _from_file(path, lang)
        else:
            yield Skipped(item, "no such file or directory")


def _from_file(path: Path, lang: str | None) -> Iterator[Article | Skipped]:
    if path.suffix == ".jsonl":
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skipped(f"{path}:{lineno}", f"invalid JSON ({exc.msg})")
                continue
            yield Article(
                id=str(row.get("id") or f"{path.stem}-{lineno}"),
                text=unicodedata.normalize("NFC", row.get("text") or ""),
                lang=row.get("lang") or lang,
                date=(row.get("date") or None),
            )
    else:
        yield _article(path.read_text(encoding="utf-8"), path.stem, lang)


def _article(text: str, ident: str, lang: str | None) -> Article:
    return Article(id=ident, text=unicodedata.normalize("NFC", text), lang=lang)
