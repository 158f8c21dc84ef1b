"""Quantities: numeral + scale + unit (or counted noun), ranges, ratios and rates.

Driven entirely by a language pack (:mod:`extractor.lang`); this module knows no words.
Input is the *folded* text (same length as the original, see :func:`extractor.text.fold_tones`),
so every span is also a span of the original text.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import regex

from extractor.lang import Pack, units_catalogue, word_alternation
from extractor.numbers import Numeral, scan

__all__ = ["Quantity", "recognise"]

# "RON 95", "Euro 4", "iPhone 16": a number right after a capitalised word is a label
_LABEL_BEFORE = regex.compile(r"(?<![.!?:]\s)(?<!^)\p{Lu}[\p{L}\p{M}\d]*[ \u00a0]+\Z")
_ASIDE = regex.compile(r"[ \u00a0]*\([^()\n]{1,30}\)")


_SET = object.__setattr__


@dataclass(frozen=True, init=False)
class Quantity:
    """A recognised figure before interpretation (no qualifier, kind, indicator yet).

    The constructor is written out, as :class:`extractor.numbers.Numeral`'s (a frozen
    dataclass's own sets each field by a call; the fields, their order and defaults are these)."""

    start: int
    end: int
    value: Decimal
    low: Decimal
    high: Decimal
    unit: str
    num_start: int  # first digit/number word (after any currency prefix)
    num_end: int  # end of the last numeral
    value_max: Decimal | None = None
    of: Decimal | None = None
    per: str | None = None
    noun: str | None = None
    spelled: bool = False
    fallback: bool = False  # counted noun guessed (not in the pack's noun list)
    defaulted: bool = False  # unit taken from the pack default (bare "500 tỉ")
    scale: Decimal = Decimal(1)  # scale word multiplier of the last numeral
    factor: Decimal = Decimal(1)  # unit conversion applied (US cent → USD: 0.01)

    def __init__(
        self,
        start: int,
        end: int,
        value: Decimal,
        low: Decimal,
        high: Decimal,
        unit: str,
        num_start: int,
        num_end: int,
        value_max: Decimal | None = None,
        of: Decimal | None = None,
        per: str | None = None,
        noun: str | None = None,
        spelled: bool = False,
        fallback: bool = False,
        defaulted: bool = False,
        scale: Decimal = Decimal(1),
        factor: Decimal = Decimal(1),
    ) -> None:
        _SET(self, "__dict__", {
            "start": start, "end": end, "value": value, "low": low, "high": high, "unit": unit,
            "num_start": num_start, "num_end": num_end, "value_max": value_max, "of": of,
            "per": per, "noun": noun, "spelled": spelled, "fallback": fallback,
            "defaulted": defaulted, "scale": scale, "factor": factor,
        })


_VETO_BEFORE = 48  # a veto that covers a number starts at most this far before it (or in its word)
_VETO_AFTER = 64  # and is read with this much text after the number (lookaheads, its own end)


class _Vetoes:
    """Spans that are never claims, looked up by bisection.

    Only the text around the numbers is scanned (``near``: the numerals; a veto only matters
    where it overlaps one): each pattern runs over merged windows from ``_VETO_BEFORE``
    characters before a number (back to the start of the word there) to its end, plus
    ``_VETO_AFTER`` characters of context. A span asked about outside them is scanned then."""

    def __init__(self, text: str, pack: Pack, near: list[Numeral] | None = None) -> None:
        self.text, self.plan = text, _veto_plan(pack)
        self.windows = [(0, len(text))] if near is None else _veto_windows(text, near)
        spans = sorted(x for a, b in self.windows for x in self._scan(a, b))
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.max_end = list(itertools.accumulate(self.ends, max))
        self.window_starts = [a for a, _ in self.windows]

    def _scan(self, a: int, b: int) -> list[tuple[int, int]]:
        """Veto spans starting in ``[a, b)``: each screen that finds something lets its patterns
        run, then the unscreened patterns run (see :class:`_VetoPlan`). Written as plain loops over
        (pattern, anchored form) pairs prepared per set of patterns: most windows are short and
        most patterns find nothing, so the work per pattern, not the searching, is what costs."""
        text = self.text
        stop = min(len(text), b + _VETO_AFTER)
        screens, patterns = self.plan.run_for(text[a:stop])
        for screen, members in screens:
            if screen.search(text, a, stop) is not None:
                patterns += members
        out: list[tuple[int, int]] = []
        for r, anchored in patterns:
            if anchored is None:
                for m in r.finditer(text, a, stop):
                    s, e = m.span()
                    if s < b and e > s:
                        out.append((s, e))
            else:
                out += [(s, e) for s, e in _anchored_spans(r, anchored, text, a, stop) if s < b and e > s]
        return out

    def hits(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1
        if i >= 0 and self.max_end[i] > start:
            return True
        k = bisect.bisect_right(self.window_starts, max(0, start - _VETO_BEFORE)) - 1
        if k >= 0 and self.windows[k][1] >= end:
            return False
        lo = _word_start(self.text, max(0, start - _VETO_BEFORE))
        return any(s < end and start < e for s, e in self._scan(lo, end))


def _anchored_spans(
    pattern: regex.Pattern[str], anchored: regex.Pattern[str], text: str, a: int, stop: int
) -> list[tuple[int, int]]:
    """The spans ``pattern.finditer(text, a, stop)`` finds, found from their digits (vetoes.toml
    ``[anchors]``).

    Each match of the pattern is a digit-free lead, from its start ``s`` to the first digit ``d``
    after it, then the tail from ``d``. Going left to right from ``pos``, the pattern takes the
    least ``s ≥ pos`` that leads somewhere; the anchored form takes the least such ``d`` and the
    earliest lead ending there. No digit lies between a start and its digit, so the two agree
    whenever that earliest lead starts at or after ``pos`` (``pos``: the window's start, then the
    end of the previous match). Otherwise (a lead reaching back into the previous match or out
    of the window: rare) a later lead might still be the pattern's match, and the pattern is
    asked."""
    spans: list[tuple[int, int]] = []
    pos = a
    for m in anchored.finditer(text, a, stop):
        start = m.start("lead")
        if start < pos:
            return [m.span() for m in pattern.finditer(text, a, stop)]
        spans.append((start, m.end()))
        pos = m.end()
    return spans


# a veto pattern and its [anchors] form (None: searched as it is)
_Veto = tuple[regex.Pattern[str], regex.Pattern[str] | None]
_Screen = tuple[regex.Pattern[str], tuple[_Veto, ...]]  # alternation, its patterns
_Run = tuple[tuple[_Screen, ...], tuple[_Veto, ...]]  # screens, unscreened patterns


@dataclass(frozen=True)
class _VetoPlan:
    """A pack's veto patterns: which of them to try on a window, and how.

    ``[requires]`` words: a pattern is tried only where one of its words occurs (lower-cased
    substring test). Every listed word is looked for once per window (``word in window`` runs
    without a Python frame), and each present word switches on the patterns it gates (bit masks).

    ``[screens]``: most patterns find nothing in most windows, and each search costs about as much
    as its scan, however little the pattern can match. The patterns of a screen that are to be
    tried are first searched for together, as one alternation: when it finds nothing, none of them
    can match anywhere in the window (an alternation matches where one of its branches does), and
    they are skipped; otherwise each runs on its own, as without the screen. The alternation is
    compiled per set of patterns to try (a few sets occur; kept in ``runs`` by bit mask)."""

    patterns: tuple[regex.Pattern[str], ...]  # the pack's veto patterns, in order
    sources: tuple[str, ...]  # their regex sources (for the screens' alternations)
    always: int  # bit mask of the patterns without required words
    words: tuple[str, ...]  # every required word
    gates: dict[str, int]  # required word → bit mask of the patterns it lets run
    screens: tuple[int, ...]  # bit mask of each screen's patterns
    anchored: dict[regex.Pattern[str], regex.Pattern[str]]  # pattern → its [anchors] form
    runs: dict[int, _Run] = dataclasses.field(default_factory=dict)

    def run_for(self, window: str) -> _Run:
        """(screen alternation, its patterns to run if it matches) and the patterns to run as they
        are, for a window of text (every match of a pattern not chosen holds a missing word)."""
        mask = self.always
        if self.words:
            low = window.lower()
            for word in [w for w in self.words if w in low]:
                mask |= self.gates[word]
        run = self.runs.get(mask)
        if run is None:
            run = self._run(mask)
            if len(self.runs) < 4096:  # bounded: one entry per set of patterns to try
                self.runs[mask] = run
        return run

    def _run(self, mask: int) -> _Run:
        screened: list[_Screen] = []
        for screen in self.screens:
            members = [i for i in range(len(self.patterns)) if (mask & screen) >> i & 1]
            if len(members) < 2:
                continue  # a screen of one is the pattern itself
            mask &= ~screen
            union = regex.compile("|".join(f"(?:{self.sources[i]})" for i in members))
            screened.append((union, tuple(self._veto(i) for i in members)))
        singles = tuple(self._veto(i) for i in range(len(self.patterns)) if mask >> i & 1)
        return tuple(screened), singles

    def _veto(self, i: int) -> _Veto:
        r = self.patterns[i]
        return r, self.anchored.get(r)


_VETO_PLANS: dict[str, _VetoPlan] = {}


def _veto_plan(pack: Pack) -> _VetoPlan:
    plan = _VETO_PLANS.get(pack.code)
    if plan is None:
        always = 0
        gates: dict[str, int] = {}
        for i, needs in enumerate(pack.veto_requires):
            if not needs:
                always |= 1 << i
            for word in needs:
                gates[word] = gates.get(word, 0) | 1 << i
        screens = tuple(sum(1 << i for i in screen) for screen in pack.veto_screens)
        plan = _VETO_PLANS[pack.code] = _VetoPlan(
            pack.veto_res,
            tuple(r.pattern for r in pack.veto_res),
            always,
            tuple(gates),
            gates,
            screens,
            {r: lead for r, lead in zip(pack.veto_res, pack.veto_anchored, strict=False) if lead is not None},
        )
    return plan


def _word_start(text: str, pos: int) -> int:
    """Start of the run of non-spaces holding ``pos`` (at most 200 characters back)."""
    lo = max(0, pos - 200)
    while pos > lo and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _veto_windows(text: str, numerals: list[Numeral]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for n in numerals:
        a = _word_start(text, max(0, n.start - _VETO_BEFORE))
        if out and a <= out[-1][1] + _VETO_AFTER:
            out[-1] = (out[-1][0], max(out[-1][1], n.end))
        else:
            out.append((a, n.end))
    return out


@functools.lru_cache(maxsize=1024)
def _factor(unit: str) -> tuple[str, Decimal]:
    """The unit as stored and its conversion factor (a pure function of the unit catalogue)."""
    entry = units_catalogue().get(unit, {})
    return entry.get("store", unit), Decimal(str(entry.get("factor", "1")))


def recognise(text: str, pack: Pack, *, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every quantity in ``text[start:end]``, left to right, non-overlapping."""
    numerals = [n for n in scan(text, pack.numbers, start=start, end=end)]
    vetoes = _Vetoes(text, pack, numerals)
    out: list[Quantity] = []
    pending: list[Numeral] = []  # bare numbers that may take the unit of the next figure
    consumed_to = start
    i = 0
    while i < len(numerals):
        n = numerals[i]
        if n.start < consumed_to:
            i += 1
            continue
        if vetoes.hits(n.start, n.end):
            # a vetoed number drags along a "/y" written onto it (vị thứ 59/63 tỉnh)
            i += 2 if _slash_joined(text, n, numerals[i + 1] if i + 1 < len(numerals) else None) else 1
            continue
        q, used = _quantity(text, numerals, i, pack, vetoes, consumed_to)
        if q is None and used == 1 and out and (q := _elliptical(text, n, out[-1], pack)) is not None:
            out.append(q)  # "killing 12 people and injuring 58": 58 people
            consumed_to = q.end
            i += 1
            continue
        if q is None:
            if used == 1 and not n.spelled and not n.scaled:
                pending.append(n)
            i += used
            continue
        for b in pending:
            linked = _bare_link(text, b, q, pack)
            if linked is not None:
                out.append(linked)
        pending = []
        out.append(q)
        consumed_to = q.end
        i += used
    if pack.self_quantity_re is not None and _may_hold_self_quantity(text, start, end, pack):
        out.extend(_self_quantities(text, pack, vetoes, out, start, end))
    out.sort(key=lambda q: q.start)
    return out


def _context_unit(text: str, n: Numeral, start: int, pack: Pack) -> str | None:
    """``a population of 18 million``, ``holders … which stood at 270,000``: a bare large number
    takes the unit of a counted noun named earlier in its sentence (``[context]`` in nouns.toml)."""
    if pack.context_unit_re is None or pack.context_units is None or not n.has_digits:
        return None
    if not (n.scaled or (n.plain_digits and not n.plain_digits.isdigit())):
        # a plain integer only after a cue that names a count outright: "the death toll … rose to 292"
        plain = _plain_context(pack.code)
        m = plain[0].search(text, max(0, start - 120), start) if plain is not None else None
        return plain[1][m.group(1).lower()] if m is not None else None
    m = pack.context_unit_re.search(text, max(0, start - pack.context_window), start)
    if m is None:
        # "551,000 join voluntary social insurance, doubling the total holders": the noun may also
        # come after the figure, in the same clause run, before any other figure
        ahead = _AHEAD_STOP.search(text, n.end, min(len(text), n.end + 90))
        m = pack.context_unit_re.search(text, n.end, ahead.start() if ahead else min(len(text), n.end + 90))
    if m is None:
        return _anaphor_unit(text, start, pack)
    return pack.context_units[m.group(1).lower()]


@functools.cache
def _plain_context(code: str) -> tuple[regex.Pattern[str], dict[str, str]] | None:
    """``[context.plain_cues]`` (unit → words that give even a plain integer after them, in the
    same sentence, that unit), compiled with its word → unit map; None when the pack lists none."""
    from extractor.lang import load_pack, word_alternation

    table = load_pack(code).data["nouns"].get("context", {}).get("plain_cues", {})
    units = {w.lower(): unit for unit, words in table.items() for w in words}
    if not units:
        return None
    return regex.compile(rf"(?i:({word_alternation(list(units))}))[^.!?;\n\d]*\Z"), units


def _anaphor_unit(text: str, start: int, pack: Pack) -> str | None:
    """``… total holders … 270,000. … the figure was just 6,000 in 2008``: a bare number after
    "the figure" takes the counted noun of the sentence before (``[context] anaphora``)."""
    found = _anaphor_res(pack.code)
    if found is None:
        return None
    anaphor, cue = found
    a = anaphor.search(text, max(0, start - 80), start)
    if a is None or pack.context_units is None:
        return None
    m = cue.search(text, max(0, a.start() - pack.context_window), a.start())
    return pack.context_units[m.group(1).lower()] if m is not None else None


@functools.cache
def _anaphor_res(code: str) -> tuple[regex.Pattern[str], regex.Pattern[str]] | None:
    """(anaphor, then no sentence end, up to the number; the last cue word before it, across
    at most one sentence end) for the pack's ``[context] anaphora`` words, if any."""
    from extractor.lang import load_pack, word_alternation

    pack = load_pack(code)
    context = pack.data["nouns"].get("context", {})
    words = context.get("anaphora", [])
    if not words or not pack.context_units:
        return None
    anaphor = regex.compile(rf"(?i:{word_alternation(words)})[^.;!?\n\d]*\Z")
    cue = regex.compile(
        rf"(?i:({word_alternation(list(pack.context_units))}))[^.!?;\n]*(?:[.!?;][^.!?;\n]*)?\Z"
    )
    return anaphor, cue


_AHEAD_STOP = regex.compile(r"[.;:!?\n]|\d")


def _prefix_scaled(text: str, num: Numeral, pack: Pack) -> Numeral:
    """A scale suffix read only after a currency prefix: ``$5m`` is 5 million."""
    m = pack.prefix_scale_re.match(text, num.end) if pack.prefix_scale_re is not None else None
    if m is None or num.scaled or pack.prefix_scales is None:
        return num
    mult = pack.prefix_scales[m.group(1)]
    return dataclasses.replace(
        num, end=m.end(), value=num.value * mult, step=num.step * mult, scaled=True, scale=mult
    )


def _may_hold_self_quantity(text: str, start: int, end: int | None, pack: Pack) -> bool:
    """False when ``text[start:end]`` holds no self-quantity word, for certain: ASCII text none
    of whose lower-cased stretch contains a stem of them (:func:`_self_stems`). A few substring
    tests cost far less than the case-insensitive search of :func:`_self_quantities`, which
    mostly finds nothing. Non-ASCII text is always searched: regex's case folding matches some
    non-ASCII letters to ASCII ones (``ſ`` to ``s``, ``İ`` to ``i``), which ``lower`` does not."""
    part = text[start:end]
    if not part.isascii():
        return True
    low = part.lower()
    return any(stem in low for stem in _self_stems(pack.code))


@functools.cache
def _self_stems(code: str) -> tuple[str, ...]:
    """Lower-case strings, one of which every self-quantity word of the pack contains (``fold``
    for ``fourfold`` and ``ten-fold``): a greedy cover by substrings of four or more characters
    (a word shorter than that stands for itself), weighing longer pieces up, as a short one
    (``ling``) occurs in much other text and would let the search run for nothing."""
    from extractor.lang import load_pack

    pack = load_pack(code)
    words = {w.lower() for w in pack.self_quantities or {}}
    stems: list[str] = []
    while words:
        pieces = {w[i:j] for w in words for i in range(len(w)) for j in range(i + min(4, len(w)), len(w) + 1)}
        best = max(sorted(pieces), key=lambda p: (sum(p in w for w in words) * (len(p) - 2), len(p)))
        stems.append(best)
        words = {w for w in words if best not in w}
    return tuple(stems)


def _self_quantities(
    text: str, pack: Pack, vetoes: _Vetoes, found: list[Quantity], start: int, end: int | None
) -> Iterator[Quantity]:
    """Words that are a whole quantity (``doubled`` = 2 times), where no other figure sits."""
    assert pack.self_quantity_re is not None and pack.self_quantities is not None
    taken = sorted((q.start, q.end) for q in found)
    for m in pack.self_quantity_re.finditer(text, start, len(text) if end is None else end):
        if vetoes.hits(m.start(), m.end()) or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        value, unit = pack.self_quantities[m.group().lower()]
        store, factor = _factor(unit)
        half = _leading(value) / 2
        yield Quantity(
            start=m.start(), end=m.end(), value=value * factor, low=(value - half) * factor,
            high=(value + half) * factor, unit=store, num_start=m.start(), num_end=m.end(), spelled=True,
        )


def _leading(value: Decimal) -> Decimal:
    return Decimal(1).scaleb(value.adjusted()) if value > 0 else Decimal(1)


def _slash_joined(text: str, n: Numeral, nxt: Numeral | None) -> bool:
    return nxt is not None and nxt.start == n.end + 1 and text[n.end] == "/"


def _elliptical(text: str, n: Numeral, prev: Quantity, pack: Pack) -> Quantity | None:
    """A bare number whose counted noun is left out because the figure before names it:
    ``113,000 teachers, including 16,000 in Hanoi``, ``killing 12 people and injuring 58``
    (``[ellipsis] joiner`` in nouns.toml: what may stand between the two)."""
    joiner, status = _ellipsis_re(pack.code)
    if (
        joiner is None
        or prev.unit not in ("person", "household", "count")
        or prev.value_max is not None
        or prev.of is not None
        or prev.fallback
        or n.value != n.value.to_integral_value()
        or n.start - prev.end > 60
    ):
        return None
    if n.has_digits and not n.spelled and joiner.fullmatch(text, prev.end, n.start) is not None:
        pass
    elif not (
        # "nine people dead and three missing": what became of each group of the same people
        status is not None
        and prev.unit == "person"
        and status[0].fullmatch(text, prev.end, n.start) is not None
        and status[1].match(text, n.end) is not None
    ):
        return None
    return Quantity(
        start=n.start, end=n.end, value=n.value, low=n.low, high=n.high, unit=prev.unit,
        num_start=n.start, num_end=n.end, noun=prev.noun,
    )


@functools.cache
def _ellipsis_re(
    code: str,
) -> tuple[regex.Pattern[str] | None, tuple[regex.Pattern[str], regex.Pattern[str]] | None]:
    """``[ellipsis]`` of nouns.toml: the joiner pattern, and (gap, after) patterns built from
    the ``status`` words (``dead``, ``missing``) for lists of what became of people."""
    from extractor.lang import load_pack, word_alternation

    data = load_pack(code).data["nouns"].get("ellipsis", {})
    joiner = regex.compile(data["joiner"]) if data.get("joiner") else None
    words = data.get("status", [])
    if not words:
        return joiner, None
    alt = word_alternation(words)
    gap = regex.compile(rf"[ \u00a0]+{alt}[ \u00a0]*(?:,[ \u00a0]*(?:and[ \u00a0]+)?|and[ \u00a0]+)")
    return joiner, (gap, regex.compile(rf"[ \u00a0]+{alt}"))


def _bare_link(text: str, b: Numeral, q: Quantity, pack: Pack) -> Quantity | None:
    """``từ 156.000 lên 167.000 đồng/kg``: the bare 156.000 takes q's unit, scale and per."""
    if q.value_max is not None or q.of is not None or q.fallback or q.defaulted:
        return None
    m = pack.bare_link_re.match(text, b.end)
    if m is None or m.end() != q.start:
        return None
    mult = q.scale * q.factor
    return Quantity(
        start=b.start, end=b.end, value=b.value * mult, low=b.low * mult, high=b.high * mult,
        unit=q.unit, num_start=b.start, num_end=b.end, per=q.per, noun=q.noun,
    )


_BEFORE_REACH: dict[str, int] = {}


def _before_reach(pack: Pack) -> int:
    """How far left a currency prefix may start: its longest alias and a space (at least 8)."""
    reach = _BEFORE_REACH.get(pack.code)
    if reach is None:
        reach = _BEFORE_REACH[pack.code] = max([8, *(len(a) + 1 for a in pack.unit_before)])
    return reach


_BEFORE_TABLE: dict[str, tuple[dict[str, bool], dict[str, tuple[int, ...]], int]] = {}
_WORD_CHAR = regex.compile(r"\w")


def _before_table(pack: Pack) -> tuple[dict[str, bool], dict[str, tuple[int, ...]], int]:
    """Prefix aliases (→ whether the alias starts with a word character), the lengths of the
    aliases ending in each pair of characters, or being each single character (longest first),
    and the longest alias length."""
    table = _BEFORE_TABLE.get(pack.code)
    if table is None:
        aliases = {a: _WORD_CHAR.match(a) is not None for a in pack.unit_before}
        longest = max(map(len, aliases), default=0)
        lengths: dict[str, set[int]] = {}
        for a in aliases:
            lengths.setdefault(a[-2:], set()).add(len(a))
        by_end = {end: tuple(sorted(ns, reverse=True)) for end, ns in lengths.items()}
        table = _BEFORE_TABLE[pack.code] = (aliases, by_end, longest)
    return table


def _ending_at(text: str, end: int, by_end: dict[str, tuple[int, ...]]) -> list[int]:
    """Starts of the aliases that may end at ``end`` (those ending in its last two characters,
    and one-character aliases), left to right."""
    pair = by_end.get(text[end - 2 : end]) if end >= 2 else None
    single = by_end.get(text[end - 1])
    if single is None:
        return [end - n for n in pair] if pair else []
    if not pair:
        return [end - n for n in single]
    return [end - n for n in pair] + [end - n for n in single]  # every pair is longer than one


def _before_match(text: str, lo: int, end: int, pack: Pack) -> tuple[str, int] | None:
    """``pack.unit_before_re.search(text, lo, end)`` as (alias, start), by dictionary look-ups:
    the leftmost start whose alias ends at ``end`` or one space before it (the regex's
    optional trailing space); an alias starting with a word character needs no letter/mark before it.

    Only starts where an alias of the right length ends in the two characters before ``end`` (or
    before the space) can hold one, so those few are tried, leftmost first, instead of every
    position in reach."""
    aliases, by_end, longest = _before_table(pack)
    if end <= 0:
        return None
    spaced = end > lo and text[end - 1] in " \u00a0"
    floor = max(lo, end - longest - 1)
    starts = _ending_at(text, end, by_end)  # left to right
    if spaced and end >= 2 and (more := _ending_at(text, end - 1, by_end)):
        starts = sorted([*starts, *more])  # a start in both is tried twice, alike
    for p in starts:
        if p < floor:
            continue
        alias = text[p:end]
        word = aliases.get(alias)
        if word is None and spaced:
            alias = alias[:-1]
            word = aliases.get(alias)
        if word is None or (word and p > 0 and unicodedata.category(text[p - 1])[0] in "LM"):
            continue
        return alias, p
    return None


def _prefix_unit(text: str, n: Numeral, pack: Pack, floor: int) -> tuple[str | None, int]:
    lo = max(floor, n.start - _before_reach(pack))
    found = _before_match(text, lo, n.start, pack)
    if found is None:
        return None, n.start
    alias, at = found
    veto = pack.unit_before_veto.get(alias) if pack.unit_before_veto is not None else None
    if veto is not None and veto.search(text, max(0, at - 40), at):
        return None, n.start  # "the percent of 18-year-olds"
    return pack.unit_before[alias], at


_AFTER_BY_FIRST: dict[str, dict[str, regex.Pattern[str]]] = {}


def _after_by_first(pack: Pack) -> dict[str, regex.Pattern[str]]:
    """``pack.unit_after_re`` split by the alias's first character (a few aliases per match)."""
    groups = _AFTER_BY_FIRST.get(pack.code)
    if groups is None:
        by_first: dict[str, list[str]] = {}
        for alias in pack.unit_after:
            by_first.setdefault(alias[0], []).append(alias)
        groups = {ch: regex.compile(f"({word_alternation(aliases)})") for ch, aliases in by_first.items()}
        _AFTER_BY_FIRST[pack.code] = groups
    return groups


def _unit_after(text: str, pos: int, pack: Pack) -> tuple[str | None, int]:
    # same as pack.unit_after_re.match(text, pos), looking only at aliases with the right first letter
    at = pos + 1 if pos < len(text) and text[pos] in pack.unit_gap else pos
    rx = _after_by_first(pack).get(text[at : at + 1])
    m = rx.match(text, at) if rx is not None else None
    if m is None:
        return None, pos
    alias = m.group(1)
    veto = pack.unit_veto.get(alias)
    if veto is not None and veto.match(text, m.end()):
        return None, pos
    return pack.unit_after[alias], m.end()


def _per_after(text: str, pos: int, pack: Pack) -> tuple[str | None, int]:
    parts: list[str] = []
    end = pos
    while len(parts) < 2:
        m = pack.per_re.match(text, end)
        if m is None:
            break
        parts.append(pack.per_map[m.group(1)])
        end = m.end()
    return ("/".join(parts) if parts else None), end


def _noun_after(text: str, pos: int, pack: Pack) -> tuple[str | None, str | None, int]:
    m = pack.noun_re.match(text, pos)
    if m is None:
        return None, None, pos
    noun = m.group(1)
    # the counted noun as written, with the modifiers read before it ("8.9 million trading accounts")
    written = m.group(0).lstrip(" \u00a0")
    return written, pack.noun_unit[noun.lower()], m.end()


def _fallback_noun(text: str, pos: int, pack: Pack) -> tuple[str | None, int]:
    m = pack.fallback_word_re.match(text, pos)
    if m is None:
        return None, pos
    word = m.group(1)
    if word.lower() in pack.not_counted or pack.numbers.word_class(word) != "other":
        return None, pos
    if pack.fallback_segmenter == "underthesea":
        # the counted noun is the first *word* after the number (thị xã, giáo viên), which takes
        # a word segmenter; only these rare unknown-noun cases pay for it
        compound = _first_word(text[m.start(1) : m.start(1) + 40])
        if compound.startswith(word) and compound.lower() not in pack.not_counted:
            return compound, m.start(1) + len(compound)
    return word, m.end()


@functools.lru_cache(maxsize=4096)
def _first_word(window: str) -> str:
    from underthesea import word_tokenize

    tokens = word_tokenize(window)
    return tokens[0] if tokens else ""


def _quantity(
    text: str, numerals: list[Numeral], i: int, pack: Pack, vetoes: _Vetoes, floor: int
) -> tuple[Quantity | None, int]:
    n = numerals[i]
    nxt = numerals[i + 1] if i + 1 < len(numerals) else None
    prefix, start = _prefix_unit(text, n, pack, floor)

    # x/y ratio: 17/17 chỉ tiêu, 8/13 địa phương
    if (
        nxt is not None
        and n.plain_digits
        and nxt.plain_digits
        and nxt.start == n.end + 1
        and text[n.end] == "/"
        and not vetoes.hits(nxt.start, nxt.end)
    ):
        if pack.ratio_veto_re.search(text, max(0, n.start - 20), n.start):
            return None, 2
        noun, unit, end = _noun_after(text, nxt.end, pack)
        if noun is None:
            return _fraction_of_unit(text, n, nxt, pack), 2
        return Quantity(
            start=n.start, end=end, value=n.value, low=n.low, high=n.high, unit=unit or "count",
            num_start=n.start, num_end=nxt.end, of=nxt.value,
            noun=noun if unit == "count" else None,
        ), 2

    lo_num, hi_num, used = n, None, 1
    pos = n.end
    unit1, unit1_end = (None, pos)
    if prefix is None:
        unit1, unit1_end = _unit_after(text, pos, pack)
    # ranges: 5-15%, từ 5 đến 10 tỉ đồng, 300ha đến 500ha, US$4.5-US$5 billion
    if nxt is not None and not vetoes.hits(nxt.start, nxt.end):
        for candidate_pos in ((unit1_end, pos) if unit1 else (pos,)):
            r = pack.range_re.match(text, candidate_pos)
            if r is None:
                continue
            conn = r.group(1)
            # "expand 7 to 8 percent", "VND8 to 10 million": a first end with no unit of its own
            # (its scale and unit written once, after the second end, which has no prefix of its own)
            bare = (
                unit1 is None
                and not n.ambiguous
                and not n.scaled
                and not n.spelled
                and conn.lower() in _bare_connectors(pack.code)
                and _prefix_unit(text, nxt, pack, r.start(1) + 1)[0] is None
            )
            if (
                (conn in pack.range_needs_opener or n.ambiguous)
                and not bare
                and not pack.range_opener_re.search(text, max(0, n.start - 25), start)
            ):
                continue  # "giữa X và Y", "từ năm đến mười": these need their opener
            p2_unit, p2_start = _prefix_unit(text, nxt, pack, r.start(1) + 1)
            if (p2_start if p2_unit else nxt.start) != r.end():
                continue
            if nxt.start - n.end > 20:
                continue
            lo_val = n.value
            if not n.scaled and nxt.scaled:
                lo_val = n.value * nxt.scale
            if lo_val >= nxt.value:
                continue
            hi_num, used = nxt, 2
            pos = nxt.end
            break

    if prefix is not None and pack.prefix_scale_re is not None:  # "$5m", "US$1.2-1.5bn"
        if hi_num is not None:
            hi_num = nxt = _prefix_scaled(text, hi_num, pack)
        else:
            lo_num = n = _prefix_scaled(text, lo_num, pack)
    if hi_num is not None:
        scale_lo = nxt.scale if (not n.scaled and nxt.scaled) else Decimal(1)
    else:
        scale_lo = Decimal(1)
    last = hi_num or lo_num

    unit: str | None = prefix
    noun: str | None = None
    per: str | None = None
    end = last.end
    fallback = defaulted = False
    if unit is None:
        if hi_num is None:  # no prefix, no range: the number ends where unit1 was read
            unit, uend = unit1, unit1_end
        else:
            unit, uend = _unit_after(text, last.end, pack)
        if unit is None and hi_num is not None and unit1 is not None:
            unit, uend = unit1, last.end  # "1000 đồng đến 2000" is unusual; keep the first unit
        if unit is not None:
            end = uend
            if pack.reread is not None and unit in pack.reread:
                unit = _reread(text, unit, start, end, pack)
            if pack.scale_after_unit and hi_num is None and not last.scaled:
                lo_num, end = _unit_scale(text, lo_num, end, unit, pack)  # "75 USD million"
                n = last = lo_num
    if (
        unit == "times"
        and not pack.multiple_re.search(text, max(0, start - 30), start)
        and not (pack.multiple_after_re is not None and pack.multiple_after_re.match(text, end))
    ):
        return None, used
    if unit is not None:
        per, pend = _per_after(text, end, pack)
        if per is not None:
            end = pend
    else:
        noun, nunit, nend = _noun_after(text, last.end, pack)
        if noun is None and hi_num is None:
            # "gần 101.000 (hơn 20%) học sinh": the counted noun after a bracketed aside
            aside = _ASIDE.match(text, last.end)
            if aside is not None:
                noun, nunit, _ = _noun_after(text, aside.end(), pack)
                nend = last.end
        if noun is not None:
            if _is_indefinite(lo_num, hi_num, pack) and not _listed_after_count(text, lo_num.start, pack):
                return None, used
            if (
                _countable(last, hi_num, pack)
                and not noun[:1].isupper()  # "Floods Kill 14 People": a Title-Case headline, not a name
                and _LABEL_BEFORE.search(text, max(0, start - 24), start)
            ):
                return None, used  # "Windows 11 bản quyền", "RON 95": a number in a name
            unit, end = nunit, nend
            per, pend = _per_after(text, end, pack)
            if per is not None:
                end = pend
        elif (
            last.scaled
            and last.scale >= pack.money_min_scale
            and pack.money_unit
            and last.scale_word in pack.money_scale_words
        ):  # "500 tỉ" is money, "4G" and "3M" are names
            unit, defaulted = pack.money_unit, True
        elif pack.fallback_enabled and _countable(last, hi_num, pack) and not _LABEL_BEFORE.search(
            text, max(0, start - 24), start
        ):
            word, wend = _fallback_noun(text, last.end, pack)
            if word is not None:
                unit, noun, end, fallback = "count", word, wend, True
        if unit is None and hi_num is None:
            unit = _context_unit(text, last, start, pack)
    if unit is None:
        return None, used
    if lo_num.ambiguous and not lo_num.scaled and hi_num is None and (noun is not None or defaulted):
        return None, used  # "năm khu", "tư nhân": an ambiguous word needs a unit or a range

    minor_value = Decimal(0)
    if hi_num is None and per is None and noun is None:
        minor_value, end, used = _minor_units(text, numerals, i + used, end, unit, pack, used)
    store, factor = _factor(unit)
    value = (lo_num.value * scale_lo + minor_value) * factor
    low = lo_num.low * scale_lo * factor
    if hi_num is not None:
        value_max = hi_num.value * factor
        high = hi_num.high * factor
    else:
        value_max = None
        high = lo_num.high * factor
    if minor_value:
        half = Decimal(str(units_catalogue()[unit]["minor"])) / 2 * factor
        low, high = value - half, value + half
    return Quantity(
        start=start, end=end, value=value, low=low, high=high, unit=store,
        num_start=lo_num.start, num_end=last.end, value_max=value_max, per=per,
        noun=noun if store == "count" else None, spelled=lo_num.spelled and not lo_num.has_digits,
        fallback=fallback, defaulted=defaulted,
        scale=last.scale if last.scaled else Decimal(1), factor=factor,
    ), used


_FRACTION_DIMENSIONS = frozenset({"length", "area", "mass", "volume"})


def _fraction_of_unit(text: str, n: Numeral, nxt: Numeral, pack: Pack) -> Quantity | None:
    """``3/4 cup``, ``a 1/4 mile oval``: x/y right before a measurement unit is a fraction of it
    (before a counted noun it stays a ratio: 17/17 targets)."""
    unit, end = _unit_after(text, nxt.end, pack)
    if unit is None or not nxt.value or units_catalogue().get(unit, {}).get("dimension") not in _FRACTION_DIMENSIONS:
        return None
    store, factor = _factor(unit)
    value = n.value / nxt.value * factor
    return Quantity(
        start=n.start, end=end, value=value, low=value, high=value, unit=store,
        num_start=n.start, num_end=nxt.end, factor=factor,
    )


def _reread(text: str, unit: str, start: int, end: int, pack: Pack) -> str:
    """``operating profit improved to 361 million pounds``: pounds as money after a money cue
    (``[[reread]]`` in units.toml), unless ``of`` follows (``5 pounds of beef``)."""
    assert pack.reread is not None
    other, cues, veto = pack.reread[unit]
    if veto is not None and veto.match(text, end):
        return unit
    return other if cues.search(text, max(0, start - (pack.context_window or 200)), start) else unit


def _unit_scale(text: str, num: Numeral, end: int, unit: str, pack: Pack) -> tuple[Numeral, int]:
    """``75 USD million``: a scale word written after a money unit."""
    if units_catalogue().get(unit, {}).get("dimension") != "money":
        return num, end
    at = end + 1 if text[end : end + 1] == " " else end
    m = pack.numbers._word_re.match(text, at)
    if m is None or pack.numbers.word_class(m.group()) != "scale":
        return num, end
    mult = pack.numbers.scales[m.group().lower()]
    scaled = dataclasses.replace(
        num, value=num.value * mult, step=num.step * mult, scaled=True, scale=mult, scale_word=m.group().lower()
    )
    return scaled, m.end()


def _minor_units(
    text: str, numerals: list[Numeral], j: int, end: int, unit: str, pack: Pack, used: int
) -> tuple[Decimal, int, int]:
    """"2 đô la và 23 xen", "20 Rupees 43": cents written after the amount → (cents value,
    new end, numerals used); nothing when what follows is not a small count of minor units."""
    minor = units_catalogue().get(unit, {}).get("minor")
    if minor is None or j >= len(numerals) or pack.minor_re is None:
        return Decimal(0), end, used
    nxt = numerals[j]
    gap = pack.compound_re.match(text, end)
    if gap is None or gap.end() != nxt.start or nxt.value != nxt.value.to_integral_value():
        return Decimal(0), end, used
    if not 0 < nxt.value * Decimal(minor) < 1:
        return Decimal(0), end, used
    unit_m = pack.minor_re.match(text, nxt.end)
    if unit_m is not None:
        return nxt.value * Decimal(minor), unit_m.end(), used + 1
    if _CLAUSE_END.match(text, nxt.end):
        return nxt.value * Decimal(minor), nxt.end, used + 1
    return Decimal(0), end, used


_CLAUSE_END = regex.compile(r"[ \u00a0]*(?:[.,;:!?)\]]|$)")


def _is_indefinite(lo: Numeral, hi: Numeral | None, pack: Pack) -> bool:
    """"một nhà" / "one house": a spelled 1 before a noun is usually the indefinite article."""
    return hi is None and lo.spelled and not lo.has_digits and lo.value == 1 and not lo.scaled


@functools.cache
def _bare_connectors(code: str) -> frozenset[str]:
    """Connectors of ``[range] bare``: they make a range without an opener when the first end
    has no unit of its own (``7 to 8 percent``), unlike ``rose 5 percent to 8 percent``."""
    from extractor.lang import load_pack

    return frozenset(w.lower() for w in load_pack(code).data["pack"].get("range", {}).get("bare", []))


def _listed_after_count(text: str, pos: int, pack: Pack) -> bool:
    """``12 provinces and one centrally-run city``: a spelled 1 joined to a counted figure just
    before it is a count of its own, not the indefinite article."""
    return _after_count_re(pack.code).search(text, max(0, pos - 60), pos) is not None


@functools.cache
def _after_count_re(code: str) -> regex.Pattern[str]:
    from extractor.lang import load_pack, word_alternation

    words = load_pack(code).data["pack"].get("coordination", {}).get("words", [])
    # a figure with digits, at most four words (its noun), a comma perhaps, then the conjunction
    return regex.compile(
        rf"\d(?:[ \u00a0]+[\p{{L}}\p{{M}}-]+){{1,4}},?[ \u00a0]+(?i:{word_alternation(words)})[ \u00a0]+\Z"
    )


def _countable(n: Numeral, hi: Numeral | None, pack: Pack) -> bool:
    if n.spelled or n.scaled or not n.has_digits:
        return False
    if n.step != 1 or n.value != n.value.to_integral_value() or n.value <= 0:
        return False
    return n.value <= pack.max_plain_count or not n.plain_digits.isdigit()
