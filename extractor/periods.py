"""Period of each claim: the year (or term, crop year, quarter, half, months) a figure refers to.

One engine for every language; the words live in ``lang/<code>/periods.toml``.

How a claim gets its period (FORMAT.md "Settled cases", gold README 17):

1. *Cues* are found once per article: explicit years, terms (``nhiệm kỳ 2020-2025``), crop years,
   quarters, halves, months-to-date (``6 tháng đầu năm``), months, day dates (``Ngày 13-3``),
   relative years (``năm qua``, ``last year``) and words that make a figure current (``hiện``,
   ``đến nay``), annual (``mỗi năm``), timeless (``theo quy định``) or a look-back (``30 năm qua``).
   Each cue gets a *role*: a period after ``so với``/``than`` is a comparison **base**, one after
   ``từ nay đến``/``kể từ`` opens a span (**open**), one inside a name (``Đại hội … nhiệm kỳ``,
   ``Quyết định số … ngày``) is a **label**; the rest are **point** cues.
2. A claim takes the nearest cue in its clause, else the nearest in its sentence (a cue before the
   figure first; for a change or multiple a later cue is usually its base, so it comes last).
   A base year ``Y`` only says the figure is of ``Y+1`` (``tăng 9,17% so năm 2022`` → 2023).
3. Without a cue: a price in a dated report takes the report's year; a physical length is
   timeless; otherwise the period of the paragraph so far, else the article's *focus* period (the
   commonest period among sentences with figures), else null.
4. A figure in the title with no cue takes the period of its first repetition in the body.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import regex

from extractor.lang import load_pack, load_toml, word_alternation
from extractor.records import Claim
from extractor.text import sentence_spans

__all__ = ["Period", "PeriodResult", "assign_periods", "resolve_periods", "sentence_table", "updated"]

_YEAR = r"(?:19|20)\d\d"
_SPACES = regex.compile(r"\s+")
_FUTURE_SLACK = 0  # years after the article's year that still count towards its focus


# --------------------------------------------------------------------------- period values


@dataclass(frozen=True, slots=True)
class Period:
    """A period: ``label`` for observations, ``year`` for :attr:`Claim.period`."""

    label: str
    year: str
    start: dt.date
    end: dt.date
    grain: str  # year | term | crop | quarter | half | months | month | day

    def shift_years(self, n: int) -> Period:
        """The same period ``n`` years later (``n`` < 0: earlier)."""
        if self.grain in ("term", "crop"):
            a, b = (int(x) for x in self.year.split("-"))
            return span_period(a + n, b + n, grain=self.grain)
        if self.grain == "year":
            return year_period(int(self.year) + n)
        if self.grain == "day":
            y = self.start.year + n
            day = min(self.start.day, 28) if self.start.month == 2 else self.start.day
            return day_period(y, self.start.month, day)
        y = int(self.year) + n
        return _months_period(y, self.start.month, self.end.month, grain=self.grain)


@functools.lru_cache(maxsize=4096)  # periods are frozen: one object per value
def year_period(y: int) -> Period:
    return Period(str(y), str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


@functools.lru_cache(maxsize=4096)  # periods are frozen: one object per value
def span_period(a: int, b: int, *, grain: str) -> Period:
    label = f"{a}-{b}"
    return Period(label, label, dt.date(a, 1, 1), dt.date(b, 12, 31), grain)


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)


@functools.lru_cache(maxsize=4096)
def _months_period(y: int, m1: int, m2: int, *, grain: str) -> Period:
    if grain == "quarter":
        label = f"{y}-Q{(m2 + 2) // 3}"
    elif grain == "half":
        label = f"{y}-H{1 if m2 <= 6 else 2}"
    elif grain == "month" or m1 == m2:
        grain = "month"
        label = f"{y}-{m1:02d}"
    else:
        label = f"{y}-{m1:02d}/{y}-{m2:02d}"
    return Period(label, str(y), dt.date(y, m1, 1), _month_end(y, m2), grain)


def months_period(y: int, m1: int, m2: int) -> Period:
    """Months ``m1``..``m2`` of ``y``: a quarter or half when it is one."""
    if m2 - m1 == 2 and m1 % 3 == 1:
        return _months_period(y, m1, m2, grain="quarter")
    if m2 - m1 == 5 and m1 in (1, 7):
        return _months_period(y, m1, m2, grain="half")
    if m1 == m2:
        return _months_period(y, m1, m2, grain="month")
    return _months_period(y, m1, m2, grain="months")


@functools.lru_cache(maxsize=4096)  # periods are frozen: one object per value
def day_period(y: int, m: int, d: int) -> Period:
    day = dt.date(y, m, d)
    return Period(day.isoformat(), str(y), day, day, "day")


# --------------------------------------------------------------------------- cue lexicon


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    role: str  # point | base | open | label | present | annual | rule | lookback | cumulative | none
    period: Period | None
    weak: bool = False  # a base-derived "current" period (Y+1)


_Step = tuple[
    str,
    regex.Pattern[str],
    frozenset[str] | None,
    tuple[str, ...] | None,
    tuple[str, ...],
    tuple[str, ...] | None,
    dict[str, tuple[str, ...]] | None,
]


class _Gate(NamedTuple):
    """What every match of one cue pattern holds, so the pattern is only run where that is written.

    Running the ~25 patterns over a sentence costs far more than these tests (a regex pass is
    ~25 ns a character, a set or substring test well under one), and each test is sound: a
    pattern is skipped only where it cannot match, so the cues found are the same. (A tuple:
    :func:`_cue_matches` unpacks it for each pattern of each text.)
    """

    year: bool = False  # a 4-digit year
    capital: bool = False  # a white space then an ASCII capital (``in May``)
    # the first letter runs (case-folded) of the whole words one of which each match holds
    # (:func:`_first_runs`): one of them is a letter run of the text; None: not known
    first: frozenset[str] | None = None
    # each match holds one of these words (folded by :func:`_fold`; none listed: no match at all)
    words: tuple[str, ...] | None = None
    also: tuple[str, ...] = ()  # and one of these (a separator it needs), folded
    # each match starts with one of these (folded): the pattern is only tried where one is
    # written (:func:`_anchored_matches`), not at every character; None: it is run over the text
    starts: tuple[str, ...] | None = None
    # the ``starts`` (whole words) by their first letter run (a key of ``first``): only those
    # whose run is written need looking for
    starts_by_run: dict[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class _Lexicon:
    code: str
    patterns: tuple[tuple[str, regex.Pattern[str]], ...]  # (kind, pattern), in priority order
    gates: tuple[_Gate, ...]  # per pattern: what its matches hold
    capitals: bool  # a gate asks for a capital
    # (a year is written, a capital is) → the patterns that may then match, in priority order,
    # as (kind, pattern, first, words, also, starts, starts_by_run) of their gates; (None, None):
    # all of them (the gates off)
    plans: dict[tuple[bool | None, bool | None], tuple[_Step, ...]]
    # what a cue's context ends with (searched only: the first two run in reverse, from the end)
    base_before: regex.Pattern[str]
    open_before: regex.Pattern[str]
    label_before: regex.Pattern[str]
    label_before_term: regex.Pattern[str]
    label_heads: tuple[str, ...]  # folded: a label context holds one
    numbers: dict[str, int]
    months: dict[str, int]
    relative: dict[str, int]
    timeless_units: frozenset[str]
    first_half: regex.Pattern[str]
    second_half: regex.Pattern[str]
    last_months: regex.Pattern[str]


def _alt(words: Sequence[str]) -> str:
    return word_alternation(list(words)) if words else "(?!)"


_LETTERS = regex.compile(r"[\p{L}\p{M}]+")


def _first_runs(words: Sequence[str]) -> frozenset[str] | None:
    """The first letter run of each word, case-folded; None if a word starts with no letter.

    In :func:`_alt` a word that starts with a letter may not follow a letter, and one that ends
    with a letter may not be followed by one, so in the text its match starts a letter run that
    is its own first run (case aside)."""
    out = set()
    for w in words:
        m = _LETTERS.match(w)
        if m is None or not regex.match(r"\p{L}", w):
            return None
        out.add(m.group().casefold())
    return frozenset(out)


_ODD_CASES = str.maketrans({"İ": "i", "ſ": "s"})


def _fold(text: str) -> str:
    """``text`` in lower case, where each character is what IGNORECASE matches it with.

    A word matched case-insensitively is then a substring of the folded text. ``lower`` alone
    maps each character an ASCII or Vietnamese letter matches to that letter except two, which
    ``regex`` matches with ``i`` and ``s``: ``İ`` (``lower`` gives two characters) and ``ſ``."""
    if "İ" in text or "ſ" in text:
        text = text.translate(_ODD_CASES)
    return text.lower()


def _shortest_prefixes(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` less those another starts with (where one is written, the other is too: the
    places a pattern is tried at are the same, found with fewer searches)."""
    return tuple(dict.fromkeys(w for w in words if not any(w != o and w.startswith(o) for o in words)))


@functools.cache
def _lexicon(code: str) -> _Lexicon:
    data = load_toml(code, "periods") or load_toml("vi", "periods")
    roles = data.get("roles", {})
    spans = data.get("spans", {})
    numbers = {k.lower(): int(v) for k, v in data.get("numbers", {}).items()}
    months = {k.lower(): int(v) for k, v in data.get("months", {}).items()}
    relative = {k.lower(): int(v) for k, v in data.get("relative_years", {}).items()}
    num = rf"(?:\d{{1,2}}|{_alt(list(numbers))})"
    month_name = _alt(list(months))
    y = _YEAR
    ywords = _alt(data.get("year_words", []))
    pats: list[tuple[str, str]] = []
    gates: dict[int, _Gate] = {}  # pattern → what its matches hold (nothing known: no gate)

    def gate(
        *lists: Sequence[str],
        runs: bool = True,
        leading: bool = True,
        year: bool = False,
        capital: bool = False,
        also: Sequence[str] = (),
        starts: Sequence[str] | None = None,
    ) -> None:
        """Gate the last pattern: each match holds one of the words of ``lists`` (``runs``: as
        a whole word, from :func:`_alt`; ``leading``: the match starts with it), a year, a
        capital, one of ``also``; it starts with one of ``starts``."""
        words = tuple(_fold(w) for ws in lists for w in ws) if lists else None
        first = _first_runs([w for ws in lists for w in ws]) if runs and words else None
        by_run: dict[str, tuple[str, ...]] | None = None
        if leading and words is not None:
            if first is not None:
                by_run = {}
                for w in (w for ws in lists for w in ws):
                    run = _LETTERS.match(w).group().casefold()  # type: ignore[union-attr]
                    by_run[run] = _shortest_prefixes((*by_run.get(run, ()), _fold(w)))
            words, starts = None, _shortest_prefixes(words)
        elif starts is not None:
            starts = _shortest_prefixes(tuple(map(_fold, starts)))
        gates[len(pats) - 1] = _Gate(year, capital, first, words, tuple(map(_fold, also)), starts, by_run)

    # things that look like cues but are not
    pats.append(("none", _alt(roles.get("not_present", []))))
    gate(roles.get("not_present", []))
    # full date ranges "(10-3-1975 - 10-3-2025)": an anniversary label
    pats.append(("label", rf"\d{{1,2}}[-/.]\d{{1,2}}[-/.]{y}\s*[-–]\s*\d{{1,2}}[-/.]\d{{1,2}}[-/.]{y}"))
    gate(year=True, also=("-", "–"))
    pats.append(("open_phrase", _alt([w for w in roles.get("open", []) if " " in w])))
    gate([w for w in roles.get("open", []) if " " in w])
    term = _alt(data.get("term_words", []))
    crop = _alt(data.get("crop_words", []))
    pats.append(("term", rf"(?:{term})\s+(?:\d+\s+\p{{L}}+\s+)?\(?\s*({y})\s*[-–—/]\s*({y})\)?"))
    gate(data.get("term_words", []), runs=False, year=True, also=("-", "–", "—", "/"))
    pats.append(("term", rf"({y})\s*[-–—]\s*({y})\s+(?:{term})"))
    gate(data.get("term_words", []), runs=False, leading=False, year=True, also=("-", "–", "—"))
    pats.append(("crop", rf"(?:{crop})\s+({y})\s*[-/–]\s*(\d\d(?:\d\d)?)(?!\d)"))
    gate(data.get("crop_words", []), runs=False, year=True, also=("-", "/", "–"))
    pats.append(("crop", rf"({y})\s*[/–-]\s*(\d\d(?:\d\d)?)\s+(?:{crop})"))
    gate(data.get("crop_words", []), runs=False, leading=False, year=True, also=("-", "/", "–"))
    pats.append(("term", rf"(?<![\d/.-])({y})\s*[-–—]\s*({y})(?![\d/])"))
    gate(year=True, also=("-", "–", "—"))
    # full dates first so their year is not read alone
    day_words = _alt(data.get("day_words", []))
    pats.append(("day", rf"(?<![\d/.-])(\d{{1,2}})[-/.](\d{{1,2}})[-/.]({y})(?!\d)"))
    gate(year=True)
    pats.append(("day", rf"(?:{day_words})\s+(\d{{1,2}})\s*[-/]\s*(\d{{1,2}})(?:\s*[-/]\s*({y}))?(?![\d/])"))
    gate(data.get("day_words", []), also=("-", "/"))
    if months:
        pats.append(("day_en", rf"(?<!\p{{L}})({month_name})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+({y}))?(?!\d)"))
        gate(list(months))
        pats.append(("day_en2", rf"(?<!\d)(\d{{1,2}})\s+({month_name})(?:,?\s+({y}))?(?!\p{{L}})"))
        gate(list(months), leading=False)
        pats.append(("month_range", rf"(?<!\p{{L}})({month_name})\s*[-–]\s*({month_name})(?:,?\s+({y}))?"))
        gate(list(months), also=("-", "–"))
    # quarters: "quý I/2024", "quý II", "Q1 2024", "first quarter of 2024"
    qwords = _alt(data.get("quarter_words", []))
    if code == "en":
        pats.append(("quarter_en", rf"(?<![\p{{L}}\d])(?:Q([1-4])|({num})\s+(?:{qwords}))(?:\s*(?:of\s+(?:the\s+year\s+)?|/|,)?\s*({y}))?"))
        gate(["q1", "q2", "q3", "q4"], data.get("quarter_words", []), leading=False)
    else:
        pats.append(("quarter", rf"(?:{qwords})\s+(IV|I{{1,3}}|[1-4]|{_alt(list(numbers))})(?![\p{{L}}\d])(?:\s*(?:[/-]|năm)\s*({y}|nay))?"))
        gate(data.get("quarter_words", []))
    # halves and months-to-date
    fh = _alt(spans.get("first_half", []))
    sh = _alt(spans.get("second_half", []))
    pats.append(("half", rf"(?:{fh}|{sh})(?:\s+(?:of\s+|năm\s+)?(?:the\s+year\s+)?({y}|nay|this year))?"))
    gate(spans.get("first_half", []), spans.get("second_half", []))
    first = _alt(spans.get("first_months", []) + spans.get("last_months", []))
    if code == "en":
        pats.append(("months_en", rf"(?:first|last)\s+({num})\s+months(?:\s+of\s+(?:the\s+year|this\s+year|({y})))?"))
        gate(["months"], runs=False, leading=False, starts=("first", "last"))
    else:
        pats.append(("months", rf"({num})\s+(?:{first})(?:\s+({y}|nay))?"))
        gate(spans.get("first_months", []), spans.get("last_months", []), leading=False)
        lead = _alt(spans.get("to_date_lead", []))
        pats.append(("months_lead", rf"(?:{lead})\s+({num})\s+tháng(?!\s+(?:qua|tới|trước|sau))(?:\s+(?:năm\s+)?({y}|nay))?"))
        gate(spans.get("to_date_lead", []), also=("tháng",))
    # months: "tháng 5/2024", "tháng 3", "in May 2020"
    mwords = _alt(data.get("month_words", []))
    if data.get("month_words"):
        pats.append(("month", rf"(?:{mwords})\s+(\d{{1,2}}|{_alt(list(numbers))})(?![\d,.])(?:\s*(?:[/-]|năm)\s*({y}))?"))
        gate(data.get("month_words", []))
    if months:
        pats.append(("month_en", rf"(?:in|of|since|by|during|end of|than)\s+((?-i:[A-Z])[a-z]+)(?:\s+({y}))?(?!\p{{L}})"))
        gate(capital=True, starts=("in", "of", "since", "by", "during", "end of", "than"))
    # relative years and look-back spans
    counted = _alt(roles.get("lookback_counted", []))
    pats.append(("lookback", rf"(?:\d+|{_alt(list(numbers))})\s+(?:{counted})"))
    gate(roles.get("lookback_counted", []), leading=False)
    pats.append(("lookback", _alt(roles.get("lookback", []))))
    gate(roles.get("lookback", []))
    pats.append(("same", rf"(?:{_alt(roles.get('same_period', []))})(?:\s+(?:năm\s+|of\s+)?({y}))?"))
    gate(roles.get("same_period", []))
    pats.append(("relative", _alt(list(relative))))
    gate(list(relative))
    # explicit years
    pats.append(("year", rf"(?:(?:{ywords})\s+)?(?<![\d/.,\-–])({y})(?![\d/]|[.,]\d)"))
    gate(year=True, starts=[*data.get("year_words", []), "19", "20"])
    for kind in ("annual", "rule", "cumulative", "present"):
        pats.append((kind, _alt(roles.get(kind, []))))
        gate(roles.get(kind, []))
    # a pattern of an empty word list never matches
    kept = [k for k, (_, p) in enumerate(pats) if p != "(?!)" and gates.get(k, _Gate()).words != ()]
    compiled = tuple((pats[k][0], regex.compile(pats[k][1], regex.IGNORECASE)) for k in kept)
    pattern_gates = tuple(gates.get(k, _Gate()) for k in kept)
    base = _alt(roles.get("base", []))
    opener = _alt([w for w in roles.get("open", [])])
    label = _alt(roles.get("label_heads", []))
    return _Lexicon(
        code=code,
        patterns=compiled,
        gates=pattern_gates,
        capitals=any(g.capital for g in pattern_gates),
        plans={
            (year, capital): tuple(
                (kind, pattern, g.first, g.words, g.also, g.starts, g.starts_by_run)
                for (kind, pattern), g in zip(compiled, pattern_gates, strict=True)
                if (year is None or year or not g.year) and (capital is None or capital or not g.capital)
            )
            for year in (True, False, None)
            for capital in (True, False, None)
        },
        base_before=regex.compile(rf"(?r)(?i:{base})\s+(?:[\p{{L}}\-]+\s+){{0,3}}\Z"),
        open_before=regex.compile(rf"(?r)(?i:{opener})\s+(?:(?:{ywords}|tháng|năm)\s+)?\Z"),
        label_before=regex.compile(rf"(?i:{label})[^,;.:\n]{{0,45}}\Z"),
        label_before_term=regex.compile(rf"(?i:{label})[^;.:\n]{{0,60}}\Z"),
        label_heads=tuple(_fold(w) for w in roles.get("label_heads", [])),
        numbers=numbers,
        months=months,
        relative=relative,
        timeless_units=frozenset(data.get("roles", {}).get("timeless_units", [])),
        first_half=regex.compile(fh, regex.IGNORECASE),
        second_half=regex.compile(sh, regex.IGNORECASE),
        last_months=regex.compile(_alt(spans.get("last_months", [])) + "|last", regex.IGNORECASE),
    )


def _num(lex: _Lexicon, s: str | None) -> int | None:
    if s is None:
        return None
    s = s.strip()
    if s.isdigit():
        return int(s)
    return lex.numbers.get(s.lower()) or {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(s.lower())


def _year_of(token: str | None, date: dt.date | None) -> int | None:
    """A 4-digit year, or ``nay``/``this year`` (the article's year)."""
    if token is None:
        return None
    if token.isdigit():
        return int(token)
    return date.year if date else None


def _default_year(date: dt.date | None, last_month: int) -> int | None:
    """Year of a reporting period without a year: the article's, or the one before if not yet over."""
    if date is None:
        return None
    return date.year if last_month <= date.month + 1 else date.year - 1


def _cue_period(kind: str, m: regex.Match[str], lex: _Lexicon, date: dt.date | None) -> tuple[str, Period | None]:
    """(role, period) of one matched cue (role before the context checks)."""
    g = m.groups()
    text = m.group(0)
    if kind in ("none", "label", "open_phrase", "annual", "rule", "lookback", "cumulative", "present"):
        return {"open_phrase": "open"}.get(kind, kind), None
    if kind == "term":
        a, b = int(g[0]), int(g[1])
        return ("point", span_period(a, b, grain="term")) if a < b <= a + 10 else ("none", None)
    if kind == "crop":
        a, b = int(g[0]), int(g[1])
        if b < 100:
            b += a // 100 * 100
        return ("point", span_period(a, b, grain="crop")) if b == a + 1 else ("none", None)
    if kind == "day":
        d, mo, y = int(g[0]), int(g[1]), _year_of(g[2], date)
        if y is None and date is not None:
            y = date.year if mo <= date.month else date.year - 1
        if y is None or not (1 <= mo <= 12 and 1 <= d <= 31):
            return "none", None
        return "point", day_period(y, mo, min(d, _month_end(y, mo).day))
    if kind in ("day_en", "day_en2"):
        name, d = (g[0], g[1]) if kind == "day_en" else (g[1], g[0])
        mo, y = lex.months.get(name.lower().rstrip(".")), _year_of(g[2], date)
        if mo is None or (name.lower() == "may" and not name[0].isupper()):
            return "none", None
        if y is None and date is not None:
            y = date.year if mo <= date.month else date.year - 1
        if y is None or not 1 <= int(d) <= 31:
            return "none", None
        return "point", day_period(y, mo, min(int(d), _month_end(y, mo).day))
    if kind == "month_range":
        m1, m2 = lex.months.get(g[0].lower()), lex.months.get(g[1].lower())
        if m1 is None or m2 is None or m1 >= m2:
            return "none", None
        y = _year_of(g[2], date) or _default_year(date, m2)
        return ("point", months_period(y, m1, m2)) if y else ("none", None)
    if kind in ("quarter", "quarter_en"):
        q = _num(lex, g[0]) if kind == "quarter" else (int(g[0]) if g[0] else _num(lex, g[1]))
        if q is None or not 1 <= q <= 4:
            return "none", None
        ytok = g[1] if kind == "quarter" else g[2]
        y = _year_of(ytok, date) or _default_year(date, q * 3)
        return ("point", months_period(y, q * 3 - 2, q * 3)) if y else ("none", None)
    if kind == "half":
        second = bool(lex.second_half.match(text))
        y = _year_of(g[0], date) or _default_year(date, 12 if second else 6)
        return ("point", months_period(y, 7 if second else 1, 12 if second else 6)) if y else ("none", None)
    if kind in ("months", "months_lead", "months_en"):
        n = _num(lex, g[0])
        if n is None or not 1 <= n <= 12:
            return "none", None
        last = kind != "months_lead" and bool(lex.last_months.search(text))
        m1, m2 = (13 - n, 12) if last else (1, n)
        y = _year_of(g[1], date) or _default_year(date, m2)
        return ("point", months_period(y, m1, m2)) if y else ("none", None)
    if kind in ("month", "month_en"):
        mo = _num(lex, g[0]) if kind == "month" else lex.months.get(g[0].lower())
        if mo is None or not 1 <= mo <= 12:
            return "none", None
        y = _year_of(g[1], date) or _default_year(date, mo)
        return ("point", months_period(y, mo, mo)) if y else ("none", None)
    if kind == "same":
        y = _year_of(g[0], None)
        return "base", (year_period(y) if y else None)
    if kind == "relative":
        off = lex.relative.get(_SPACES.sub(" ", text.lower()))
        if off is None or date is None:
            return ("point", None) if off is not None else ("none", None)
        return "point", year_period(date.year + off)
    if kind == "year":
        return "point", year_period(int(g[0]))
    return "none", None


def find_cues(text: str, *, lang: str, date: dt.date | None, claims: Sequence[Claim] = ()) -> list[Cue]:
    """Every period cue of ``text`` with its role, in text order (no two overlap). With
    ``claims``, the cues of the lines that hold a claim (no cue elsewhere can date one)."""
    return list(_find_cues(text, lang, date, _claim_spans(claims)))


def _claim_spans(claims: Sequence[Claim]) -> tuple[int, ...]:
    """Claim offsets as one flat tuple ``(start0, end0, start1, end1, …)`` (a compact cache key)."""
    spans: list[int] = []
    for c in claims:  # (a loop: a nested generator costs twice as much for a few claims)
        spans += (c.start, c.end)
    return tuple(spans)


@functools.lru_cache(maxsize=32)
def _find_cues(text: str, lang: str, date: dt.date | None, spans: tuple[int, ...]) -> tuple[Cue, ...]:
    code = lang if lang in ("vi", "en") else _fallback(lang)
    lex = _lexicon(code)
    matches = _cue_matches(text, code, spans)
    if not matches:
        return ()  # (most texts)
    found: list[Cue] = []
    context = matches.context
    for kind, m in matches:
        s, e = m.span()
        role, period = _cue_period(kind, m, lex, date)
        if role == "point":
            # (the same for every date: the periods and the indicators read the cues with two)
            role = context.get(s)
            if role is None:
                role = context[s] = _context_role(text, s, lex, is_term=kind == "term")
        found.append(Cue(s, e, role, period))
    found.sort(key=lambda c: c.start)
    return tuple(c for c in found if c.role != "none")


class _Matches(tuple):  # type: ignore[type-arg]
    """The (kind, match) pairs of :func:`_cue_matches`, with the context role of each point cue
    (by its start) once read: the role does not depend on the date the cues are read with."""

    context: dict[int, str]

    def __new__(cls, pairs: Iterable[tuple[str, regex.Match[str]]]) -> _Matches:
        self = super().__new__(cls, pairs)
        self.context = {}
        return self


@functools.lru_cache(maxsize=8)
def _cue_matches(text: str, code: str, spans: tuple[int, ...]) -> _Matches:
    """Every cue pattern match of ``text`` (kind, match), in pattern priority order, none
    overlapping a claim or an earlier match; shared by every date the cues are read with."""
    lex = _lexicon(code)
    # characters already taken by a claim or an earlier (higher-priority) cue: one byte each,
    # so an overlap test is a bounded ``find`` instead of a scan of every span so far (made at
    # the first match: most texts have none)
    taken: bytearray | None = None
    out: list[tuple[str, regex.Match[str]]] = []
    regions = _claim_lines(text, spans)
    has_year, has_capital, runs, windows = _written(text, regions, lex)
    folded = "\0".join(windows)
    # a written letter run is that of each word matched at its place (:func:`_first_runs`) unless
    # it holds an İ, the one letter case-folded otherwise than IGNORECASE matches it
    exact_runs = runs if "İ" not in text else None
    # a cue starts in a region; it may run on a little past its line ("… đầu năm\n2024")
    scans = [(a, b, min(len(text), b + _RUN_ON), window) for (a, b), window in zip(regions, windows, strict=True)]
    for kind, pattern, first, words, also, starts, by_run in lex.plans[(has_year, has_capital) if _GATED else (None, None)]:
        if _GATED and (
            (first is not None and runs is not None and first.isdisjoint(runs))
            or (words is not None and not _holds_one(folded, words))
            or (also and not _holds_one(folded, also))
        ):
            continue  # the pattern cannot match: what each of its matches holds is not written
        if _GATED and by_run is not None and first is not None and exact_runs is not None:
            starts = tuple(w for run in first.intersection(exact_runs) for w in by_run[run])
        for a, b, end, window in scans:
            if _GATED and starts is not None:
                found: Iterable[regex.Match[str]] = _anchored_matches(pattern, text, a, end, window, starts)
            else:
                found = pattern.finditer(text, a, end)
            for m in found:
                s, e = m.span()
                if s >= b:
                    break
                if taken is None:
                    taken = _taken(len(text), spans)
                if e <= s or taken.find(1, s, e) >= 0:
                    continue
                taken[s:e] = b"\x01" * (e - s)
                out.append((kind, m))
    return _Matches(out)


def _taken(size: int, spans: tuple[int, ...]) -> bytearray:
    """One byte a character of a text of ``size``: 1 where a claim of ``spans`` is."""
    taken = bytearray(size)
    for a, b in zip(spans[::2], spans[1::2], strict=True):
        if b > a:
            taken[a:b] = b"\x01" * (b - a)
    return taken


def _written(
    text: str, regions: list[tuple[int, int]], lex: _Lexicon
) -> tuple[bool, bool, set[str] | None, list[str]]:
    """What the text the cue patterns scan (each region with its run-on) holds, for the gates:
    a year, a capital (if a gate asks), its letter runs case-folded (if it is short; else
    None), and each region's text folded by :func:`_fold`."""
    has_year = has_capital = False
    runs: set[str] | None = set() if sum(b - a for a, b in regions) <= _GATE_CHARS else None
    folded = []
    for a, b in regions:
        window = text[a : b + _RUN_ON]
        f = _fold(window)
        folded.append(f)
        has_year = has_year or (("19" in f or "20" in f) and _YEAR_RE.search(window) is not None)
        has_capital = has_capital or (lex.capitals and _CAPITAL.search(window) is not None)
        if runs is not None:
            runs |= _letter_runs(window)
    return has_year, has_capital, runs, folded


_ASCII_RUNS = bytes(c | 0x20 if chr(c).isalpha() else 0x20 for c in range(128)) + bytes(range(128, 256))


def _letter_runs(text: str) -> set[str]:
    """The letter runs of ``text`` (:data:`_LETTERS`), case-folded.

    An ASCII text (most English sentences) goes through a byte table, letters lower-cased and
    the rest made spaces, then split: the same runs, several times faster than the regex."""
    if text.isascii():
        return set(text.encode("ascii").translate(_ASCII_RUNS).decode("ascii").split())
    return {r.casefold() for r in _LETTERS.findall(text)}


def _holds_one(folded: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` is in ``folded`` (a loop: ``any`` of a generator costs more)."""
    for w in words:
        if w in folded:
            return True
    return False


def _anchored_matches(
    pattern: regex.Pattern[str], text: str, start: int, end: int, folded: str, starts: tuple[str, ...]
) -> list[regex.Match[str]]:
    """What ``pattern.finditer(text, start, end)`` finds, for a pattern each of whose matches
    starts with one of ``starts``; ``folded`` is ``text[start:end]`` folded by :func:`_fold`.

    The pattern is only tried where one of them is written, each try anchored there, instead
    of at every character: a regex pass over a sentence is ~25 ns a character, and a word
    alternation tried at each of them much more. A try sees the text before its position (its
    look-behinds hold as in a scan) and after a match the next try is past its end, as in
    ``finditer``; :func:`_fold` keeps every character in place, so offsets carry over."""
    at: set[int] = set()
    for w in starts:
        i = folded.find(w)
        while i >= 0:
            at.add(i)
            i = folded.find(w, i + 1)
    if not at:
        return []
    found: list[regex.Match[str]] = []
    pos = start
    for i in sorted(at):
        if start + i >= pos:
            m = pattern.match(text, start + i, end)
            if m is not None:
                found.append(m)
                pos = m.end()
    return found


_RUN_ON = 64
_GATE_CHARS = 2000  # up to this much text, listing its words costs less than the patterns it skips
_GATED = True  # skip the patterns that cannot match (off: run all of them, for the tests)
_YEAR_RE = regex.compile(_YEAR)
_CAPITAL = regex.compile(r"\s[A-Z]")


def _claim_lines(text: str, spans: tuple[int, ...]) -> list[tuple[int, int]]:
    """The lines that hold a claim, merged when close (the whole text when there is no claim).

    Only these lines' cues can date a claim: a claim takes cues of its own sentence, else the
    period of an earlier sentence of its paragraph, and a paragraph is a line."""
    if not spans:
        return [(0, len(text))]
    regions: list[tuple[int, int]] = []
    for start in sorted(spans[::2]):
        if regions and start < regions[-1][1]:
            continue
        a = text.rfind("\n", 0, start) + 1
        b = text.find("\n", start)
        b = len(text) if b < 0 else b
        if regions and a - regions[-1][1] <= _RUN_ON:
            regions[-1] = (regions[-1][0], b)
        else:
            regions.append((a, b))
    return regions


def _fallback(lang: str) -> str:
    return "en" if load_toml(lang, "periods") == {} and lang != "vi" else lang


def _context_role(text: str, start: int, lex: _Lexicon, *, is_term: bool) -> str:
    before = text[max(0, start - 70) : start]
    if lex.open_before.search(before):
        return "open"
    if lex.base_before.search(before[-40:]):
        return "base"
    if not _holds_one(_fold(before), lex.label_heads):
        return "point"  # (a label head is rare: not looked for at each character)
    label = lex.label_before_term if is_term else lex.label_before
    if label.search(before):
        return "label"
    return "point"


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True, slots=True)
class SentenceRow:
    start: int
    end: int
    paragraph: int


_PARA_BREAK = regex.compile(r"\n")


class SentenceTable(tuple):  # type: ignore[type-arg]
    """The rows of :func:`sentence_table`, with their start offsets kept for bisection."""

    starts: list[int]

    def __new__(cls, rows: Sequence[SentenceRow]) -> SentenceTable:
        table = super().__new__(cls, rows)
        table.starts = [r.start for r in rows]
        return table


@functools.lru_cache(maxsize=64)
def sentence_table(text: str, lang: str = "vi") -> SentenceTable:
    """Sentences of ``text`` with their paragraph index (a paragraph is a line)."""
    try:
        abbreviations = load_pack(lang).abbreviations
    except (FileNotFoundError, KeyError, OSError, ValueError):
        abbreviations = frozenset()
    spans = sentence_spans(text, abbreviations)
    if "\n" not in text:  # one paragraph: a sentence, a title
        return SentenceTable([SentenceRow(a, b, 0) for a, b in spans])
    para_starts = [0] + [m.end() for m in _PARA_BREAK.finditer(text)]
    return SentenceTable([SentenceRow(a, b, bisect.bisect_right(para_starts, a) - 1) for a, b in spans])


def sentence_index(rows: Sequence[SentenceRow], pos: int) -> int:
    """Index of the sentence holding offset ``pos`` (the last one starting at or before it)."""
    starts = getattr(rows, "starts", None)
    if starts is None:
        starts = [r.start for r in rows]
    return max(0, bisect.bisect_right(starts, pos) - 1)


_CLAUSE_BREAK = regex.compile(r"[,;:()\[\]]|\s[–—]\s")
_CLAUSE_REACH = 2000  # a clause break further than this from the figure is not looked for


def clause_bounds(text: str, start: int, end: int, s_start: int, s_end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]`` inside the sentence ``[s_start, s_end)``.

    The search is bounded (``_CLAUSE_REACH`` characters each side), so a run-on "sentence" of a
    huge unpunctuated text costs no more than a normal one.
    """
    lo = max(s_start, start - _CLAUSE_REACH)
    a = lo
    for m in _CLAUSE_BREAK.finditer(text, lo, start):
        a = m.end()
    hi = min(s_end, end + _CLAUSE_REACH)
    m = _CLAUSE_BREAK.search(text, end, hi)
    b = m.start() if m else hi
    return a, b


# --------------------------------------------------------------------------- resolution


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """The period of one claim and, for a change, the period it is compared with."""

    period: Period | None
    base: Period | None
    source: str  # cue | base | price | context | focus | present | title | veto | none


_NEVER = regex.compile("(?!)")
_SAME_PERIOD = {
    code: regex.compile(_alt(load_toml(code, "periods").get("roles", {}).get("same_period", [])), regex.IGNORECASE)
    for code in ("vi", "en")
}
_VETO = frozenset({"annual", "rule", "lookback", "open", "cumulative"})
_POINTISH = frozenset({"point", "present"}) | _VETO


def _is_price(c: Claim) -> bool:
    return c.per is not None and c.unit in ("VND", "USD", "EUR", "CNY", "JPY")


def resolve_periods(
    text: str, claims: Sequence[Claim], *, lang: str, date: dt.date | None
) -> list[PeriodResult]:
    """Period (and comparison base) of each claim, in the order given (cached per article)."""
    if not claims:
        return []
    fields: list[object] = []
    for c in claims:  # (a loop: a nested generator costs twice as much for a few claims)
        fields += (c.start, c.end, c.kind, c.unit, c.per, c.value)
    key = (text, lang, date, tuple(fields))
    cached = _RESULTS.get(key)
    if cached is None:
        cached = tuple(_resolve(text, claims, lang=lang, date=date))
        _RESULTS[key] = cached
        while len(_RESULTS) > 32:
            _RESULTS.popitem(last=False)
    return list(cached)


_RESULTS: OrderedDict[tuple, tuple[PeriodResult, ...]] = OrderedDict()


def _resolve(text: str, claims: Sequence[Claim], *, lang: str, date: dt.date | None) -> list[PeriodResult]:
    lex = _lexicon(lang if lang in ("vi", "en") else _fallback(lang))
    cues = find_cues(text, lang=lang, date=date, claims=claims)
    rows = sentence_table(text, lang)
    by_sent: dict[int, list[Cue]] = {}
    if len(rows) <= 1:  # one sentence (the text of a segment, a title): no index to look up
        if cues:
            by_sent[0] = list(cues)
        claim_sent = [0] * len(claims)
    else:
        for cue in cues:
            by_sent.setdefault(sentence_index(rows, cue.start), []).append(cue)
        claim_sent = [sentence_index(rows, c.start) for c in claims]
    # base years imply the current year: "so năm 2022" → 2023
    for lst in by_sent.values():
        extra = []
        for cue in lst:
            if cue.role == "base" and cue.period is not None:
                nxt = cue.period.shift_years(1)
                if date is None or int(nxt.year.split("-")[-1]) >= date.year - 1:
                    extra.append(Cue(cue.start, cue.end, "point", nxt, weak=True))
            elif cue.role == "base" and date is not None and _SAME_PERIOD.get(lex.code, _NEVER).match(text, cue.start):
                # "so với cùng kỳ", "year-on-year": the figure is of the current reporting period
                extra.append(Cue(cue.start, cue.end, "point", year_period(date.year), weak=True))
        lst.extend(extra)
    own = {si: _own_period(lst) for si, lst in by_sent.items()}
    own_sents = sorted(si for si, per in own.items() if per is not None) if own else []
    price_sents: set[int] = set()
    timeless_sents: set[int] = set()
    for si, c in zip(claim_sent, claims, strict=True):
        if _is_price(c):
            price_sents.add(si)
        if c.unit in lex.timeless_units:
            timeless_sents.add(si)
    focus = _focus(claims, claim_sent, by_sent, date) if by_sent else None

    results: list[PeriodResult | None] = [None] * len(claims)
    title_end = text.find("\n") if "\n" in text else len(text)
    pending_title: list[int] = []
    for i, c in enumerate(claims):
        si = claim_sent[i]
        sent_cues = by_sent.get(si)
        base: Period | None = None
        cue: Cue | None = None
        if sent_cues:  # (most sentences state no period)
            row = rows[si] if rows else SentenceRow(c.sentence_start, c.sentence_end, 0)
            base = _base_of(text, c, sent_cues, row, date)
            cue = _choose(text, c, sent_cues, row)
        if cue is not None and cue.role in _VETO:
            results[i] = PeriodResult(None, base, "veto")
            continue
        if cue is not None and cue.role == "point" and cue.period is not None:
            results[i] = PeriodResult(cue.period, base, "cue")
            continue
        if cue is None:
            if si in price_sents and date is not None:
                results[i] = PeriodResult(_present(si, rows, own, focus, date), base, "price")
                continue
            if si in timeless_sents:
                results[i] = PeriodResult(None, base, "veto")
                continue
            if c.start < title_end:
                pending_title.append(i)
                continue
            ctx = _paragraph_context(si, rows, own, own_sents)
            if ctx is not None:
                results[i] = PeriodResult(ctx, base, "context")
            else:
                results[i] = PeriodResult(focus, base, "focus" if focus else "none")
            continue
        # present cue (or a relative cue without a date)
        if cue.role == "present":
            results[i] = PeriodResult(_present(si, rows, own, focus, date), base, "present")
        else:
            results[i] = PeriodResult(None, base, "none")
    body = [k for k, o in enumerate(claims) if o.start >= title_end] if pending_title else []
    for i in pending_title:
        c = claims[i]
        twin = None
        if body:  # (a text of one line has no body to repeat a title figure in)
            twin = next(
                (
                    k
                    for k in body
                    if claims[k].value == c.value and claims[k].unit == c.unit and results[k] is not None
                ),
                None,
            )
        if twin is not None:
            results[i] = PeriodResult(results[twin].period, results[twin].base, "title")  # type: ignore[union-attr]
        else:
            results[i] = PeriodResult(focus, None, "focus" if focus else "none")
    final = []
    for r in results:
        if r is None:
            r = PeriodResult(None, None, "none")
        if r.base is _SAME:  # the same period a year before the figure's
            r = PeriodResult(r.period, r.period.shift_years(-1) if r.period else None, r.source)
        final.append(r)
    return final


def _choose(text: str, c: Claim, cues: list[Cue], row: SentenceRow) -> Cue | None:
    """The cue that dates claim ``c`` (point, present or a veto), or None."""
    if not cues:
        return None  # (most sentences state no period: no clause to look for)
    a, b = clause_bounds(text, c.start, c.end, row.start, row.end)
    change = c.kind in ("change", "multiple")
    best: tuple[tuple[int, ...], Cue] | None = None
    for cue in cues:
        if cue.role not in _POINTISH:
            continue
        in_clause = a <= cue.start and cue.end <= b
        before = cue.end <= c.start
        dist = c.start - cue.end if before else cue.start - c.end
        klass = 1 if cue.role == "cumulative" else 0
        if in_clause and (before or not change):
            scope = 0
        elif before:
            scope = 1
        elif in_clause:
            scope = 2
        else:
            scope = 3
        rank = (klass, scope, int(cue.weak), max(dist, 0))
        if best is None or rank < best[0]:
            best = (rank, cue)
    return best[1] if best else None


_SAME = Period("same", "same", dt.date(1, 1, 1), dt.date(1, 1, 1), "same")  # "cùng kỳ", "year-on-year"


def _base_of(text: str, c: Claim, cues: list[Cue], row: SentenceRow, date: dt.date | None) -> Period | None:
    """The comparison period of a change (``so năm 2022`` → 2022), if stated."""
    if not cues or c.kind not in ("change", "multiple"):
        return None
    a, b = clause_bounds(text, c.start, c.end, row.start, row.end)
    for cue in cues:
        if cue.role == "base" and not cue.weak and a <= cue.start and cue.end <= b + 40:
            return cue.period if cue.period is not None else _SAME
    return None


def _own_period(cues: list[Cue]) -> Period | None:
    """The last period a sentence states (what a following sentence inherits)."""
    points = [c for c in cues if c.role == "point" and c.period is not None]
    if not points:
        return None
    strong = [c for c in points if not c.weak]
    return (strong or points)[-1].period


def _paragraph_context(
    si: int, rows: Sequence[SentenceRow], own: dict[int, Period | None], own_sents: list[int]
) -> Period | None:
    """The period of the nearest earlier sentence of the paragraph that states one.

    ``own_sents``: the sorted indexes of sentences with a period (paragraph indexes only grow with
    the sentence index, so the nearest such sentence before ``si`` is the only candidate)."""
    j = bisect.bisect_left(own_sents, si) - 1
    if j < 0 or not rows:
        return None
    k = own_sents[j]
    return own[k] if rows[k].paragraph == rows[si].paragraph else None


def _present(
    si: int, rows: Sequence[SentenceRow], own: dict[int, Period | None], focus: Period | None, date: dt.date | None
) -> Period | None:
    """A current figure: the period of the sentence before (same paragraph), the focus, the report."""
    if si > 0 and rows[si - 1].paragraph == rows[si].paragraph and own.get(si - 1) is not None:
        return own[si - 1]
    if focus is not None:
        return focus
    return year_period(date.year) if date else None


def _focus(
    claims: Sequence[Claim], claim_sent: list[int], by_sent: dict[int, list[Cue]], date: dt.date | None
) -> Period | None:
    """The article's commonest period among sentences with figures (future targets excluded)."""
    if not any(cue.role == "point" for cues in by_sent.values() for cue in cues):
        return None  # no period stated: no vote to count
    votes: Counter[str] = Counter()
    best: dict[str, Counter[Period]] = {}
    for si in sorted(set(claim_sent)):
        seen: set[str] = set()
        for cue in by_sent.get(si, []):
            if cue.role != "point" or cue.period is None or cue.period.grain == "day":
                continue  # a day dates an event (a meeting, a quote), not the statistics
            year = cue.period.year
            last = int(year.split("-")[-1])
            if date is not None and cue.period.grain not in ("term", "crop") and last > date.year + _FUTURE_SLACK:
                continue
            best.setdefault(year, Counter())[cue.period] += 1
            if year not in seen:
                seen.add(year)
                votes[year] += 1
    if not votes:
        return None
    top = max(votes.items(), key=lambda kv: (kv[1], kv[0].split("-")[-1], "-" not in kv[0]))[0]
    return best[top].most_common(1)[0][0]


def assign_periods(text: str, claims: list[Claim], *, lang: str, date: dt.date | None) -> list[Claim]:
    """Return ``claims`` with ``period`` set where the text makes it clear."""
    results = resolve_periods(text, claims, lang=lang, date=date)
    return [updated(c, period=r.period.year if r.period else None) for c, r in zip(claims, results, strict=True)]


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def updated(c: Claim, **values: object) -> Claim:
    """``c`` with ``values`` replaced (``c`` itself when nothing changes).

    Like ``model_copy(update=…)``, but the copies share one fields-set per combination of set
    fields: records are frozen, and a per-record set is ~1 KB, which adds up on long articles."""
    values = {k: v for k, v in values.items() if getattr(c, k) != v}
    if not values:
        return c
    names = frozenset(c.model_fields_set | values.keys())
    shared = _FIELDS_SETS.get(names)
    if shared is None:
        shared = _FIELDS_SETS.setdefault(names, set(names))
    if c.__pydantic_extra__ is not None or c.__pydantic_private__ is not None:
        return Claim.model_construct(_fields_set=shared, **{**c.__dict__, **values})
    # what ``BaseModel.__copy__`` does, without copying the fields-set it would then replace
    new = Claim.__new__(Claim)
    object.__setattr__(new, "__dict__", {**c.__dict__, **values})
    object.__setattr__(new, "__pydantic_extra__", None)
    object.__setattr__(new, "__pydantic_fields_set__", shared)
    object.__setattr__(new, "__pydantic_private__", None)
    return new
