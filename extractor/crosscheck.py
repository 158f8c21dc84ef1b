"""Findings across articles, computed on the ``observations`` of a dataset.

Rules (stable codes):

* ``XC-SCALE``    same subject, indicator, period and unit; the intervals cannot meet, but would
                  after a factor 1000 (a tỉ/triệu or nghìn/triệu slip).
* ``XC-SCOPE``    ... cannot meet, and the two cover different stretches of time or a different
                  subject code: probably not the same quantity.
* ``XC-REVISED``  ... cannot meet, and the reports have different dates: the later one revises.
* ``XC-CONFLICT`` ... cannot meet, and nothing tells why.
* ``XC-GROWTH``   a growth rate for year Y contradicts the levels stated for Y and its base year.
* ``XC-VI-EN``    a Vietnamese and an English report give the same figure (info).

A figure stands for every value its printing allows, read by the per-article checker's
:func:`extractor.checks.intervals.claim_interval` (rounding of the printed digits; ``over`` /
``at_least`` open the top, ``under`` / ``at_most`` the bottom down to 0, ``approx`` widens to at
least ±5 %; a fall is negative). Two figures disagree only when their intervals cannot meet
(gold/README.md, "Relations"). Only pairs from different articles are compared here; figures
within one article are the per-article checker's.

Figures repeated by many articles are grouped by their interval first, so a corpus that repeats
one figure a thousand times costs one comparison, not a million.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from extractor.checks.intervals import Interval, claim_interval, fmt_interval, fmt_number
from extractor.records import ClaimRef, Finding

if TYPE_CHECKING:
    from extractor.store import Store

__all__ = [
    "Interval",
    "cross_findings",
    "fmt_num",
    "gap",
    "obs_interval",
    "show",
    "show_number",
]

_SCALE = Decimal(1000)
_ONE = Interval.point(Decimal(1))
_HUNDRED = Decimal(100)
_MAX_GROWTH = 20  # growth findings per subject+indicator
_YEAR = re.compile(r"^\d{4}$")
_FIGURE_FIELDS = ("text", "lang", "value", "value_max", "low", "high", "unit", "kind",
                  "qualifier", "direction")


# -- interval arithmetic: extractor.checks.intervals, applied to stored observation rows -------


def obs_interval(row: dict[str, Any]) -> Interval:
    """The interval of a stored observation (a dict with the Observation fields), read exactly
    as the per-article checker reads a claim (strict rounding, qualifier, sign of a fall)."""
    return _interval(tuple(row.get(k) for k in _FIGURE_FIELDS))


@functools.lru_cache(maxsize=65536)
def _interval(values: tuple) -> Interval:
    # the same printed figure repeated across a corpus is read once
    figure = SimpleNamespace(**dict(zip(_FIGURE_FIELDS, values, strict=True)), of=None)
    figure.qualifier = figure.qualifier or "exact"
    figure.lang = figure.lang or "vi"
    return claim_interval(figure, signed=figure.kind == "change")  # type: ignore[arg-type]


def gap(a: Interval, b: Interval) -> Decimal:
    """Distance between two intervals (0 when they meet)."""
    if a.intersects(b):
        return Decimal(0)
    return b.lo - a.hi if a.hi < b.lo else a.lo - b.hi


def fmt_num(value: Decimal | None) -> str:
    """Plain decimal string (``8100000000000``, ``9.17``); None → ``∞``."""
    if value is None or value.is_infinite():
        return "∞" if value is None or value > 0 else "-∞"
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def show(interval: Interval, lang: str = "en") -> str:
    """An interval for a message, in the reader's locale (``8.050–8.150``, ``≥ 2.400``)."""
    return fmt_interval(interval, lang)


def show_number(value: Decimal, lang: str = "en", *, places: int = 4) -> str:
    return fmt_number(value.quantize(Decimal(1).scaleb(-places)).normalize(), lang)


# -- the rules -------------------------------------------------------------------------------


def cross_findings(store: Store) -> list[Finding]:
    """All cross-article findings of the dataset, in a deterministic order."""
    findings: list[Finding] = []
    for members in store.iter_shared_groups():
        for row in members:
            row["interval"] = obs_interval(row)
        findings.extend(_same_figure_rules(members))
        findings.extend(_growth_rule(members))
    return findings


def _figure_key(row: dict) -> tuple:
    base = row.get("base_period") if row["kind"] == "change" else None
    return (row["period_label"], row["unit"], row.get("per") or "", row["kind"], base or "")


def _by_interval(rows: Iterable[dict]) -> list[tuple[Interval, list[dict]]]:
    """Rows grouped by interval, each group ordered by article date then id."""
    groups: dict[Interval, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["interval"], []).append(row)
    return [
        (interval, sorted(members, key=_chrono))
        for interval, members in sorted(groups.items(), key=lambda kv: _interval_sort(kv[0]))
    ]


def _interval_sort(interval: Interval) -> tuple:
    return (interval.lo, interval.hi)


def _chrono(row: dict) -> tuple:
    date = row.get("article_date")
    return (date is not None, date or dt.date.min, row["article_id"], row["claim_index"])


def _same_figure_rules(members: list[dict]) -> Iterator[Finding]:
    usable = sorted((r for r in members if r.get("period_label")), key=_figure_key)
    for _, group in itertools.groupby(usable, key=_figure_key):
        rows = list(group)
        if len({r["article_id"] for r in rows}) < 2:
            continue
        by_interval = _by_interval(rows)
        for (ia, ra), (ib, rb) in itertools.combinations(by_interval, 2):
            pair = _pick_pair(ra, rb)
            if pair is None:
                continue
            if not ia.intersects(ib):
                yield _disagreement(*pair, others=(len(ra), len(rb)))
        yield from _vi_en(by_interval)


def _pick_pair(ra: list[dict], rb: list[dict]) -> tuple[dict, dict] | None:
    """The earliest rows of two interval groups that come from different articles."""
    for a in ra:
        for b in rb:
            if a["article_id"] != b["article_id"]:
                return a, b
    return None


def _later(a: dict, b: dict) -> str:
    return max(a, b, key=_chrono)["article_id"]


def _span(row: dict) -> tuple | None:
    start, end = row.get("period_start"), row.get("period_end")
    return (start, end) if start or end else None


def _disagreement(a: dict, b: dict, *, others: tuple[int, int]) -> Finding:
    ia, ib = a["interval"], b["interval"]
    date_a, date_b = a.get("article_date"), b.get("article_date")
    if ia.scale(_SCALE).intersects(ib) or ia.intersects(ib.scale(_SCALE)):
        code, severity = "XC-SCALE", "error"
        why_en = "they differ by a factor of about 1000: a scale slip (tỉ/triệu, nghìn/triệu)"
        why_vi = "chênh nhau khoảng 1000 lần: nhầm đơn vị (tỉ/triệu, nghìn/triệu)"
    elif (_span(a) and _span(b) and _span(a) != _span(b)) or (
        a.get("subject_code") and b.get("subject_code") and a["subject_code"] != b["subject_code"]
    ):
        code, severity = "XC-SCOPE", "info"
        why_en = "they cover a different scope (period span or area), so both may hold"
        why_vi = "phạm vi khác nhau (khoảng thời gian hoặc địa bàn), cả hai có thể cùng đúng"
    elif date_a and date_b and date_a != date_b:
        code, severity = "XC-REVISED", "warning"
        later = _later(a, b)
        why_en = f"the reports have different dates: the later one ({later}) revises the figure"
        why_vi = f"hai bài có ngày khác nhau: bài sau ({later}) điều chỉnh số liệu"
    else:
        code, severity = "XC-CONFLICT", "warning"
        why_en = "nothing in the reports explains the difference"
        why_vi = "không có thông tin giải thích sự khác biệt"
    what = _what(a)
    extra_en = _more_en(others)
    extra_vi = _more_vi(others)
    return Finding(
        code=code,
        severity=severity,  # type: ignore[arg-type]
        claims=[_ref(a), _ref(b)],
        stated=ia.as_tuple(),
        implied=ib.as_tuple(),
        message_en=(
            f"{what}: {a['article_id']} ({date_a or 'undated'}) says {a['text']!s} "
            f"({show(ia)}), {b['article_id']} ({date_b or 'undated'}) says {b['text']!s} "
            f"({show(ib)}); the intervals cannot meet — {why_en}.{extra_en}"
        ),
        message_vi=(
            f"{what}: {a['article_id']} ({date_a or 'không ngày'}) ghi {a['text']!s} "
            f"({show(ia, 'vi')}), {b['article_id']} ({date_b or 'không ngày'}) ghi {b['text']!s} "
            f"({show(ib, 'vi')}); hai khoảng không giao nhau — {why_vi}.{extra_vi}"
        ),
        article_id=_later(a, b),
    )


def _vi_en(by_interval: Sequence[tuple[Interval, list[dict]]]) -> Iterator[Finding]:
    vi = [(i, [r for r in rows if r.get("lang") == "vi"]) for i, rows in by_interval]
    en = [(i, [r for r in rows if r.get("lang") == "en"]) for i, rows in by_interval]
    for (ia, ra), (ib, rb) in itertools.product(vi, en):
        if not ra or not rb or not ia.intersects(ib):
            continue
        pair = _pick_pair(ra, rb)
        if pair is None:
            continue
        a, b = pair
        what = _what(a)
        yield Finding(
            code="XC-VI-EN",
            severity="info",
            claims=[_ref(a), _ref(b)],
            stated=ia.as_tuple(),
            implied=ib.as_tuple(),
            message_en=(
                f"{what}: the Vietnamese report {a['article_id']} ({a['text']}) and the English "
                f"report {b['article_id']} ({b['text']}) give the same figure "
                f"({show(ia)}) ∩ ({show(ib)}).{_more_en((len(ra), len(rb)))}"
            ),
            message_vi=(
                f"{what}: bài tiếng Việt {a['article_id']} ({a['text']}) và bài tiếng Anh "
                f"{b['article_id']} ({b['text']}) nêu cùng một số liệu "
                f"({show(ia, 'vi')}) ∩ ({show(ib, 'vi')}).{_more_vi((len(ra), len(rb)))}"
            ),
            article_id=_later(a, b),
        )


def _growth_rule(members: list[dict]) -> Iterator[Finding]:
    """A change for year Y against the levels of Y and its base year (Y-1 unless stated).

    Each distinct change figure is tested once (a figure repeated by many reports is one test),
    against the distinct level figures of Y and of the base year.
    """
    levels: dict[tuple, list[dict]] = {}
    changes: dict[tuple, list[dict]] = {}
    for row in members:
        period = row.get("period_label") or ""
        if not _YEAR.match(period):
            continue
        if row["kind"] == "level":
            levels.setdefault((row["unit"], row.get("per") or "", period), []).append(row)
        elif row["kind"] == "change":
            base = row.get("base_period") or str(int(period) - 1)
            key = (period, base, row["unit"], row.get("per") or "", row["interval"])
            changes.setdefault(key, []).append(row)
    emitted = 0
    for (year, base_year, unit, per, interval), rows in sorted(
        changes.items(), key=lambda kv: (*kv[0][:4], _interval_sort(kv[0][4]))
    ):
        if not _YEAR.match(base_year):
            continue
        rows.sort(key=_chrono)
        change, own = rows[0], {r["article_id"] for r in rows}
        relative = unit == "percent"
        for (lunit, lper, period), current_rows in sorted(levels.items()):
            if period != year or (relative and lunit == "percent"):
                continue  # a % change of a rate is ambiguous (points or percent)
            if not relative and (lunit, lper) != (unit, per):
                continue
            base_rows = _own_first(levels.get((lunit, lper, base_year), []), own)
            for (ic, cur_rows), (ib, base_group) in itertools.product(
                _by_interval(_own_first(current_rows, own)), _by_interval(base_rows)
            ):
                cur, base = cur_rows[0], base_group[0]
                if len({cur["article_id"], base["article_id"], change["article_id"]}) < 2:
                    continue  # all in one article: the per-article checker's job
                implied = _implied_change(ic, ib, relative=relative)
                if interval.intersects(implied):
                    continue
                emitted += 1
                yield _growth_finding(change, cur, base, implied, relative=relative)
                if emitted >= _MAX_GROWTH:
                    return


def _own_first(rows: list[dict], own: set[str]) -> list[dict]:
    """The levels stated next to the change when there are some (the change is about them)."""
    mine = [r for r in rows if r["article_id"] in own]
    return mine or rows


def _implied_change(current: Interval, base: Interval, *, relative: bool) -> Interval:
    """(current / base − 1) × 100, or current − base for an absolute change."""
    if relative:
        return (current / base - _ONE).scale(_HUNDRED)
    return current - base


def _growth_finding(change: dict, cur: dict, base: dict, implied: Interval, *, relative: bool) -> Finding:
    what = _what(change, with_period=False)
    how = "(current/base − 1) × 100" if relative else "current − base"
    how_vi = "(kỳ này/kỳ gốc − 1) × 100" if relative else "kỳ này − kỳ gốc"
    latest = max((change, cur, base), key=_chrono)["article_id"]
    return Finding(
        code="XC-GROWTH",
        severity="warning",
        claims=[_ref(change), _ref(cur), _ref(base)],
        stated=change["interval"].as_tuple(),
        implied=implied.as_tuple(),
        message_en=(
            f"{what}: {change['article_id']} gives a change of {change['text']} "
            f"({show(change['interval'])}) for {change['period_label']}, but the levels "
            f"{cur['text']} ({cur['period_label']}, {cur['article_id']}) and {base['text']} "
            f"({base['period_label']}, {base['article_id']}) imply {how} = {show(implied)}; "
            "the intervals cannot meet."
        ),
        message_vi=(
            f"{what}: {change['article_id']} ghi mức thay đổi {change['text']} "
            f"({show(change['interval'], 'vi')}) năm {change['period_label']}, nhưng các mức "
            f"{cur['text']} ({cur['period_label']}, {cur['article_id']}) và {base['text']} "
            f"({base['period_label']}, {base['article_id']}) cho {how_vi} = {show(implied, 'vi')}; "
            "hai khoảng không giao nhau."
        ),
        article_id=latest,
    )


def _what(row: dict, *, with_period: bool = True) -> str:
    label = row.get("indicator_label") or row["indicator_key"]
    period = f", {row['period_label']}" if with_period and row.get("period_label") else ""
    return f"{label} ({row['subject']}{period})"


def _more_en(counts: tuple[int, int]) -> str:
    extra = counts[0] + counts[1] - 2
    noun = "mention" if extra == 1 else "mentions"
    return f" ({extra} more {noun} with the same intervals.)" if extra > 0 else ""


def _more_vi(counts: tuple[int, int]) -> str:
    extra = counts[0] + counts[1] - 2
    return f" (Thêm {extra} lần nêu cùng khoảng.)" if extra > 0 else ""


def _ref(row: dict[str, Any]) -> ClaimRef:
    return ClaimRef(start=row["start"], end=row["end"], text=row["text"], value=row["value"],
                    unit=row["unit"], article_id=row["article_id"])
