"""Gold claims (``shared/gold/*.jsonl``, FORMAT.md) as :class:`extractor.records.Claim` objects.

Shared test helper: sentence spans are computed roughly (split after ``. ``, ``? ``, ``! `` and at
newlines) and ``low``/``high`` from the printed number(s) of the span, ± half a unit of the last
printed digit in the claim's own scale (``45,2 tỉ`` → 45,15–45,25 tỉ); spelled numbers
(``doubling``) get ± half their leading digit's place.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractor.checks.intervals import printed_numbers
from extractor.records import Article, Claim

GOLD_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "gold"
DEV = GOLD_DIR / "dev.jsonl"

_SENT_BREAK = re.compile(r"(?<=[.!?…])\s+|\n+")


def load_gold(path: Path = DEV) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_BREAK.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], start: int) -> tuple[int, int]:
    for a, b in spans:
        if a <= start < b:
            return a, b
    return start, start


def _spelled_half(value: Decimal) -> Decimal:
    if value == 0:
        return Decimal("0.5")
    return Decimal(5).scaleb(value.copy_abs().adjusted() - 1)


def rounding_bounds(span: str, value: Decimal, value_max: Decimal | None, lang: str) -> tuple[Decimal, Decimal]:
    """Strict rounding interval of a printed span given its (scaled) value(s)."""
    top = value_max if value_max is not None else value
    nums = printed_numbers(span, lang)
    if not nums:
        return value - _spelled_half(value), top + _spelled_half(top)
    first = nums[0]
    last = nums[-1] if value_max is not None and len(nums) > 1 else first
    halves = []
    for printed, v in ((first, value), (last, top)):
        scale = v / printed.value if printed.value else Decimal(1)
        halves.append(printed.half_unit * abs(scale))
    return value - halves[0], top + halves[1]


def claim_from_gold(
    g: dict[str, Any], *, lang: str, spans: list[tuple[int, int]], with_indicator: bool = True
) -> Claim:
    value = Decimal(str(g["value"]))
    value_max = Decimal(str(g["value_max"])) if g.get("value_max") is not None else None
    low, high = rounding_bounds(g["text"], value, value_max, lang)
    s0, s1 = _sentence_of(spans, g["start"])
    return Claim(
        text=g["text"],
        start=g["start"],
        end=g["start"] + len(g["text"]),
        value=value,
        value_max=value_max,
        of=Decimal(str(g["of"])) if g.get("of") is not None else None,
        per=g.get("per"),
        unit=g["unit"],
        noun=g.get("noun"),
        qualifier=g.get("qualifier", "exact"),
        kind=g.get("kind", "level"),
        direction=g.get("direction"),
        indicator=g.get("indicator") if with_indicator else None,
        period=g.get("period"),
        lang=lang,
        sentence_start=s0,
        sentence_end=s1,
        low=low,
        high=high,
    )


def gold_claims(row: dict[str, Any], *, with_indicator: bool = True) -> list[Claim]:
    """All gold claims of one article (optional ones included), in ``start`` order."""
    spans = sentence_spans(row["text"])
    lang = row.get("lang") or "vi"
    return [
        claim_from_gold(g, lang=lang, spans=spans, with_indicator=with_indicator)
        for g in sorted(row["claims"], key=lambda c: c["start"])
    ]


def gold_article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"], text=row["text"], lang=row.get("lang"), date=row.get("date"), title=row.get("title")
    )
