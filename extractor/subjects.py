"""Subject of each figure: the administrative unit (or organisation) it is about.

Units are recognised with their level word (``tỉnh``, ``thành phố``/``TP``, ``huyện``, ``quận``,
``thị xã``, ``thị trấn``, ``xã``, ``phường``; also without diacritics, and English ``… province``,
``… city``, ``… district``) or, for provinces, by name alone (``Quảng Nam``, ``Hanoi``,
``Ho Chi Minh City``). They resolve against the gazetteer derived from underthesea's pre/post
1 July 2025 mapping (``extractor/data/gazetteer.tsv.gz``, built by
``extractor/data/build_gazetteer.py``), which knows the 63 old and 34 new provinces, the old
districts and the old and new wards. A figure takes the unit named nearest before it in its
sentence (else after it), and otherwise the article's main subject: the unit of the title, else
the one named most. ``cả nước``/``nationwide`` is ``Việt Nam``.
"""

from __future__ import annotations

import functools
import gzip
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from extractor.periods import sentence_index, sentence_table
from extractor.records import Claim

__all__ = ["Subject", "Unit", "find_subjects", "fold", "gazetteer", "resolve_unit", "subjects_for", "successor_name"]

_DATA = Path(__file__).parent / "data" / "gazetteer.tsv.gz"
COUNTRY = "Việt Nam"
COUNTRY_CODE = "VN"


_NOT_ALNUM = regex.compile(r"[^a-z0-9]")


def fold(text: str) -> str:
    """Lowercase, no diacritics, no spaces or punctuation: ``Phụng Hiệp`` → ``phunghiep``."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    # after NFKD, what is not ASCII is a combining mark or a character the pattern drops anyway
    return _NOT_ALNUM.sub("", text.encode("ascii", "ignore").decode("ascii").lower())


def _fold_all(names: list[str]) -> list[str]:
    """:func:`fold` of each name, normalised in one pass (a tab is left alone by each step)."""
    joined = unicodedata.normalize("NFKD", "\t".join(names).replace("đ", "d").replace("Đ", "D"))
    folded = joined.encode("ascii", "ignore").decode("ascii").lower().split("\t")
    return [_NOT_ALNUM.sub("", f) for f in folded]


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str  # province | province2025 | district | ward | ward2025
    key: str
    name: str
    short: str
    code: str
    parent: str
    successor: str


@dataclass(frozen=True, slots=True)
class Subject:
    """A resolved subject: display name (``huyện Phụng Hiệp, tỉnh Hậu Giang``) and code."""

    name: str
    code: str | None
    unit: Unit | None = None


@dataclass(frozen=True)
class _Gazetteer:
    units: dict[tuple[str, str], Unit]  # (kind, key) -> unit
    by_name: dict[str, list[Unit]]  # folded short name -> units (all kinds)


@functools.cache
def gazetteer() -> _Gazetteer:
    """The gazetteer (loaded once)."""
    units: dict[tuple[str, str], Unit] = {}
    by_name: dict[str, list[Unit]] = {}
    with gzip.open(_DATA, "rt", encoding="utf-8") as fh:
        rows = [Unit(*line.rstrip("\n").split("\t")) for line in fh.read().splitlines()[1:] if line]
    for unit, folded in zip(rows, _fold_all([u.short for u in rows]), strict=True):
        units[(unit.kind, unit.key)] = unit
        by_name.setdefault(folded, []).append(unit)
    for alias, key in _PROVINCE_ALIASES.items():
        unit = units.get(("province", key))
        if unit is not None:
            by_name.setdefault(fold(alias), []).insert(0, unit)
    return _Gazetteer(units, by_name)


_PROVINCE_ALIASES = {
    "HCM": "thanhphohochiminh",
    "TPHCM": "thanhphohochiminh",
    "TP.HCM": "thanhphohochiminh",
    "HCMC": "thanhphohochiminh",
    "Sài Gòn": "thanhphohochiminh",
    "Ho Chi Minh City": "thanhphohochiminh",
    "Hanoi": "thanhphohanoi",
    "Thừa Thiên Huế": "tinhthuathienhue",
    "Huế": "tinhthuathienhue",
}

_LEVELS = {
    "tỉnh": ("province",),
    "tinh": ("province",),
    "province": ("province",),
    "thành phố": ("province", "district"),
    "thanh pho": ("province", "district"),
    "tp": ("province", "district"),
    "city": ("province", "district"),
    "huyện": ("district",),
    "huyen": ("district",),
    "quận": ("district",),
    "quan": ("district",),
    "district": ("district",),
    "thị xã": ("district",),
    "thi xa": ("district",),
    "town": ("district",),
    "thị trấn": ("ward",),
    "xã": ("ward", "ward2025"),
    "phường": ("ward", "ward2025"),
    "commune": ("ward", "ward2025"),
    "ward": ("ward", "ward2025"),
}
_LEVEL_WORD = {"province": "tỉnh", "district": "huyện", "ward": "xã", "province2025": "tỉnh", "ward2025": "xã"}

_NAME = r"(?:\p{Lu}[\p{L}\p{M}]*|\d+)(?:[ \u00a0](?:\p{Lu}[\p{L}\p{M}]*|\d+)){0,3}"
_VI_UNIT = regex.compile(
    rf"(?<![\p{{L}}])(?P<level>(?i:tỉnh|tinh|thành phố|thanh pho|huyện|huyen|quận|quan|thị xã|thi xa|thị trấn|xã|phường))"
    rf"\s+(?P<name>{_NAME})"
    rf"|(?<![\p{{L}}])(?P<level2>TP|Tp)\.?\s?(?P<name2>{_NAME}|HCM)"
)
_EN_UNIT = regex.compile(rf"(?P<name>{_NAME})\s+(?P<level>(?i:province|city|district|town|commune))(?!\p{{L}})")
_COUNTRY_RE = regex.compile(
    r"(?<![\p{L}])(?i:cả nước|toàn quốc|nationwide|the whole country)(?![\p{L}])"
    r"|(?<![\p{Lu}][\p{L}\p{M}]*\s)(?:Việt Nam|Vietnam|Viet Nam)(?!\s\p{Lu})(?![\p{L}])"
)
# "Hanoi (VNA) –": a dateline names where the report was filed, not what it is about
_DATELINE = regex.compile(r"\s*\((?:VNA|TTXVN|VOV|VNS|TTO)\)")
_REGIONS = {
    "Đồng bằng sông Cửu Long": "Đồng bằng sông Cửu Long",
    "ĐBSCL": "Đồng bằng sông Cửu Long",
    "Mekong Delta": "Đồng bằng sông Cửu Long",
    "Tây Nguyên": "Tây Nguyên",
    "Central Highlands": "Tây Nguyên",
    "Đông Nam Bộ": "Đông Nam Bộ",
    "Đồng bằng sông Hồng": "Đồng bằng sông Hồng",
    "Red River Delta": "Đồng bằng sông Hồng",
}
_REGION_RE = regex.compile("|".join(regex.escape(k) for k in sorted(_REGIONS, key=len, reverse=True)))
_ORG_RE = regex.compile(
    rf"(?<![\p{{L}}])(?:Công ty|Tập đoàn|Tổng công ty|Ngân hàng|Hiệp hội|Bệnh viện)\s+(?P<name>{_NAME})"
)
# a name between dashes is part of a route ("Cao tốc Cần Thơ - Cà Mau"), not a subject
_ROUTE = regex.compile(r"\s[-–]\s*$|^\s*[-–]\s")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    subject: Subject


@functools.cache
def _bare_province_re() -> regex.Pattern[str]:
    g = gazetteer()
    names = {u.short for (kind, _), u in g.units.items() if kind in ("province", "province2025")}
    names |= set(_PROVINCE_ALIASES)
    alts = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}.])(?:{alts})(?![\p{{L}}\p{{M}}])")


def resolve_unit(level_word: str | None, name: str, *, prefer: Collection[str] = ()) -> Unit | None:
    """A unit named ``name`` at the level ``level_word`` (any level if None); ``prefer`` are
    province keys mentioned in the article, used to pick among namesakes."""
    g = gazetteer()
    kinds = _LEVELS.get(level_word.lower(), ()) if level_word else ("province", "district", "ward")
    cands = [u for u in g.by_name.get(fold(name), []) if u.kind in kinds]
    if not cands:
        return None
    rank = {k: i for i, k in enumerate(kinds)}

    def score(u: Unit) -> tuple[int, int]:
        prov = u.key.split("/")[0]
        return (0 if prov in prefer else 1, rank.get(u.kind, 9))

    return min(cands, key=score)


def describe(unit: Unit) -> Subject:
    """Display name with its province (``huyện Phụng Hiệp, tỉnh Hậu Giang``) and a code."""
    g = gazetteer()
    if unit.kind in ("province", "province2025"):
        return Subject(unit.name[:1].lower() + unit.name[1:], unit.code, unit)
    parts = [unit.name[:1].lower() + unit.name[1:]]
    parent = unit.parent
    while parent:
        kind = "district" if parent.count("/") == 1 else ("province" if unit.kind != "ward2025" else "province2025")
        p = g.units.get((kind, parent)) or g.units.get(("province2025", parent))
        if p is None:
            break
        parts.append(p.name[:1].lower() + p.name[1:])
        parent = p.parent
    code = f"{unit.code}/{unit.key.split('/', 1)[1]}" if "/" in unit.key else unit.code
    return Subject(", ".join(parts), code, unit)


def find_subjects(text: str, *, lang: str) -> list[Mention]:
    """Every subject mention in ``text``, in order (no two overlap)."""
    return list(_find_subjects(text, lang))


@functools.lru_cache(maxsize=32)
def _find_subjects(text: str, lang: str) -> tuple[Mention, ...]:
    out: list[Mention] = []
    taken = bytearray(len(text))  # characters of earlier mentions: an overlap test is a bounded find

    def add(s: int, e: int, subj: Subject) -> None:
        if e <= s or taken.find(1, s, e) >= 0:
            return
        taken[s:e] = b"\x01" * (e - s)
        out.append(Mention(s, e, subj))

    provinces_named: set[str] = set()
    for m in _bare_province_re().finditer(text):
        if _ROUTE.search(text[max(0, m.start() - 3) : m.start()]) or _ROUTE.search(text[m.end() : m.end() + 3]):
            continue
        u = resolve_unit("tỉnh", m.group())
        if u is not None:
            provinces_named.add(u.key)
    for m in _VI_UNIT.finditer(text):
        level = m.group("level") or "tp"
        name = m.group("name") or m.group("name2")
        u = resolve_unit(level, name, prefer=provinces_named)
        if u is None and level.lower() in ("tp", "thành phố", "thanh pho"):
            u = resolve_unit("tỉnh", name)
        if u is not None:
            add(m.start(), m.end(), describe(u))
    if lang != "vi":
        for m in _EN_UNIT.finditer(text):
            u = resolve_unit(m.group("level"), m.group("name"), prefer=provinces_named)
            if u is not None:
                add(m.start(), m.end(), describe(u))
    for m in _bare_province_re().finditer(text):
        if _ROUTE.search(text[max(0, m.start() - 3) : m.start()]) or _ROUTE.search(text[m.end() : m.end() + 3]):
            continue
        if _DATELINE.match(text, m.end()):
            continue
        u = resolve_unit("tỉnh", m.group())
        if u is not None:
            add(m.start(), m.end(), describe(u))
    for m in _REGION_RE.finditer(text):
        add(m.start(), m.end(), Subject(_REGIONS[m.group()], None))
    for m in _COUNTRY_RE.finditer(text):
        add(m.start(), m.end(), Subject(COUNTRY, COUNTRY_CODE))
    for m in _ORG_RE.finditer(text):
        add(m.start(), m.end(), Subject(m.group(), None))
    out.sort(key=lambda x: x.start)
    return tuple(out)


def main_subject(text: str, mentions: Sequence[Mention]) -> Subject | None:
    """The article's subject: the unit of its title, else the one named most (first on ties)."""
    if not mentions:
        return None
    title_end = text.find("\n") if "\n" in text else len(text)
    in_title = [m for m in mentions if m.start < title_end and m.subject.code != COUNTRY_CODE]
    if in_title:
        return in_title[0].subject
    counts = Counter(m.subject.name for m in mentions)
    first = {}
    for m in mentions:
        first.setdefault(m.subject.name, m)
    best = max(counts, key=lambda n: (counts[n], -first[n].start))
    return first[best].subject


def successor_name(subject: Subject | None) -> str | None:
    """Display name of the unit that took ``subject`` over on 1 July 2025 (``huyện Phụng Hiệp,
    tỉnh Hậu Giang`` → ``thành phố Cần Thơ``; a unit that kept its name maps to its new self), or
    None (a region, the country, an organisation, or a unit named after the merger)."""
    unit = subject.unit if subject is not None else None
    if unit is None or not unit.successor or unit.kind in ("province2025", "ward2025"):
        return None
    g = gazetteer()
    kind = "ward2025" if unit.kind == "ward" else "province2025"
    after = g.units.get((kind, unit.successor))
    if after is None:
        return None
    return describe(after).name


def subjects_for(text: str, claims: Sequence[Claim], *, lang: str) -> list[Subject | None]:
    """Subject of each claim: the unit named nearest in its sentence, else the article's."""
    mentions = find_subjects(text, lang=lang)
    main = main_subject(text, mentions)
    rows = sentence_table(text, lang)
    by_sent: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sent.setdefault(sentence_index(rows, m.start), []).append(m)
    out: list[Subject | None] = []
    for c in claims:
        here = by_sent.get(sentence_index(rows, c.start), [])
        before = [m for m in here if m.end <= c.start]
        after = [m for m in here if m.start >= c.end]
        if before:
            out.append(before[-1].subject)
        elif after:
            out.append(after[0].subject)
        else:
            out.append(main)
    return out
