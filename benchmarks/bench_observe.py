"""Observation quality and cost on a gold file.

Prints, on required gold claims: period accuracy (``period_label``'s year against gold
``period``) and indicator token F1 of ``indicator_label``; how many members of the gold
``growth``/``target``/``share``/``multiple`` relations are linked as the relation says (the change,
factor, attainment or share has its current level/part among ``linked_claims``; the base, plan or
whole points at it with ``linked_claim``), and how many changes/factors name their base
(``base_claim``, for the pair they qualify first); the subjects of the seed article (with their
post-2025 successor); and the time observations add to extraction.

    python benchmarks/bench_observe.py [gold.jsonl] [--e2e]

Without ``--e2e`` the claims are the gold claims (period/indicator blanked, filled by
:mod:`extractor.periods`/:mod:`extractor.indicators`); with it they come from ``extract()``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_context import DEFAULT, gold_claims, token_f1

from extractor import extract
from extractor.indicators import assign_indicators
from extractor.observations import observe_article
from extractor.periods import assign_periods
from extractor.records import Article, Claim

ROLES = {
    "growth": (("change", "current"), ("base", "current")),
    "multiple": (("factor", "current"), ("base", "current")),
    "target": (("attainment", "actual"), ("plan", "actual")),
    "share": (("share", "part"), ("whole", "part")),
}
QUALIFIERS = frozenset({"change", "factor", "attainment", "share"})  # point at every level they qualify
BASES = {"growth": ("change", "base"), "multiple": ("factor", "base")}


def match_gold(claims: list[Claim], gold: list[dict]) -> dict[int, int]:
    """Gold index → index of the extracted claim matching it (gold README: spans overlap, equal
    value and unit; one-to-one, greedy in text order; optional gold claims may match too)."""
    out: dict[int, int] = {}
    for p in sorted(range(len(claims)), key=lambda k: claims[k].start):
        c = claims[p]
        for k, g in enumerate(gold):
            end = g["start"] + len(g["text"])
            if k not in out and c.start < end and g["start"] < c.end and c.unit == g["unit"] and c.value == Decimal(str(g["value"])):
                out[k] = p
                break
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default=str(DEFAULT))
    ap.add_argument("--e2e", action="store_true", help="observe extract()'s claims instead of gold claims")
    ap.add_argument("--repeat", type=int, default=3, help="timing repetitions (best of)")
    args = ap.parse_args(argv)
    path = Path(args.gold)
    if not path.is_file():
        print(f"gold file not found: {path}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    hits: dict[str, list[int]] = defaultdict(list)
    f1s: dict[str, list[float]] = defaultdict(list)
    links_ok = links_total = bases_ok = bases_total = 0
    link_misses: list[str] = []
    seed_subjects: Counter[tuple[str | None, str | None, str | None]] = Counter()
    for row in rows:
        lang = row.get("lang") or "vi"
        date = dt.date.fromisoformat(row["date"]) if row.get("date") else None
        article = Article(id=row["id"], text=row["text"], lang=lang, date=date)
        gold = sorted(row["claims"], key=lambda c: c["start"])
        if args.e2e:
            claims = extract(row["text"], lang=lang, date=date)
            at = match_gold(claims, gold)
        else:
            claims = gold_claims(row)
            claims = assign_periods(row["text"], claims, lang=lang, date=date)
            claims = assign_indicators(row["text"], claims, lang=lang)
            at = {k: k for k in range(len(gold))}
        obs_all = observe_article(article, claims)
        obs = [obs_all[at[k]] if k in at else None for k in range(len(gold))]
        for o, g in zip(obs, gold, strict=True):
            if o is None:
                continue  # --e2e: a gold claim the extractor missed
            if row["id"] == "vi-seed-0001":
                seed_subjects[(o.subject, o.subject_code, o.subject_successor)] += 1
            if g.get("optional"):
                continue
            year = None
            if o.period_label is not None:
                year = o.period_label.split("-Q")[0].split("-H")[0]
                year = year if "-" in year and len(year) == 9 else year[:4]
            for key in ("all", lang):
                hits[key].append(int((year or None) == (g.get("period") or None)))
                f1s[key].append(token_f1(o.indicator_label, g.get("indicator")))
        for rel in row.get("relations", []):
            roles = ROLES.get(rel["type"])
            if not roles:
                continue
            for member, head in roles:
                if member not in rel or head not in rel:
                    continue
                links_total += 1
                o, want = obs[rel[member]], at.get(rel[head], -1)
                if o is None or want < 0:
                    link_misses.append(f"{row['id']} {rel['type']} {member}={rel[member]} → {head}={rel[head]}: not extracted")
                    continue
                got = o.linked_claims if member in QUALIFIERS else o.linked_claim
                if (want in got) if member in QUALIFIERS else got == want:  # type: ignore[operator]
                    links_ok += 1
                else:
                    link_misses.append(f"{row['id']} {rel['type']} {member}={rel[member]} → {head}={rel[head]}: got {got}")
            first = obs[rel[BASES[rel["type"]][0]]] if rel["type"] in BASES else None
            if first is not None and first.linked_claim == at.get(rel["current"], -1):
                member, base = BASES[rel["type"]]
                bases_total += 1
                got_base = first.base_claim
                if got_base == at.get(rel[base], -1):
                    bases_ok += 1
                else:
                    link_misses.append(f"{row['id']} {rel['type']} {member}={rel[member]} base={rel[base]}: got base_claim {got_base}")
    print(f"{'lang':<5} {'claims':>6} {'period':>7} {'indicator_f1':>12}")
    for key in ("vi", "en", "all"):
        if hits.get(key):
            n = len(hits[key])
            print(f"{key:<5} {n:>6} {sum(hits[key]) / n:>7.3f} {sum(f1s[key]) / n:>12.3f}")
    print(f"relation links: {links_ok}/{links_total} members linked as the gold relation says")
    print(f"bases named: {bases_ok}/{bases_total} changes/factors with base_claim = the gold base")
    for line in link_misses:
        print("  missed:", line)
    print("seed subjects:", dict(seed_subjects))

    # cost: extraction alone vs extraction + observations (warm, best of N)
    articles = [
        Article(id=r["id"], text=r["text"], lang=r.get("lang") or "vi", date=r.get("date")) for r in rows
    ]
    for a in articles:  # warm caches and lazy imports
        observe_article(a, extract(a.text, lang=a.lang, date=a.date))
    best_x = best_o = float("inf")
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        extracted = [extract(a.text, lang=a.lang, date=a.date) for a in articles]
        t1 = time.perf_counter()
        for a, cl in zip(articles, extracted, strict=True):
            observe_article(a, cl)
        t2 = time.perf_counter()
        best_x, best_o = min(best_x, t1 - t0), min(best_o, t2 - t1)
    n_claims = sum(len(c) for c in extracted)
    share = best_o / best_x if best_x else 0.0
    print(f"time: extract {best_x:.3f}s, observe {best_o:.3f}s (+{share:.0%}) for {len(articles)} articles, {n_claims} claims")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
