"""Reader of the corpus-as-tests files (``corpora/<lang>/*.toml``, see ``corpora/README.md``).

Used by ``tests/test_*_vi.py``, ``corpora/failing.py`` and the benchmarks; no dependency beyond the
standard library, so the data can be read without the extractor.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: fields of an expected claim (FORMAT.md names; ``span`` is the claim's ``text``)
CLAIM_FIELDS = (
    "span",
    "value",
    "value_max",
    "of",
    "unit",
    "per",
    "noun",
    "qualifier",
    "kind",
    "direction",
)
#: what an expected claim is when a field is not written
DEFAULTS: dict[str, Any] = {
    "value_max": None,
    "of": None,
    "per": None,
    "noun": None,
    "qualifier": "exact",
    "kind": "level",
    "direction": None,
}
FORM_KEYS = frozenset(CLAIM_FIELDS) | {"text", "also", "xfail", "note"}
CASE_KEYS = frozenset({"name", "note", "expect", "forms"})

# FORMAT.md "Canonical units", "qualifier", "kind", "direction"
UNITS = frozenset(
    "VND USD EUR CNY JPY percent percentage_point km m km2 m2 ha tonne kg litre m3 kWh MW "
    "person household count times year month day hour".split()
)
QUALIFIERS = frozenset({"exact", "approx", "over", "under", "at_least", "at_most"})
KINDS = frozenset({"level", "change", "target", "share", "multiple", "ratio"})
DIRECTIONS = frozenset({"up", "down"})


@dataclass(frozen=True)
class Case:
    """One surface form and what it must yield."""

    id: str  # "<file>-<case name>-<n>", e.g. "money-ti-dong-2"
    file: str
    name: str
    text: str
    expect: dict[str, Any] | None  # None: a negative case, the text yields no claim
    also: tuple[str, ...] = ()  # spans of the other claims the text yields
    xfail: str | None = None  # known failure: one-line diagnosis
    raw: dict[str, Any] = field(default_factory=dict, compare=False)  # form as written


def ascii_slug(text: str, limit: int = 40) -> str:
    """``'2 đô 23 xu'`` → ``'2-do-23-xu'`` (readable, ASCII test ids)."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    out, dash = [], False
    for ch in plain:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif ch in "%$€£¥₫/.,":
            out.append({"%": "pct", "/": "per", ".": ".", ",": ","}.get(ch, "cur"))
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")[:limit].rstrip("-") or "x"


def corpus_files(lang: str = "vi") -> list[Path]:
    """The case files of a language (``known_failures.toml`` is not one)."""
    return sorted(p for p in (HERE / lang).glob("*.toml") if not p.name.startswith("known_"))


def read_file(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def load_cases(lang: str = "vi") -> list[Case]:
    """Every form of every case of every ``corpora/<lang>/*.toml`` file."""
    cases: list[Case] = []
    for path in corpus_files(lang):
        data = read_file(path)
        for case in data.get("case", []):
            expect = case.get("expect")
            for n, form in enumerate(case.get("forms", []), start=1):
                if isinstance(form, str):
                    form = {"text": form}
                merged: dict[str, Any] | None = None
                if expect is not None:
                    merged = {**DEFAULTS, **expect}
                    merged.update({k: v for k, v in form.items() if k in CLAIM_FIELDS})
                cases.append(
                    Case(
                        id=f"{path.stem}-{case.get('name', '?')}-{n}",
                        file=path.stem,
                        name=case.get("name", "?"),
                        text=form.get("text", ""),
                        expect=merged,
                        also=tuple(form.get("also", ())),
                        xfail=form.get("xfail"),
                        raw=form,
                    )
                )
    return cases


def known_failures(lang: str = "vi") -> dict[str, Any]:
    """``corpora/<lang>/known_failures.toml``: golden and conformance cases failing today."""
    path = HERE / lang / "known_failures.toml"
    return read_file(path) if path.is_file() else {}
