"""Claims: recognised quantities interpreted — qualifier, kind, direction — then period and
indicator (:mod:`extractor.periods`, :mod:`extractor.indicators`).

The words come from the language pack's ``cues.toml``; this module holds the rules only.
"""

from __future__ import annotations

import bisect
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
        qualifier, core = _qualifier(folded, left, q, pack)
        kind, direction = _kind(folded, left, core, q, pack, previous, s_start)
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


def _coordinated(folded: str, previous: tuple[Quantity, str, str | None], q: Quantity, pack: Pack) -> bool:
    """Two figures of one unit joined by a bare conjunction share the verb before the first."""
    prev_q, prev_kind, _ = previous
    if prev_kind not in ("change", "target") or prev_q.unit != q.unit or q.start - prev_q.end > 32:
        return False
    return pack.coordination_re.fullmatch(folded, prev_q.end, q.start) is not None


def _qualifier(folded: str, left: str, q: Quantity, pack: Pack) -> tuple[str, str]:
    """(qualifier, left context without the qualifier words)."""
    for qual, pattern in pack.qualifier_after.items():
        if pattern.match(folded, q.end, q.end + 200):  # endpos: regex may scan to the end for a literal
            return qual, left
    best: tuple[int, str] | None = None
    for qual in _QUALIFIER_ORDER:
        pattern = pack.qualifier_before.get(qual)
        if pattern is None:
            continue
        m = pattern.search(left, max(0, len(left) - 40))
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), qual)
    if best is None:
        return "exact", left
    pos, qual = best
    core = left[:pos]
    if qual in ("over", "under") and pack.comparative_re.search(left, max(0, len(left) - 40)):
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
    s_start: int,
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
    percent = q.unit in ("percent", "percentage_point")
    target = percent and (
        _target_after(folded, q, pack)
        or any(pack.target_before_re.search(c, max(0, len(c) - 40)) for c in (left, core))
    )
    compared: bool | None = None  # read only when a comparative asks (a scan of 60 characters)
    # the words before the qualifier first: in "rise by up to 15%" the "to" of "up to" is no "rose to"
    # a new level ("rose to", "fell below 1 km") read over the qualifier too, unless its "to" is
    # the qualifier's own ("up to")
    level = pack.to_level_re.search(left, max(0, len(left) - 30))
    level_left = level is not None
    if core == left:
        level_core, new_level = level_left, level_left
    else:
        level_core = pack.to_level_re.search(core, max(0, len(core) - 30)) is not None
        new_level = level is not None and level.start() < len(core)
    # (context, whether a new-level word ends it): one pass per distinct context
    contexts: list[tuple[str, bool | None]] = [(core, level_core)] if core == left else [(core, level_core), (left, level_left)]
    if q.value_max is not None:
        # "tăng từ 5% đến 15%": the range opener sits between the verb and the figure
        opener = pack.range_opener_re.search(core, max(0, len(core) - 20))
        if opener is not None:
            contexts.append((core[: opener.start()], None))
    for ctx, at_level in contexts:
        lo = max(0, len(ctx) - 30)
        if at_level is None:
            at_level = pack.to_level_re.search(ctx, lo) is not None
        if new_level or at_level:
            break
        for direction, pattern in (("up", pack.up_re), ("down", pack.down_re)):
            m = pattern.search(ctx, lo)
            if m is None:
                continue
            if pack.comparative_re.search(ctx, lo):
                if compared is None:
                    compared = pack.comparison_after_re.match(folded, q.end) is not None
                if not (compared or target):
                    continue  # "nhỏ hơn 14%" with nothing compared against: a bound, not a change
            return "change", direction  # "vượt 2% so với kế hoạch": an overshoot is a change
    if target:
        return "target", None
    # the change word written after the figure: "0.54 percent higher than the plan", "a 5% rise"
    if not (level_left or level_core):
        for direction, after in (("up", pack.up_after_re), ("down", pack.down_after_re)):
            if after is not None and after.match(folded, q.end):
                return "change", "down" if q.value < 0 else direction  # "-1.5% year-on-year"
        for direction, by in (("up", pack.up_by_re), ("down", pack.down_by_re)):
            if by is not None and by.search(core, max(0, len(core) - 80)):
                return "change", direction  # "raised the average retail price by 4.8%"
    if percent and q.value < 0:
        return "change", "down"  # "the transport index posted minus 3.2 percent"
    if percent:
        window = left[-90:]
        if pack.growth_re.search(window) and not pack.share_re.search(window):
            return "change", None
    return _level_kind(folded, left, q, pack), None


def _target_after(folded: str, q: Quantity, pack: Pack) -> bool:
    """``152% of the target``, ``94.7 percent of the 2023 plan``: a plan named after the figure."""
    if pack.target_after_re.match(folded, q.end, q.end + 200) is not None:
        return True
    dated = _dated_target_re(pack.code)
    return dated is not None and dated.match(folded, q.end, q.end + 80) is not None


@functools.cache
def _dated_target_re(code: str) -> regex.Pattern[str] | None:
    """``of the <year> plan``: ``[kind] target_nouns`` after a year (or a span of years)."""
    nouns = load_pack(code).data["cues"].get("kind", {}).get("target_nouns", [])
    if not nouns:
        return None
    return regex.compile(
        rf"[\s\u00a0]+(?i:of the)[\s\u00a0]+(?:19|20)\d{{2}}(?:[-–](?:19|20)?\d{{2}})?[\s\u00a0]+(?i:{word_alternation(nouns)})"
    )


def _level_kind(folded: str, left: str, q: Quantity, pack: Pack) -> str:
    if q.unit in ("percent", "percentage_point"):
        if _target_after(folded, q, pack):
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
