"""Period and indicator quality in isolation: gold claims in, our period/indicator out.

Gold claims (optional ones included, as a recogniser may find them) become Claim objects with
``period`` and ``indicator`` blanked; :func:`extractor.periods.assign_periods` and
:func:`extractor.indicators.assign_indicators` fill them; required claims are scored as the gold
README says (period accuracy with null == null; indicator token F1 after lowercasing).

    python benchmarks/bench_context.py [gold.jsonl] [--misses]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractor.evaluate import token_f1
from extractor.indicators import assign_indicators
from extractor.periods import assign_periods
from extractor.records import Claim

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev.jsonl"
_SENT = re.compile(r"(?<=[.!?…])\s+|\n+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def gold_claims(row: dict[str, Any]) -> list[Claim]:
    """Gold claims as Claim objects with period and indicator blanked (text order)."""
    spans = sentence_spans(row["text"])
    out = []
    for g in sorted(row["claims"], key=lambda c: c["start"]):
        s0, s1 = next(((a, b) for a, b in spans if a <= g["start"] < b), (g["start"], g["start"]))
        value = Decimal(str(g["value"]))
        vmax = Decimal(str(g["value_max"])) if g.get("value_max") is not None else None
        out.append(
            Claim(
                text=g["text"],
                start=g["start"],
                end=g["start"] + len(g["text"]),
                value=value,
                value_max=vmax,
                of=Decimal(str(g["of"])) if g.get("of") is not None else None,
                per=g.get("per"),
                unit=g["unit"],
                noun=g.get("noun"),
                qualifier=g.get("qualifier", "exact"),
                kind=g.get("kind", "level"),
                direction=g.get("direction"),
                lang=row.get("lang") or "vi",
                sentence_start=s0,
                sentence_end=max(s1, g["start"] + len(g["text"])),
                low=value,
                high=vmax if vmax is not None else value,
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default=str(DEFAULT))
    ap.add_argument("--misses", action="store_true", help="list every wrong period / weak indicator")
    args = ap.parse_args(argv)
    path = Path(args.gold)
    if not path.is_file():
        print(f"gold file not found: {path}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    per_hits: dict[str, list[int]] = defaultdict(list)
    ind_f1: dict[str, list[float]] = defaultdict(list)
    misses: list[str] = []
    elapsed = 0.0
    for row in rows:
        lang = row.get("lang") or "vi"
        date = dt.date.fromisoformat(row["date"]) if row.get("date") else None
        claims = gold_claims(row)
        t0 = time.perf_counter()
        claims = assign_periods(row["text"], claims, lang=lang, date=date)
        claims = assign_indicators(row["text"], claims, lang=lang)
        elapsed += time.perf_counter() - t0
        gold = sorted(row["claims"], key=lambda c: c["start"])
        for c, g in zip(claims, gold, strict=True):
            if g.get("optional"):
                continue
            hit = (c.period or None) == (g.get("period") or None)
            f1 = token_f1(c.indicator, g.get("indicator"))
            for key in ("all", lang):
                per_hits[key].append(int(hit))
                ind_f1[key].append(f1)
            if args.misses and not hit:
                misses.append(f"PERIOD {row['id']} {g['text']!r}: got {c.period} want {g.get('period')}")
            if args.misses and f1 < 0.6:
                misses.append(f"IND {f1:.2f} {row['id']} {g['text']!r}: got {c.indicator!r} want {g.get('indicator')!r}")
    for line in misses:
        print(line)
    print(f"{'lang':<5} {'claims':>6} {'period':>7} {'indicator_f1':>12}")
    for key in ("vi", "en", "all"):
        if per_hits.get(key):
            n = len(per_hits[key])
            print(f"{key:<5} {n:>6} {sum(per_hits[key]) / n:>7.3f} {sum(ind_f1[key]) / n:>12.3f}")
    print(f"time: {elapsed:.2f}s for {len(rows)} articles (periods + indicators, incl. first-load)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
