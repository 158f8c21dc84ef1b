"""Fact-check a text against the dataset: each figure → consistent / inconsistent / not_found.

The figures of the text are extracted and observed as usual (:func:`extractor.extract`,
:func:`extractor.observe`), then looked up among the stored observations with the same unit,
``per``, kind and indicator (key, or the same label when the key is unknown). Where both sides
name a subject or a period they must agree; where the new text names none, the lookup falls back
to indicator + unit (+ period when known) and prefers the candidates that agree on more of
subject/period, then the closest values, then the latest reports.

Verdict: ``consistent`` when the figure's interval meets the interval of one of the best
candidates, ``inconsistent`` when it meets none of them, ``not_found`` without candidates.
Intervals are those of :mod:`extractor.crosscheck` (rounding, qualifier, ±5 % for approx).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from extractor.checks.intervals import Interval, claim_interval
from extractor.crosscheck import fmt_num, gap, obs_interval, show, show_number
from extractor.records import Article, Claim, Observation

if TYPE_CHECKING:
    from extractor.store import Store

__all__ = ["Evidence", "Verdict", "factcheck"]

VerdictName = Literal["consistent", "inconsistent", "not_found"]
_QUOTE_MAX = 400


@dataclass(frozen=True)
class Evidence:
    """A stored figure that the checked figure was compared with."""

    article_id: str
    title: str | None
    date: dt.date | None
    url: str | None
    quote: str
    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    per: str | None
    subject: str | None
    period: str | None
    interval: Interval
    meets: bool
    arithmetic: str

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "url": self.url,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": fmt_num(self.value),
            "unit": self.unit,
            "per": self.per,
            "subject": self.subject,
            "period": self.period,
            "interval": _interval_json(self.interval),
            "meets": self.meets,
            "arithmetic": self.arithmetic,
        }


@dataclass(frozen=True)
class Verdict:
    """The verdict on one figure of the checked text, with the evidence and the arithmetic."""

    claim: Claim
    subject: str | None
    indicator_key: str | None
    indicator_label: str | None
    period: str | None
    interval: Interval
    verdict: VerdictName
    arithmetic: str
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        row = self.claim.model_dump(mode="json", exclude_none=True)
        row.update(
            subject=self.subject,
            indicator_key=self.indicator_key,
            indicator_label=self.indicator_label,
            period=self.period,
            interval=_interval_json(self.interval),
            verdict=self.verdict,
            arithmetic=self.arithmetic,
            evidence=[e.to_json() for e in self.evidence],
        )
        return row


def factcheck(
    text: str,
    *,
    store: Store,
    lang: str | None = None,
    date: dt.date | None = None,
    limit: int = 3,
) -> list[Verdict]:
    """One :class:`Verdict` per figure extracted from ``text``."""
    from extractor import detect_lang, extract
    from extractor.pipeline import observe_fn

    lang = lang or detect_lang(text)
    article = Article(id="factcheck", text=text, lang=lang, date=date)
    claims = extract(text, lang=lang, date=date)
    observed = {o.claim_index: o for o in observe_fn()(article, claims)}
    return [
        _verdict(claim, observed.get(i) or _bare_observation(claim, i), store=store, limit=limit)
        for i, claim in enumerate(claims)
    ]


def _bare_observation(claim: Claim, index: int) -> Observation:
    """What a claim says when the observer gave no row for it."""
    return Observation(
        article_id="factcheck", claim_index=index, indicator_label=claim.indicator,
        period_label=claim.period, value=claim.value, value_max=claim.value_max, low=claim.low,
        high=claim.high, unit=claim.unit, per=claim.per, kind=claim.kind,
        direction=claim.direction, qualifier=claim.qualifier, start=claim.start, end=claim.end,
        text=claim.text, lang=claim.lang,
    )


def _verdict(claim: Claim, obs: Observation, *, store: Store, limit: int) -> Verdict:
    interval = claim_interval(claim, signed=claim.kind == "change")
    base = {
        "claim": claim, "subject": obs.subject, "indicator_key": obs.indicator_key,
        "indicator_label": obs.indicator_label, "period": obs.period_label, "interval": interval,
    }
    label = (obs.indicator_label or "").strip().lower()
    if not obs.indicator_key and not label:
        return Verdict(**base, verdict="not_found",
                       arithmetic="no indicator could be read for this figure; nothing to look up")
    rows = store.observation_dicts(
        "o.unit = ? AND coalesce(o.per, '') = ? AND o.kind = ? "
        "AND (o.indicator_key = ? OR lower(trim(o.indicator_label)) = ?)",
        [obs.unit, obs.per or "", obs.kind, obs.indicator_key, label or None],
    )
    scored = [(s, r) for r in rows if (s := _score(obs, r)) is not None]
    if not scored:
        return Verdict(**base, verdict="not_found", arithmetic=(
            f"no stored figure with indicator {obs.indicator_key or obs.indicator_label!r}, "
            f"unit {_unit(obs.unit, obs.per)}, kind {obs.kind}"
            + (f", subject {obs.subject!r}" if obs.subject else "")
            + (f", period {obs.period_label}" if obs.period_label else "")
        ))
    best = max(s for s, _ in scored)
    top = [r for s, r in scored if s == best]
    for row in top:
        row["interval"] = obs_interval(row)
        row["gap"] = gap(interval, row["interval"])
    top.sort(key=lambda r: (r["gap"], -_ordinal(r.get("article_date")), r["article_id"], r["start"]))
    chosen = top[:limit]
    evidence = _evidence(chosen, interval, claim, store)
    ok = any(e.meets for e in evidence)
    stated = f"{claim.text} → {show(interval)}{_qual_note(obs.qualifier)}"
    if ok:
        hit = next(e for e in evidence if e.meets)
        arithmetic = (f"{stated} meets {hit.text} → {show(hit.interval)} "
                      f"({hit.article_id}, {hit.date or 'undated'})")
    else:
        first = evidence[0]
        arithmetic = (f"{stated} cannot meet {first.text} → {show(first.interval)} "
                      f"({first.article_id}, {first.date or 'undated'}): {first.arithmetic}")
    return Verdict(**base, verdict="consistent" if ok else "inconsistent",
                   arithmetic=arithmetic, evidence=evidence)


def _score(obs: Observation, row: dict) -> int | None:
    """How closely a stored row matches: None excludes it (a named subject or period differs)."""
    score = 0
    for mine, theirs, weight in (
        (obs.subject, row.get("subject"), 4),
        (obs.subject_code, row.get("subject_code"), 1),
        (obs.period_label, row.get("period_label"), 4),
        (obs.base_period, row.get("base_period"), 1),
    ):
        if mine and theirs:
            if _norm(mine) != _norm(theirs):
                return None
            score += weight
    if obs.indicator_key and obs.indicator_key == row.get("indicator_key"):
        score += 2
    if obs.indicator_label and _norm(obs.indicator_label) == _norm(row.get("indicator_label") or ""):
        score += 1
    return score


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _ordinal(date: dt.date | None) -> int:
    return date.toordinal() if date else 0


def _evidence(rows: list[dict], interval: Interval, claim: Claim, store: Store) -> list[Evidence]:
    info = store.article_info(r["article_id"] for r in rows)
    texts = {aid: store.article_text(aid) or "" for aid in {r["article_id"] for r in rows}}
    out = []
    for row in rows:
        art = info.get(row["article_id"])
        text = texts[row["article_id"]]
        s0 = row.get("sentence_start")
        s1 = row.get("sentence_end")
        quote = text[s0:s1] if s0 is not None and s1 is not None and s1 > s0 else text[
            max(0, row["start"] - 120) : row["end"] + 120]
        ok = interval.intersects(row["interval"])
        out.append(Evidence(
            article_id=row["article_id"], title=art.title if art else None,
            date=art.date if art else None, url=art.url if art else None,
            quote=quote.strip()[:_QUOTE_MAX], start=row["start"], end=row["end"], text=row["text"],
            value=row["value"], unit=row["unit"], per=row.get("per"), subject=row.get("subject"),
            period=row.get("period_label"), interval=row["interval"], meets=ok,
            arithmetic=_compare(claim, interval, row, ok),
        ))
    return out


def _compare(claim: Claim, mine: Interval, row: dict, ok: bool) -> str:
    theirs = row["interval"]
    if ok:
        return f"{show(mine)} ∩ {show(theirs)} is not empty"
    text = f"{show(mine)} and {show(theirs)} do not meet (gap {show_number(gap(mine, theirs))})"
    value = Decimal(row["value"])
    if value and claim.value:
        ratio = Decimal(claim.value) / value
        text += f"; ratio {show_number(ratio)}"
        if Decimal(900) <= ratio <= Decimal(1100) or Decimal("0.0009") <= ratio <= Decimal("0.0011"):
            text += " ≈ 1000: a scale slip (tỉ/triệu)?"
    return text


def _qual_note(qualifier: str) -> str:
    return {
        "approx": " (approx: ±5%)", "over": " (over: open top)", "at_least": " (at least)",
        "under": " (under: open bottom)", "at_most": " (at most)",
    }.get(qualifier, "")


def _unit(unit: str, per: str | None) -> str:
    return f"{unit}/{per}" if per else unit


def _interval_json(interval: Interval) -> list[str | None]:
    return [fmt_num(v) if v is not None else None for v in interval.as_tuple()]
