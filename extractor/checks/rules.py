"""The rule catalogue: each rule a small function with a stable code.

Relation rules (``SUM``, ``PART``, ``GROWTH``, ``TARGET``, ``SHARE``, ``MULTIPLE``, ``SAME``) evaluate
a detected :class:`~extractor.checks.relations.Relation` under two readings of the figures:

* holds under the strict reading → no finding;
* holds only under the robust reading (trailing zeros as rounding, an incomplete list) → ``warning``;
* holds under neither → ``error``.

A relation detected from a loose cue (``weak``) is reported at most as a ``warning``. Single-figure rules
(``SHARE_GT_100``, ``RATIO_GT_1``, ``MAGNITUDE``) and implied values (``IMPLIED_BASE``,
``IMPLIED_TARGET``, ``IMPLIED_WHOLE``, ``IMPLIED_REST``, severity ``info``) complete the catalogue.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from extractor.checks.intervals import HUNDRED, INF, NEG_INF, ONE, ZERO, Interval, claim_interval
from extractor.checks.messages import Say, pct, show, show_interval
from extractor.checks.relations import Doc, Implied, Relation
from extractor.records import Claim, ClaimRef, Finding

__all__ = ["CODES", "evaluate_implied", "evaluate_relation", "single_claim_findings"]

CODES = {
    "SUM": "a total and its parts",
    "PART": "a part larger than its whole",
    "GROWTH": "level, change and base",
    "TARGET": "actual, attainment and plan",
    "SHARE": "part, share and whole",
    "MULTIPLE": "level, factor and base",
    "SAME": "one figure stated twice",
    "SHARE_GT_100": "a share above 100%",
    "RATIO_GT_1": "x/y with x > y",
    "MAGNITUDE": "an implausible magnitude",
    "IMPLIED_BASE": "the base a change implies",
    "IMPLIED_TARGET": "the plan an attainment implies",
    "IMPLIED_WHOLE": "the whole a share implies",
    "IMPLIED_REST": "the remainder a breakdown implies",
}

Reading = Callable[[int], Interval]


@dataclass(frozen=True)
class Outcome:
    """Result of a relation under one reading: does it hold; the stated vs implied figure."""

    holds: bool
    focal: int
    stated: Interval
    implied: Interval
    say: Callable[[], Say]  # built only for a finding


def _ref(doc: Doc, i: int) -> ClaimRef:
    c = doc.claims[i]
    return ClaimRef(start=c.start, end=c.end, text=c.text, value=c.value, unit=c.unit)


def _reader(doc: Doc, *, robust: bool) -> Reading:
    cache: dict[int, Interval] = {}

    def read(i: int) -> Interval:
        if i not in cache:
            cache[i] = claim_interval(doc.claims[i], robust=robust)
        return cache[i]

    return read


def _signed(claim: Claim, interval: Interval) -> list[Interval]:
    """A change as signed interval(s): both signs when the direction is unknown."""
    if claim.direction == "down":
        return [-interval]
    if claim.direction == "up":
        return [interval]
    return [interval, -interval]


def _hull(intervals: list[Interval]) -> Interval:
    out = intervals[0]
    for iv in intervals[1:]:
        out = out.hull(iv)
    return out


# ---------------------------------------------------------------------- relation rules


def _sum_parts(doc: Doc, rel: Relation, r: Reading) -> tuple[int, tuple[int, ...], Interval, Interval]:
    total = rel.members["total"]
    parts = rel.members["parts"]
    assert isinstance(total, int) and isinstance(parts, tuple)
    implied = r(parts[0])
    for p in parts[1:]:
        implied = implied + r(p)
    return total, parts, r(total), implied


def _sum(doc: Doc, rel: Relation, r: Reading) -> Outcome:
    """Total = sum of the parts (a complete breakdown)."""
    total, parts, stated, implied = _sum_parts(doc, rel, r)
    ct = doc.claims[total]
    terms = {lang: " + ".join(show(doc.claims[p], lang) for p in parts) for lang in ("vi", "en")}
    say = lambda: Say(  # noqa: E731
        vi=f"{terms['vi']} = {show_interval(implied, ct, 'vi')}, nhưng tổng được nêu là {show(ct, 'vi')}",
        en=f"{terms['en']} = {show_interval(implied, ct, 'en')}, but the stated total is {show(ct, 'en')}",
    )
    return Outcome(stated.intersects(implied), total, stated, implied, say)


def _sum_bound(doc: Doc, rel: Relation, r: Reading) -> Outcome:
    """Parts never exceed their total, whether or not the list is complete."""
    total, parts, stated, implied = _sum_parts(doc, rel, r)
    ct = doc.claims[total]
    terms = {lang: " + ".join(show(doc.claims[p], lang) for p in parts) for lang in ("vi", "en")}
    say = lambda: Say(  # noqa: E731
        vi=f"{terms['vi']} = {show_interval(implied, ct, 'vi')}, vượt cả tổng {show(ct, 'vi')}",
        en=f"{terms['en']} = {show_interval(implied, ct, 'en')}, more than the whole {show(ct, 'en')}",
    )
    return Outcome(implied.lo <= stated.hi, total, stated, implied, say)


def _part(doc: Doc, rel: Relation, r: Reading) -> Outcome:
    part, whole = rel.members["part"], rel.members["whole"]
    assert isinstance(part, int) and isinstance(whole, int)
    cp, cw = doc.claims[part], doc.claims[whole]
    implied = Interval(ZERO if r(whole).lo >= 0 else NEG_INF, r(whole).hi)
    say = lambda: Say(  # noqa: E731
        vi=f"phần {show(cp, 'vi')} lớn hơn tổng {show(cw, 'vi')} (phần ≤ {show_interval(r(whole), cw, 'vi')})",
        en=f"part {show(cp, 'en')} exceeds its whole {show(cw, 'en')} (part ≤ {show_interval(r(whole), cw, 'en')})",
    )
    return Outcome(r(part).lo <= r(whole).hi, part, r(part), implied, say)


def _growth(doc: Doc, rel: Relation, r: Reading) -> Outcome:
    cur, chg, base = rel.members["current"], rel.members["change"], rel.members["base"]
    assert isinstance(cur, int) and isinstance(base, int)
    cc, cb = doc.claims[cur], doc.claims[base]
    if chg is None:  # direction only: "tăng từ A lên B" needs B ≥ A
        up = rel.mode.endswith("up")
        implied = Interval(r(base).lo, INF) if up else Interval(ZERO if r(base).lo >= 0 else NEG_INF, r(base).hi)
        verb_vi, verb_en = ("tăng", "a rise") if up else ("giảm", "a fall")
        say = lambda: Say(  # noqa: E731
            vi=f"{verb_vi} từ {show(cb, 'vi')} sang {show(cc, 'vi')} ⇒ phải {'≥' if up else '≤'} {show_interval(r(base), cb, 'vi')}",
            en=f"{verb_en} from {show(cb, 'en')} to {show(cc, 'en')} ⇒ must be {'≥' if up else '≤'} {show_interval(r(base), cb, 'en')}",
        )
        return Outcome(r(cur).intersects(implied), cur, r(cur), implied, say)
    assert isinstance(chg, int)
    ch = doc.claims[chg]
    candidates: list[Interval] = []
    modes = ("relative", "absolute") if rel.mode == "either" else (rel.mode,)
    for mode in modes:
        for signed in _signed(ch, r(chg)):
            if mode == "relative":
                candidates.append(r(base) * (Interval.point(ONE) + signed.scale(ONE / HUNDRED)))
            else:
                candidates.append(r(base) + signed)
    implied = _hull(candidates)
    sign = {"up": "+", "down": "−"}.get(ch.direction or "", "±")

    def expr(lang: str) -> str:
        base_s, change_s = show(cb, lang), show(ch, lang, direction=False)
        if rel.mode == "relative":
            return f"{base_s} × (1 {sign} {change_s})"
        return f"{base_s} {sign} {change_s}"

    say = lambda: Say(  # noqa: E731
        vi=f"{expr('vi')} ⇒ {show_interval(implied, cc, 'vi')}, nhưng bài nêu {show(cc, 'vi')}",
        en=f"{expr('en')} ⇒ {show_interval(implied, cc, 'en')}, but the text states {show(cc, 'en')}",
    )
    return Outcome(r(cur).intersects(implied), cur, r(cur), implied, say)


def _target(doc: Doc, rel: Relation, r: Reading) -> Outcome:
    act, att, plan = rel.members["actual"], rel.members["attainment"], rel.members["plan"]
    assert isinstance(act, int) and isinstance(att, int) and isinstance(plan, int)
    ca, ct, cp = doc.claims[act], doc.claims[att], doc.claims[plan]
    implied = r(plan) * r(att).scale(ONE / HUNDRED)
    say = lambda: Say(  # noqa: E731
        vi=f"{show(ct, 'vi')} của kế hoạch {show(cp, 'vi')} ⇒ {show_interval(implied, ca, 'vi')}, nhưng bài nêu {show(ca, 'vi')}",
        en=f"{show(ct, 'en')} of the plan {show(cp, 'en')} ⇒ {show_interval(implied, ca, 'en')}, but the text states {show(ca, 'en')}",
    )
    return Outcome(r(act).intersects(implied), act, r(act), implied, say)


def _share(doc: Doc, rel: Relation, r: Reading) -> Outcome:
    part, share, whole = rel.members["part"], rel.members["share"], rel.members["whole"]
    assert isinstance(part, int) and isinstance(share, int) and isinstance(whole, int)
    cp, cs, cw = doc.claims[part], doc.claims[share], doc.claims[whole]
    implied = r(whole) * r(share).scale(ONE / HUNDRED)
    say = lambda: Say(  # noqa: E731
        vi=f"{show(cs, 'vi')} của {show(cw, 'vi')} ⇒ {show_interval(implied, cp, 'vi')}, nhưng bài nêu {show(cp, 'vi')}",
        en=f"{show(cs, 'en')} of {show(cw, 'en')} ⇒ {show_interval(implied, cp, 'en')}, but the text states {show(cp, 'en')}",
    )
    return Outcome(r(part).intersects(implied), part, r(part), implied, say)


def _factor(rel: Relation, iv: Interval) -> Interval:
    return Interval(iv.lo, iv.hi + ONE) if rel.mode == "times_or_plus" else iv


def _multiple(doc: Doc, rel: Relation, r: Reading) -> Outcome:
    cur, fac, base = rel.members["current"], rel.members["factor"], rel.members["base"]
    assert isinstance(cur, int) and isinstance(fac, int) and isinstance(base, int)
    cc, cf, cb = doc.claims[cur], doc.claims[fac], doc.claims[base]
    implied = r(base) * _factor(rel, r(fac))
    say = lambda: Say(  # noqa: E731
        vi=f"{show(cb, 'vi')} × {show(cf, 'vi')} ⇒ {show_interval(implied, cc, 'vi')}, nhưng bài nêu {show(cc, 'vi')}",
        en=f"{show(cb, 'en')} × {show(cf, 'en')} ⇒ {show_interval(implied, cc, 'en')}, but the text states {show(cc, 'en')}",
    )
    return Outcome(r(cur).intersects(implied), cur, r(cur), implied, say)


def _same(doc: Doc, rel: Relation, r: Reading) -> Outcome:
    a, b = rel.members["a"], rel.members["b"]
    assert isinstance(a, int) and isinstance(b, int)
    ca, cb = doc.claims[a], doc.claims[b]
    say = lambda: Say(  # noqa: E731
        vi=f"cùng một số liệu được nêu hai lần nhưng không khớp: {show(ca, 'vi')} ({show_interval(r(a), ca, 'vi')}) và {show(cb, 'vi')} ({show_interval(r(b), cb, 'vi')})",
        en=f"the same figure stated twice does not agree: {show(ca, 'en')} ({show_interval(r(a), ca, 'en')}) vs {show(cb, 'en')} ({show_interval(r(b), cb, 'en')})",
    )
    return Outcome(r(a).intersects(r(b)), b, r(b), r(a), say)


RULES: dict[str, tuple[str, Callable[[Doc, Relation, Reading], Outcome]]] = {
    "sum": ("SUM", _sum),
    "part": ("PART", _part),
    "growth": ("GROWTH", _growth),
    "target": ("TARGET", _target),
    "share": ("SHARE", _share),
    "multiple": ("MULTIPLE", _multiple),
    "same": ("SAME", _same),
}

_LOWER = {"error": "warning", "warning": "warning", "info": "info"}  # a weak relation caps at warning


def _judge(doc: Doc, rel: Relation, fn: Callable[[Doc, Relation, Reading], Outcome]) -> tuple[str, Outcome] | None:
    strict = fn(doc, rel, _reader(doc, robust=False))
    if strict.holds:
        return None
    robust = fn(doc, rel, _reader(doc, robust=True))
    return ("warning" if robust.holds else "error"), strict


def evaluate_relation(doc: Doc, rel: Relation, *, article_id: str | None = None) -> Finding | None:
    """The finding for a broken relation, or ``None`` when some reading satisfies it."""
    code, fn = RULES[rel.type]
    verdict = None
    if rel.type == "sum":
        verdict = _judge(doc, rel, _sum_bound)
        if verdict is None:
            verdict = _judge(doc, rel, _sum)
            if verdict is not None and rel.mode != "complete":
                verdict = None if rel.mode == "open" else ("warning", verdict[1])
    else:
        verdict = _judge(doc, rel, fn)
    if verdict is None:
        return None
    severity, out = verdict
    if rel.strength == "weak":
        severity = _LOWER[severity]
    members = [out.focal] + [i for i in rel.indices() if i != out.focal]
    say = out.say()
    return Finding(
        code=code,
        severity=severity,  # type: ignore[arg-type]
        claims=[_ref(doc, i) for i in dict.fromkeys(members)],
        stated=out.stated.as_tuple(),
        implied=out.implied.as_tuple(),
        message_vi=say.vi,
        message_en=say.en,
        article_id=article_id,
    )


# ---------------------------------------------------------------------- implied values (info)


def evaluate_implied(doc: Doc, imp: Implied, *, article_id: str | None = None) -> Finding | None:
    r = _reader(doc, robust=False)
    m = imp.members
    if imp.type in ("base", "target") and "change" in m:
        cur, chg = m["current"], m["change"]
        assert isinstance(cur, int) and isinstance(chg, int)
        cc, ch = doc.claims[cur], doc.claims[chg]
        candidates = []
        for signed in _signed(ch, r(chg)):
            if imp.mode in ("relative", "either"):
                candidates.append(r(cur) / (Interval.point(ONE) + signed.scale(ONE / HUNDRED)))
            if imp.mode in ("absolute", "either"):
                candidates.append(r(cur) - signed)
        implied = _hull(candidates)
        members = [cur, chg]
        lhs_vi, lhs_en = f"{show(cc, 'vi')}, {show(ch, 'vi')}", f"{show(cc, 'en')}, {show(ch, 'en')}"
        like = cc
    elif imp.type in ("base", "target") and "factor" in m:
        cur, fac = m["current"], m["factor"]
        assert isinstance(cur, int) and isinstance(fac, int)
        cc, cf = doc.claims[cur], doc.claims[fac]
        implied = r(cur) / _factor(Relation("multiple", {}, mode=imp.mode), r(fac))
        members = [cur, fac]
        lhs_vi, lhs_en = f"{show(cc, 'vi')}, gấp {show(cf, 'vi')}", f"{show(cc, 'en')}, {show(cf, 'en')} times"
        like = cc
    elif imp.type == "target":
        act, att = m["actual"], m["attainment"]
        assert isinstance(act, int) and isinstance(att, int)
        ca, ct = doc.claims[act], doc.claims[att]
        implied = r(act) / r(att).scale(ONE / HUNDRED)
        members = [act, att]
        lhs_vi, lhs_en = f"{show(ca, 'vi')} = {show(ct, 'vi')} chỉ tiêu", f"{show(ca, 'en')} = {show(ct, 'en')} of target"
        like = ca
    elif imp.type == "whole":
        part, share = m["part"], m["share"]
        assert isinstance(part, int) and isinstance(share, int)
        cp, cs = doc.claims[part], doc.claims[share]
        implied = r(part) / r(share).scale(ONE / HUNDRED)
        members = [part, share]
        lhs_vi, lhs_en = f"{show(cp, 'vi')} = {show(cs, 'vi')}", f"{show(cp, 'en')} = {show(cs, 'en')}"
        like = cp
    elif imp.type == "rest":
        total, parts = m["total"], m["parts"]
        assert isinstance(total, int) and isinstance(parts, tuple)
        ct = doc.claims[total]
        implied = r(total)
        for p in parts:
            implied = implied - r(p)
        members = [total, *parts]
        lhs_vi = f"{show(ct, 'vi')} − " + " − ".join(show(doc.claims[p], "vi") for p in parts)
        lhs_en = f"{show(ct, 'en')} − " + " − ".join(show(doc.claims[p], "en") for p in parts)
        like = ct
    else:
        return None
    if not (implied.lo.is_finite() or implied.hi.is_finite()):
        return None
    label_vi, label_en = _labels(imp)
    return Finding(
        code={"base": "IMPLIED_BASE", "target": "IMPLIED_TARGET", "whole": "IMPLIED_WHOLE", "rest": "IMPLIED_REST"}[imp.type],
        severity="info",
        claims=[_ref(doc, i) for i in members],
        stated=None,
        implied=implied.as_tuple(),
        message_vi=f"{lhs_vi} ⇒ {label_vi} {_approx(show_interval(implied, like, 'vi'))}",
        message_en=f"{lhs_en} ⇒ {label_en} {_approx(show_interval(implied, like, 'en'))}",
        article_id=article_id,
    )


def _approx(shown: str) -> str:
    """``≈ 29,6–29,9 tỉ đồng``; an open interval already carries its sign (``≥ 3,28 tỉ đồng``)."""
    return shown if shown.startswith(("≥", "≤")) else f"≈ {shown}"


def _labels(imp: Implied) -> tuple[str, str]:
    if imp.type == "base":
        return (imp.label or "kỳ gốc"), (f"base ({imp.label})" if imp.label else "the base")
    if imp.type == "target":
        return "chỉ tiêu", "target"
    if imp.type == "whole":
        return "tổng", "the whole"
    return "phần còn lại", "the rest"


# ---------------------------------------------------------------------- single-figure rules


@functools.lru_cache(maxsize=1)
def _magnitudes() -> dict[str, dict[str, Decimal]]:
    with open(Path(__file__).with_name("magnitudes.toml"), "rb") as fh:
        data = tomllib.load(fh)
    return {level: {k: Decimal(str(v)) for k, v in table.items()} for level, table in data.items()}


def _magnitude_key(c: Claim) -> list[str]:
    base = c.unit + (f"/{c.per}" if c.per else "")
    return [f"{base}.{c.kind}", base] if not c.per else [base]


def _finding(doc: Doc, i: int, code: str, severity: str, stated: Interval, implied: Interval | None, say: Say, article_id: str | None) -> Finding:
    return Finding(
        code=code,
        severity=severity,  # type: ignore[arg-type]
        claims=[_ref(doc, i)],
        stated=stated.as_tuple(),
        implied=None if implied is None else implied.as_tuple(),
        message_vi=say.vi,
        message_en=say.en,
        article_id=article_id,
    )


def single_claim_findings(doc: Doc, i: int, *, article_id: str | None = None) -> list[Finding]:
    """``SHARE_GT_100``, ``RATIO_GT_1`` and ``MAGNITUDE`` for claim ``i``."""
    c = doc.claims[i]
    out: list[Finding] = []
    # the interval's lower end is never above the printed value (or the stated low): a figure at
    # or below every limit cannot break one, and most figures are (its interval is not built)
    ceiling = max(c.value, c.low)
    tables = _magnitudes()
    keys = _magnitude_key(c)
    limits = [
        next((tables.get(severity, {})[k] for k in keys if k in tables.get(severity, {})), None)
        for severity in ("error", "warning")
    ]
    share = c.kind == "share" and c.unit == "percent"
    over_ratio = c.of is not None and c.value > c.of
    if not (share and ceiling > HUNDRED) and not over_ratio and not any(lim is not None and ceiling > lim for lim in limits):
        return out
    iv = claim_interval(c)
    if share and iv.lo > HUNDRED:
        say = Say(
            vi=f"tỷ lệ {show(c, 'vi')} là một phần của tổng thể nên không thể vượt 100% (tối thiểu {pct(iv.lo, 'vi')})",
            en=f"share {show(c, 'en')} is a part of a whole and cannot exceed 100% (at least {pct(iv.lo, 'en')})",
        )
        out.append(_finding(doc, i, "SHARE_GT_100", "error", iv, Interval(ZERO, HUNDRED), say, article_id))
    if over_ratio:
        say = Say(
            vi=f"{c.text}: tử số {c.value.normalize():f} lớn hơn mẫu số {c.of.normalize():f}",
            en=f"{c.text}: numerator {c.value.normalize():f} is larger than denominator {c.of.normalize():f}",
        )
        out.append(_finding(doc, i, "RATIO_GT_1", "error", Interval.point(c.value), Interval(ZERO, c.of), say, article_id))
    for severity, limit in zip(("error", "warning"), limits, strict=True):
        if limit is not None and iv.lo > limit:
            say = Say(
                vi=f"{show(c, 'vi')} = {_sci(iv.lo)} {c.unit}{'/' + c.per if c.per else ''}, vượt mức hợp lý {_sci(limit)}",
                en=f"{show(c, 'en')} = {_sci(iv.lo)} {c.unit}{'/' + c.per if c.per else ''}, beyond the plausible {_sci(limit)}",
            )
            out.append(_finding(doc, i, "MAGNITUDE", severity, iv, Interval(ZERO, limit), say, article_id))
            break
    return out


def _sci(value: Decimal) -> str:
    if value < 10000:
        return f"{value.normalize():f}"
    exp = value.adjusted()
    mant = (value.scaleb(-exp)).quantize(Decimal("0.01"))
    return f"{mant.normalize():f}·10^{exp}"
