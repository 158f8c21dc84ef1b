"""Claims: recognised quantities interpreted — qualifier, kind, direction — then period and
indicator (:mod:`extractor.periods`, :mod:`extractor.indicators`).

The words come from the language pack's ``cues.toml``; this module holds the rules only.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator

import regex

from extractor.indicators import assign_periods_and_indicators
from extractor.lang import Pack, load_pack, word_alternation
from extractor.quantities import Quantity, recognise
from extractor.records import Claim
from extractor.segment import Segment, segments
from extractor.text import fold_tones, nfc

__all__ = ["extract_claims", "interpret"]

_QUALIFIER_ORDER = ("at_least", "at_most", "under", "over", "approx", "exact")


def extract_claims(text: str, *, lang: str | None = "vi", date: dt.date | None = None) -> list[Claim]:
    """Every claim in ``text`` (NFC). ``lang`` None/"auto" detects it per paragraph."""
    text = nfc(text)
    folded = fold_tones(text)
    claims: list[Claim] = []
    for seg in segments(folded, lang=lang):
        pack = load_pack(seg.lang)
        quantities = recognise(folded, pack, start=seg.start, end=seg.end)
        if not quantities:
            continue
        found = interpret(text, folded, quantities, pack, seg)
        found = assign_periods_and_indicators(text, found, lang=seg.lang, date=date)
        claims.extend(found)
    return claims


def interpret(text: str, folded: str, quantities: list[Quantity], pack: Pack, seg: Segment) -> list[Claim]:
    """Quantities → claims with qualifier, kind and direction (period/indicator left empty)."""
    sentences = seg.sentences
    starts = [s for s, _ in sentences]
    out: list[Claim] = []
    previous: tuple[Quantity, str, str | None] | None = None
    for q in quantities:
        k = max(0, bisect.bisect_right(starts, q.num_start) - 1)
        s_start, s_end = sentences[k] if sentences else (seg.start, seg.end)
        s_start = min(s_start, q.start)
        s_end = max(s_end, q.end)
        left = folded[max(s_start, q.start - 300) : q.start]  # cues sit close: bound a run-on sentence
        ends = _Ends(_gates(pack), folded, q.end)
        qualifier, core = _qualifier(folded, left, q, pack, ends)
        kind, direction = _kind(folded, left, core, q, pack, previous, ends)
        if previous is not None and kind in ("share", "level") and _coordinated(folded, previous, q, pack):
            kind, direction = previous[1], previous[2]  # "lần lượt tăng 15% và 22%"
        if direction is None and kind == "change":
            direction = "down" if q.value < 0 else "up"
        claim = Claim(
            text=text[q.start : q.end],
            start=q.start,
            end=q.end,
            value=q.value,
            value_max=q.value_max,
            of=q.of,
            per=q.per,
            unit=q.unit,
            noun=q.noun,
            qualifier=qualifier,  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            direction=direction,  # type: ignore[arg-type]
            lang=pack.code,
            sentence_start=s_start,
            sentence_end=s_end,
            low=min(q.low, q.high),
            high=max(q.low, q.high),
        )
        out.append(claim)
        previous = (q, kind, direction)
    return list(_propagate_targets(folded, out, pack))


# what ``[\s\u00a0]`` matches in regex (its white space): the gap a cue pattern allows between
# its word and the figure (str.strip() alone would also take \x1c-\x1f, which regex does not)
_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_ODD_CASES = str.maketrans({"İ": "i", "ſ": "s", "ı": "i"})
_GAP = 64  # white space after a figure read for the gates; a longer gap: every pattern is tried
_OF_THE = ("of the",)  # what :func:`_dated_target_re` reads first


def _fold(text: str) -> str:
    """``text`` in lower case, each character as IGNORECASE matches it with a letter of the
    cue words: ``lower`` maps every character that matches an ASCII or Vietnamese letter to it,
    except three that regex matches with ``i``/``I`` and ``s`` (``İ``, ``ı``, ``ſ``). The same
    length, so a listed word matched case-insensitively is a substring of the folded text."""
    if not text.isascii():
        text = text.translate(_ODD_CASES)
    return text.lower()


@dataclasses.dataclass(frozen=True, slots=True)
class _Gates:
    r"""For each word-list pattern of a pack, its words folded (:func:`_fold`): each match of a
    ``(?r)…\Z`` pattern ends its context (trailing white space aside) with one of them, each
    match of a pattern anchored after the figure starts with one. A context ending with none
    of them is rejected by one ``str.endswith`` (a C loop over short strings) instead of a regex
    search of 20–90 alternatives; a pattern not built as expected gets None: it is always run."""

    qualifier_before: dict[str, tuple[str, ...] | None]
    qualifier_after: dict[str, tuple[str, ...] | None]
    comparative: tuple[str, ...] | None
    up: tuple[str, ...] | None
    down: tuple[str, ...] | None
    to_level: tuple[str, ...] | None
    target_before: tuple[str, ...] | None
    range_opener: tuple[str, ...] | None
    up_after: tuple[str, ...] | None
    down_after: tuple[str, ...] | None
    target_after: tuple[str, ...] | None
    growth: tuple[str, ...] | None  # held anywhere in the window (an unanchored search)
    by: bool  # the ``verb … by`` patterns end with `` by`` (as written)
    reach: int  # the longest word: how much of a context's end is read


def _folded_words(words: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_fold(w) for w in words))


def _end_words(pattern: regex.Pattern[str] | None, words: list[str]) -> tuple[str, ...] | None:
    """``words`` folded, if ``pattern`` is the pack's ``(?r)`` pattern of them (else None)."""
    if pattern is None or any(w[-1:] in _SPACE for w in words):
        return None
    expected = rf"(?r)(?i:{word_alternation(words)})[\s\u00a0]*\Z"
    return _folded_words(words) if pattern.pattern == expected and not pattern.flags & regex.VERBOSE else None


def _start_words(pattern: regex.Pattern[str] | None, words: list[str]) -> tuple[str, ...] | None:
    """``words`` folded, if ``pattern`` is the pack's pattern of them after a gap (else None)."""
    if pattern is None or any(w[:1] in _SPACE for w in words):
        return None
    expected = rf"[\s\u00a0]*(?i:({word_alternation(words)}))"
    return _folded_words(words) if pattern.pattern == expected and not pattern.flags & regex.VERBOSE else None


_GATES: dict[str, tuple[Pack, _Gates]] = {}


def _gates(pack: Pack) -> _Gates:
    """The gates of ``pack`` (made once per pack)."""
    got = _GATES.get(pack.code)
    if got is None or got[0] is not pack:
        got = _GATES[pack.code] = (pack, _make_gates(pack))
    return got[1]


def _make_gates(pack: Pack) -> _Gates:
    cues = pack.data["cues"]
    qual = cues.get("qualifier", {})
    kind = cues.get("kind", {})
    openers = pack.data["pack"].get("range", {}).get("openers", [])
    growth = kind.get("growth_subjects", [])
    by_end = r"[ \u00a0]+by[ \u00a0]*\Z"
    gates = _Gates(
        qualifier_before={
            q: _end_words(pack.qualifier_before.get(q), words) for q, words in qual.get("before", {}).items()
        },
        qualifier_after={
            q: _start_words(pack.qualifier_after.get(q), words) for q, words in qual.get("after", {}).items()
        },
        comparative=_end_words(pack.comparative_re, qual.get("comparative_words", {}).get("words", [])),
        up=_end_words(pack.up_re, kind.get("up", [])),
        down=_end_words(pack.down_re, kind.get("down", [])),
        to_level=_end_words(pack.to_level_re, kind.get("to_level", [])),
        target_before=_end_words(pack.target_before_re, kind.get("target_before", [])),
        range_opener=_end_words(pack.range_opener_re, openers),
        up_after=_start_words(pack.up_after_re, kind.get("up_after", [])),
        down_after=_start_words(pack.down_after_re, kind.get("down_after", [])),
        target_after=_start_words(pack.target_after_re, kind.get("target_after", [])),
        growth=(
            _folded_words(growth)
            if pack.growth_re.pattern == f"(?i:{word_alternation(growth)})" and not pack.growth_re.flags & regex.VERBOSE
            else None
        ),
        by=all(
            p is None or (p.pattern.endswith(by_end) and not p.flags & (regex.IGNORECASE | regex.VERBOSE))
            for p in (pack.up_by_re, pack.down_by_re)
        ),
        reach=0,
    )
    lists = [
        *gates.qualifier_before.values(), *gates.qualifier_after.values(), gates.comparative, gates.up,
        gates.down, gates.to_level, gates.target_before, gates.range_opener, gates.up_after,
        gates.down_after, gates.target_after, _OF_THE,
    ]
    reach = max((len(w) for words in lists if words for w in words), default=0)
    return dataclasses.replace(gates, reach=reach)


class _Ends:
    """The folded ends of one figure's contexts, read by :class:`_Gates`: the end of each left
    context (made once per context) and the start of the text after the figure."""

    __slots__ = ("_tails", "gates", "head")

    def __init__(self, gates: _Gates, folded: str, pos: int) -> None:
        self.gates = gates
        reach = gates.reach
        chunk = folded[pos : pos + reach + _GAP]
        head = chunk.lstrip(_SPACE)
        # (a gap longer than was read: the words after it are not known)
        self.head: str | None = None if len(head) < reach and len(chunk) == reach + _GAP else _fold(head[:reach])
        self._tails: dict[str, str] = {}

    def may_end(self, ctx: str, words: tuple[str, ...] | None) -> bool:
        r"""A pattern of ``words`` anchored at the end (``(?r)…\Z``) may match ``ctx``."""
        if words is None:
            return True
        tail = self._tails.get(ctx)
        if tail is None:
            tail = self._tails[ctx] = _fold(ctx.rstrip(_SPACE)[-self.gates.reach :])
        return tail.endswith(words)

    def may_start(self, words: tuple[str, ...] | None) -> bool:
        """A pattern of ``words`` matched after the figure (a gap, then a word) may match."""
        return words is None or self.head is None or self.head.startswith(words)

    def may_end_by(self, core: str) -> bool:
        """A ``verb … by`` pattern may match ``core``: it ends with ``by``."""
        return not self.gates.by or core.rstrip(" \u00a0").endswith("by")

    def may_hold(self, window: str, words: tuple[str, ...] | None) -> bool:
        """An unanchored pattern of ``words`` may match ``window``: it holds one of them."""
        if words is None:
            return True
        low = _fold(window)
        for w in words:
            if w in low:
                return True
        return False


def _coordinated(folded: str, previous: tuple[Quantity, str, str | None], q: Quantity, pack: Pack) -> bool:
    """Two figures of one unit joined by a bare conjunction share the verb before the first."""
    prev_q, prev_kind, _ = previous
    if prev_kind not in ("change", "target") or prev_q.unit != q.unit or q.start - prev_q.end > 32:
        return False
    return pack.coordination_re.fullmatch(folded, prev_q.end, q.start) is not None


def _qualifier(folded: str, left: str, q: Quantity, pack: Pack, ends: _Ends) -> tuple[str, str]:
    """(qualifier, left context without the qualifier words)."""
    gates = ends.gates
    for qual, pattern in pack.qualifier_after.items():
        if not ends.may_start(gates.qualifier_after.get(qual)):
            continue  # (most figures: no listed word follows)
        if pattern.match(folded, q.end, q.end + 200):  # endpos: regex may scan to the end for a literal
            return qual, left
    best: tuple[int, str] | None = None
    for qual in _QUALIFIER_ORDER:
        pattern = pack.qualifier_before.get(qual)
        if pattern is None or not ends.may_end(left, gates.qualifier_before.get(qual)):
            continue
        m = pattern.search(left, max(0, len(left) - 40))
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), qual)
    if best is None:
        return "exact", left
    pos, qual = best
    core = left[:pos]
    if (
        qual in ("over", "under")
        and ends.may_end(left, gates.comparative)
        and pack.comparative_re.search(left, max(0, len(left) - 40))
    ):
        # "thấp hơn 5% so với …", "higher than … compared with": a comparison, not a bound
        if pack.comparison_after_re.match(folded, q.end):
            return "exact", left
    return qual, core


def _kind(
    folded: str,
    left: str,
    core: str,
    q: Quantity,
    pack: Pack,
    previous: tuple[Quantity, str, str | None] | None,
    ends: _Ends,
) -> tuple[str, str | None]:
    if q.of is not None:
        return "ratio", None
    if q.unit == "times":
        return "multiple", None
    # "giảm 0,79% (44 USD/tấn)", "tăng 12%, tương đương 1,2 tỉ USD": an amount restating the change
    if previous is not None and previous[1] == "change" and previous[0].unit != q.unit:
        if pack.restate_re.fullmatch(folded, previous[0].end, q.start):
            return "change", previous[2]
    if folded[q.start - 1 : q.start] == "+" and not folded[q.start - 2 : q.start - 1].isalnum():
        return "change", "up"  # "(+2.1% y/y)": a signed figure is a change
    gates = ends.gates
    percent = q.unit in ("percent", "percentage_point")
    target = percent and (
        _target_after(folded, q, pack, ends)
        or any(
            ends.may_end(c, gates.target_before) and pack.target_before_re.search(c, max(0, len(c) - 40))
            for c in (left, core)
        )
    )
    compared: bool | None = None  # read only when a comparative asks (a scan of 60 characters)
    # the words before the qualifier first: in "rise by up to 15%" the "to" of "up to" is no "rose to"
    # a new level ("rose to", "fell below 1 km") read over the qualifier too, unless its "to" is
    # the qualifier's own ("up to")
    level = pack.to_level_re.search(left, max(0, len(left) - 30)) if ends.may_end(left, gates.to_level) else None
    level_left = level is not None
    if core == left:
        level_core, new_level = level_left, level_left
    else:
        level_core = ends.may_end(core, gates.to_level) and pack.to_level_re.search(core, max(0, len(core) - 30)) is not None
        # "giảm còn 2,35%": a qualifier that is itself a new-level word ("còn") still sets the
        # level; only a "to" inside a longer qualifier ("up to") does not
        new_level = level is not None and (
            level.start() < len(core) or level.group().strip() == left[len(core) :].strip()
        )
    # (context, whether a new-level word ends it): one pass per distinct context
    contexts: list[tuple[str, bool | None]] = [(core, level_core)] if core == left else [(core, level_core), (left, level_left)]
    if q.value_max is not None and ends.may_end(core, gates.range_opener):
        # "tăng từ 5% đến 15%": the range opener sits between the verb and the figure
        opener = pack.range_opener_re.search(core, max(0, len(core) - 20))
        if opener is not None:
            contexts.append((core[: opener.start()], None))
    directions = (("up", pack.up_re, gates.up), ("down", pack.down_re, gates.down))
    for ctx, at_level in contexts:
        lo = max(0, len(ctx) - 30)
        if at_level is None:
            at_level = ends.may_end(ctx, gates.to_level) and pack.to_level_re.search(ctx, lo) is not None
        if new_level or at_level:
            break
        for direction, pattern, words in directions:
            if not ends.may_end(ctx, words):
                continue  # (most contexts: no change word ends them)
            m = pattern.search(ctx, lo)
            if m is None:
                continue
            if ends.may_end(ctx, gates.comparative) and pack.comparative_re.search(ctx, lo):
                if compared is None:
                    compared = pack.comparison_after_re.match(folded, q.end) is not None
                if not (compared or target):
                    continue  # "nhỏ hơn 14%" with nothing compared against: a bound, not a change
            return "change", direction  # "vượt 2% so với kế hoạch": an overshoot is a change
    if target:
        return "target", None
    # the change word written after the figure: "0.54 percent higher than the plan", "a 5% rise"
    if not (level_left or level_core):
        for direction, after, words in (("up", pack.up_after_re, gates.up_after), ("down", pack.down_after_re, gates.down_after)):
            if after is not None and ends.may_start(words) and after.match(folded, q.end):
                return "change", "down" if q.value < 0 else direction  # "-1.5% year-on-year"
        if ends.may_end_by(core):
            for direction, by in (("up", pack.up_by_re), ("down", pack.down_by_re)):
                if by is not None and by.search(core, max(0, len(core) - 80)):
                    return "change", direction  # "raised the average retail price by 4.8%"
    if percent and q.value < 0:
        return "change", "down"  # "the transport index posted minus 3.2 percent"
    if percent:
        window = left[-90:]
        if ends.may_hold(window, gates.growth) and pack.growth_re.search(window) and not pack.share_re.search(window):
            return "change", None
    return _level_kind(folded, left, q, pack, ends), None


def _target_after(folded: str, q: Quantity, pack: Pack, ends: _Ends) -> bool:
    """``152% of the target``, ``94.7 percent of the 2023 plan``: a plan named after the figure."""
    if ends.may_start(ends.gates.target_after) and pack.target_after_re.match(folded, q.end, q.end + 200) is not None:
        return True
    dated = _dated_target_re(pack.code)
    return (
        dated is not None
        and ends.may_start(_OF_THE)
        and dated.match(folded, q.end, q.end + 80) is not None
    )


@functools.cache
def _dated_target_re(code: str) -> regex.Pattern[str] | None:
    """``of the <year> plan``: ``[kind] target_nouns`` after a year (or a span of years)."""
    nouns = load_pack(code).data["cues"].get("kind", {}).get("target_nouns", [])
    if not nouns:
        return None
    return regex.compile(
        rf"[\s\u00a0]+(?i:of the)[\s\u00a0]+(?:19|20)\d{{2}}(?:[-–](?:19|20)?\d{{2}})?[\s\u00a0]+(?i:{word_alternation(nouns)})"
    )


def _level_kind(folded: str, left: str, q: Quantity, pack: Pack, ends: _Ends) -> str:
    if q.unit in ("percent", "percentage_point"):
        if _target_after(folded, q, pack, ends):
            return "target"
        return "share"
    return "level"


@functools.cache
def _attain_re(code: str) -> regex.Pattern[str] | None:
    pack = load_pack(code)
    verbs = pack.data["cues"].get("kind", {}).get("attain_verbs", [])
    if not verbs:
        return None
    quals = [w for q, ws in pack.data["cues"].get("qualifier", {}).get("before", {}).items() if q != "exact" for w in ws]
    return regex.compile(rf"{word_alternation(verbs)}(?:[ \u00a0]+{word_alternation(quals)})?[ \u00a0]*\Z")


def _propagate_targets(folded: str, claims: list[Claim], pack: Pack) -> Iterator[Claim]:
    """``đạt hơn 101%; … đạt hơn 111% chỉ tiêu``: attainments listed in the sentence that names
    the plan share its kind."""
    target_sentences = {c.sentence_start for c in claims if c.kind == "target"}
    attain = _attain_re(pack.code)
    for c in claims:
        if (
            attain is not None
            and c.kind == "share"
            and c.sentence_start in target_sentences
            and attain.search(folded, max(c.sentence_start, c.start - 30), c.start)
        ):
            yield c.model_copy(update={"kind": "target"})
        else:
            yield c
