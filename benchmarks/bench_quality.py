"""Extraction quality on the gold dev set, scored as ``gold/FORMAT.md`` says.

    python benchmarks/bench_quality.py [--gold PATH] [--by-unit] [--misses N]

Prints, per language and overall: precision, recall and F1 of claims (span overlap + value +
unit, optional gold claims left out of both sides), and on matched pairs the accuracy of
qualifier, kind, direction (gold kind ``change``) and period, and the indicator token F1.
The scoring is :mod:`extractor.evaluate` (the same as ``chiso eval``); the evaluation gate of
``tests/test_golden_vi.py`` pins the Vietnamese F1 floor.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from extractor import extract
from extractor.evaluate import Score, by_unit, evaluate, load_gold

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "gold" / "dev.jsonl"
COLUMNS = ("precision", "recall", "f1", "qualifier", "kind", "direction", "period", "indicator_f1")


def predict(row: dict[str, Any]) -> list[dict[str, Any]]:
    claims = extract(row["text"], lang=row.get("lang"), date=row.get("date"))
    return [c.model_dump(mode="json", exclude_none=True) for c in claims]


def _row(name: str, s: Score) -> str:
    sm = s.summary()
    cells = " ".join(f"{sm[c]:>9.3f}" for c in COLUMNS)
    return f"{name:8} {cells} {s.tp:>5} {s.fp:>4} {s.fn:>4}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--gold", type=Path, default=GOLD, help="gold file (default ../shared/gold/dev.jsonl)"
    )
    ap.add_argument("--by-unit", action="store_true", help="also P/R/F1 per unit")
    ap.add_argument("--misses", type=int, default=0, help="print up to N misses")
    args = ap.parse_args(argv)
    if not args.gold.is_file():
        print(f"gold file not found: {args.gold}", file=sys.stderr)
        return 2
    rows = load_gold(args.gold)
    cache: dict[str, list[dict[str, Any]]] = {}

    def cached(row: dict[str, Any]) -> list[dict[str, Any]]:
        if row["id"] not in cache:
            cache[row["id"]] = predict(row)
        return cache[row["id"]]

    start = time.perf_counter()
    scores = evaluate(rows, cached)
    seconds = time.perf_counter() - start
    langs = sorted(k for k in scores if k != "all")
    counts = {lang: sum(1 for r in rows if r.get("lang") == lang) for lang in langs}
    print(
        f"gold: {args.gold} — {len(rows)} articles ({', '.join(f'{counts[k]} {k}' for k in langs)}), "
        f"extracted in {seconds:.1f} s"
    )
    head = " ".join(f"{c[:9]:>9}" for c in COLUMNS)
    print(f"{'':8} {head} {'tp':>5} {'fp':>4} {'fn':>4}")
    for lang in [*langs, "all"]:
        print(_row(lang, scores[lang]))
    if args.by_unit:
        print("\nby unit (all languages):")
        print(f"{'unit':18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}")
        for unit, s in sorted(by_unit(rows, cached).items()):
            print(
                f"{unit:18} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:>5} {s.fp:>4} {s.fn:>4}"
            )
    if args.misses:
        print(f"\nmisses (first {args.misses}):")
        for art, what, c in scores["all"].misses[: args.misses]:
            pred = f" pred={c['pred']!r}" if "pred" in c else ""
            gold = f" gold={c.get(what)!r}" if what not in ("fp", "fn") else ""
            print(
                f"  {art} {what:9} {c.get('start')}: {c.get('text')!r} {c.get('value')} {c.get('unit')}{pred}{gold}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
