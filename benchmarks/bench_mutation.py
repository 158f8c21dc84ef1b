"""Mutation benchmark for the consistency checker (issue 5). Prints its figures.

For every relation of ``shared/gold/dev.jsonl`` marked ``holds: true``, change one member figure in
the text (a digit, a separator shift, ``tỉ``↔``triệu``, ``tăng``↔``giảm``, a qualifier) so that the
relation breaks under the gold interval arithmetic (README "Relations"; mutants that still hold are
skipped), re-extract, check, and count a mutant as detected when an ``error`` or ``warning``
finding names the changed figure (its span overlaps the finding's claims).

Two extraction modes:

* ``gold``: the gold claims with the mutated one re-read from its new span (tests the checker alone);
* ``extract``: ``extractor.extract`` on the mutated text (the full pipeline; skipped while the
  extractor returns no claims).

Also printed: recall of the relation detector on gold claims (against the 37 gold relations), false
errors/warnings on the unmodified articles, and the time checking adds to extraction.

    python3 benchmarks/bench_mutation.py [--gold PATH] [--mode gold|extract|both] [-v]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from helpers_gold import DEV, gold_article, gold_claims, load_gold, rounding_bounds  # noqa: E402

import extractor  # noqa: E402
from extractor.checks import check_article, detect_relations  # noqa: E402
from extractor.checks.intervals import HUNDRED, INF, ONE, ZERO, Interval, printed_numbers  # noqa: E402
from extractor.records import Article, Claim, Finding  # noqa: E402

Row = dict[str, Any]

# ---------------------------------------------------------------------- gold arithmetic (README)


def readme_interval(g: Row, lang: str) -> Interval:
    """README "Relations": ± half a unit of the last printed digit; approx ≥ ±5 %; over/under open."""
    value = Decimal(str(g["value"]))
    top = Decimal(str(g["value_max"])) if g.get("value_max") is not None else value
    lo, hi = rounding_bounds(g["text"], value, top if g.get("value_max") is not None else None, lang)
    q = g.get("qualifier", "exact")
    if q == "approx":
        lo, hi = min(lo, value * Decimal("0.95")), max(hi, top * Decimal("1.05"))
    elif q in ("over", "at_least"):
        hi = INF
    elif q in ("under", "at_most"):
        lo = ZERO
    return Interval(lo, hi)


def gold_holds(rel: Row, claims: list[Row], lang: str) -> bool:
    def iv(i: int) -> Interval:
        return readme_interval(claims[i], lang)

    t = rel["type"]
    if t == "same":
        return iv(rel["a"]).intersects(iv(rel["b"]))
    if t == "part":
        return iv(rel["part"]).lo <= iv(rel["whole"]).hi
    if t == "sum":
        total = iv(rel["parts"][0])
        for p in rel["parts"][1:]:
            total = total + iv(p)
        return iv(rel["total"]).intersects(total)
    if t == "growth":
        cur, chg, base = claims[rel["current"]], claims[rel["change"]], claims[rel["base"]]
        change = iv(rel["change"])
        if chg.get("direction") == "down":
            change = -change
        relative = chg["unit"] == "percent" and cur["unit"] != "percent"
        implied = iv(rel["base"]) * (Interval.point(ONE) + change.scale(ONE / HUNDRED)) if relative else iv(rel["base"]) + change
        del base
        return iv(rel["current"]).intersects(implied)
    if t == "target":
        return iv(rel["actual"]).intersects(iv(rel["plan"]) * iv(rel["attainment"]).scale(ONE / HUNDRED))
    if t == "share":
        return iv(rel["part"]).intersects(iv(rel["whole"]) * iv(rel["share"]).scale(ONE / HUNDRED))
    if t == "multiple":
        return iv(rel["current"]).intersects(iv(rel["base"]) * iv(rel["factor"]))
    raise ValueError(t)


def members(rel: Row) -> list[int]:
    out: list[int] = []
    for k, v in rel.items():
        if k in ("type", "holds", "note"):
            continue
        out.extend(v if isinstance(v, list) else [v])
    return out


# ---------------------------------------------------------------------- mutation operators


@dataclass(frozen=True)
class Mutant:
    article: str
    relation: int
    rel_type: str
    operator: str
    claim: int
    pos: int
    old: str
    new: str
    gold: tuple[Row, ...]  # mutated gold claims (offsets in the mutated text)
    text: str


SCALES = {
    "vi": [("tỉ", "triệu"), ("tỷ", "triệu"), ("triệu", "tỉ"), ("nghìn", "triệu"), ("ngàn", "triệu")],
    "en": [("billion", "million"), ("million", "billion"), ("thousand", "million"), ("trillion", "billion")],
}
DIRECTIONS = {
    "vi": [("tăng", "giảm"), ("giảm", "tăng"), ("lên", "xuống"), ("xuống", "lên")],
    "en": [("up", "down"), ("down", "up"), ("rise", "fall"), ("rose", "fell"), ("increase", "decrease"), ("higher", "lower")],
}
QUALIFIERS = {
    "vi": {"over": ["hơn", "trên", "vượt"], "approx": ["gần", "khoảng", "xấp xỉ"], "under": ["dưới"]},
    "en": {"over": ["over", "more than"], "approx": ["nearly", "about", "almost"], "under": ["under", "less than"]},
}
QUAL_SWAP = {"over": "under", "under": "over", "approx": "over", "exact": "under"}


def _reread(g: Row, new_span: str, lang: str, *, scale_factor: Decimal = ONE) -> Row | None:
    """The gold claim re-read from its mutated span (same scale unless the scale word changed)."""
    old_nums = printed_numbers(g["text"], lang)
    new_nums = printed_numbers(new_span, lang)
    if not old_nums or len(old_nums) != len(new_nums) or old_nums[0].value == 0:
        return None
    scale = Decimal(str(g["value"])) / old_nums[0].value * scale_factor
    out = dict(g)
    out["text"] = new_span
    out["value"] = str(new_nums[0].value * scale)
    if g.get("of") is not None and len(new_nums) > 1:
        out["of"] = str(new_nums[1].value)
    elif g.get("value_max") is not None and len(new_nums) > 1:
        out["value_max"] = str(new_nums[-1].value * scale)
    return out


def _digit_edits(span: str, lang: str) -> list[str]:
    out = []
    for num in printed_numbers(span, lang):
        digits = [k for k in range(num.start, num.end) if span[k].isdigit()]
        lead = digits[0]
        nonzero = [k for k in digits if span[k] != "0"]
        for k in {lead, nonzero[-1] if nonzero else digits[-1]}:
            d = int(span[k])
            for nd in {(d + 1) % 10, (d - 1) % 10}:
                if k == lead and nd == 0 and len(digits) > 1:
                    continue
                out.append(span[:k] + str(nd) + span[k + 1 :])
    return out


def _separator_edits(span: str, lang: str) -> list[str]:
    group, mark = (",", ".") if lang == "en" else (".", ",")
    out = []
    for num in printed_numbers(span, lang):
        raw = span[num.start : num.end]
        if group in raw:
            new = raw.replace(group, mark, 1) if mark not in raw else raw.replace(group, "", 1)
        elif mark in raw:
            new = raw.replace(mark, "")
        elif len(raw) >= 2:
            new = raw[:-1] + mark + raw[-1]
        else:
            continue
        out.append(span[: num.start] + new + span[num.end :])
        break
    return out


def mutants_for(row: Row, rel_index: int, rel: Row) -> list[Mutant]:
    lang = row.get("lang") or "vi"
    text = row["text"]
    claims = row["claims"]
    out: list[Mutant] = []

    def emit(op: str, ci: int, pos: int, old: str, new: str, mutated: Row) -> None:
        delta = len(new) - len(old)
        gold: list[Row] = []
        for k, g in enumerate(claims):
            h = dict(mutated) if k == ci else dict(g)
            h["start"] = g["start"] + delta if g["start"] >= pos + len(old) else g["start"]
            gold.append(h)
        new_text = text[:pos] + new + text[pos + len(old) :]
        for h in gold:
            assert new_text[h["start"] : h["start"] + len(h["text"])] == h["text"], (op, h["text"])
        trial = gold
        if gold_holds(rel, trial, lang):
            return  # still holds under the interval arithmetic: not a breaking mutant
        out.append(Mutant(row["id"], rel_index, rel["type"], op, ci, pos, old, new, tuple(gold), new_text))

    for ci in dict.fromkeys(members(rel)):
        g = claims[ci]
        span, start = g["text"], g["start"]
        for new_span in _digit_edits(span, lang):
            m = _reread(g, new_span, lang)
            if m:
                emit("digit", ci, start, span, new_span, m)
        for new_span in _separator_edits(span, lang):
            m = _reread(g, new_span, lang)
            if m:
                emit("separator", ci, start, span, new_span, m)
        for a, b in SCALES[lang]:
            hit = re.search(rf"(?<!\w){a}(?!\w)", span)
            if hit:
                new_span = span[: hit.start()] + b + span[hit.end() :]
                factor = Decimal(10) ** ({"tỉ": 9, "tỷ": 9, "triệu": 6, "nghìn": 3, "ngàn": 3, "billion": 9, "million": 6, "thousand": 3, "trillion": 12}[b] - {"tỉ": 9, "tỷ": 9, "triệu": 6, "nghìn": 3, "ngàn": 3, "billion": 9, "million": 6, "thousand": 3, "trillion": 12}[a])
                m = _reread(g, new_span, lang, scale_factor=factor)
                if m:
                    emit("scale", ci, start, span, new_span, m)
                break
        if g.get("kind") == "change":
            left = text[max(0, start - 25) : start]
            for a, b in DIRECTIONS[lang]:
                hits = list(re.finditer(rf"(?<!\w){a}(?!\w)", left, flags=re.IGNORECASE))
                if hits:
                    h = hits[-1]
                    pos = max(0, start - 25) + h.start()
                    m = dict(g)
                    m["direction"] = "down" if g.get("direction") == "up" else "up"
                    emit("direction", ci, pos, text[pos : pos + len(a)], b, m)
                    break
        # qualifier: swap the word before the figure, or insert one
        left = text[max(0, start - 20) : start]
        q = g.get("qualifier", "exact")
        target = QUAL_SWAP.get(q)
        if target:
            word = QUALIFIERS[lang][target][0]
            m = dict(g)
            m["qualifier"] = target
            existing = None
            for w in QUALIFIERS[lang].get(q, []):
                hit = re.search(rf"(?<!\w){w}\s*$", left, flags=re.IGNORECASE)
                if hit:
                    existing = (max(0, start - 20) + hit.start(), hit.group(0).rstrip())
                    break
            if existing:
                emit("qualifier", ci, existing[0], existing[1], word, m)
            elif q == "exact":
                emit("qualifier", ci, start, "", word + " ", m)
    return out


# ---------------------------------------------------------------------- detection


def findings_gold_mode(row: Row, text: str, gold: tuple[Row, ...]) -> list[Finding]:
    mrow = dict(row, text=text, claims=list(gold))
    return check_article(gold_article(mrow), gold_claims(mrow))


def safe_extract(article: Article) -> list[Claim]:
    """The extractor is being written concurrently: a failure counts as no claims."""
    try:
        return extractor.extract_article(article)
    except Exception as exc:  # a benchmark reports extractor failures, it does not crash
        EXTRACT_ERRORS[type(exc).__name__ + ": " + str(exc)[:80]] += 1
        return []


EXTRACT_ERRORS: Counter = Counter()


def findings_extract_mode(row: Row, text: str) -> tuple[list[Finding], int]:
    article = Article(id=row["id"], text=text, lang=row.get("lang"), date=row.get("date"))
    claims = safe_extract(article)
    return check_article(article, claims), len(claims)


def names(f: Finding, start: int, end: int) -> bool:
    return any(c.start < end and start < c.end for c in f.claims)


def detected(findings: list[Finding], g: Row) -> Finding | None:
    start, end = g["start"], g["start"] + len(g["text"])
    hits = [f for f in findings if f.severity in ("error", "warning") and names(f, start, end)]
    hits.sort(key=lambda f: f.severity != "error")
    return hits[0] if hits else None


# ---------------------------------------------------------------------- report


def relation_recall(rows: list[Row]) -> tuple[Counter, Counter, list[str]]:
    found, total = Counter(), Counter()
    missed = []
    for row in rows:
        rels, _, _doc = detect_relations(gold_article(row), gold_claims(row))
        mine = {(r.type, tuple(sorted(r.indices()))) for r in rels}
        mine_sets = {(r.type, frozenset(r.indices())) for r in rels}
        for rel in row.get("relations", []):
            total[rel["type"]] += 1
            key = (rel["type"], tuple(sorted(members(rel))))
            if key in mine or (rel["type"], frozenset(members(rel))) in mine_sets:
                found[rel["type"]] += 1
            else:
                missed.append(f"{row['id']} {rel['type']} {[row['claims'][i]['text'] for i in members(rel)]}")
    return found, total, missed


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "0/0"


def run(rows: list[Row], mode: str, verbose: bool) -> dict[str, Any]:
    by_op: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    severities = Counter()
    misses = []
    skipped_no_claims = 0
    n = 0
    for row in rows:
        for ri, rel in enumerate(row.get("relations", [])):
            if not rel.get("holds", True):
                continue
            for mut in mutants_for(row, ri, rel):
                if mode == "gold":
                    findings = findings_gold_mode(row, mut.text, mut.gold)
                else:
                    findings, count = findings_extract_mode(row, mut.text)
                    if count == 0:
                        skipped_no_claims += 1
                        continue
                n += 1
                hit = detected(findings, mut.gold[mut.claim])
                by_op[mut.operator][1] += 1
                by_type[mut.rel_type][1] += 1
                if hit:
                    by_op[mut.operator][0] += 1
                    by_type[mut.rel_type][0] += 1
                    severities[(hit.severity, hit.code)] += 1
                else:
                    misses.append(f"{mut.article} {mut.rel_type} {mut.operator}: {mut.old!r}→{mut.new!r}")
    return {"n": n, "by_op": by_op, "by_type": by_type, "severities": severities, "misses": misses, "skipped": skipped_no_claims}


def baseline(rows: list[Row], mode: str) -> Counter:
    out = Counter()
    for row in rows:
        if mode == "gold":
            findings = check_article(gold_article(row), gold_claims(row))
        else:
            findings, _ = findings_extract_mode(row, row["text"])
        for f in findings:
            out[f.severity] += 1
            if f.severity == "error":
                out[f"error:{row['id']}:{f.code}"] += 1
    return out


def timing(rows: list[Row], repeat: int = 5) -> tuple[float, float, int, int]:
    """Extraction vs checking time over the articles the extractor reads (after a warm-up pass)."""
    articles = [Article(id=r["id"], text=r["text"], lang=r.get("lang"), date=r.get("date")) for r in rows]
    extracted = [safe_extract(a) for a in articles]
    pairs = [(a, c) for a, c in zip(articles, extracted, strict=True) if c]
    if not pairs:
        pairs = [(gold_article(r), gold_claims(r)) for r in rows]
        for a, c in pairs:
            check_article(a, c)
        t0 = time.perf_counter()
        for _ in range(repeat):
            for a, c in pairs:
                check_article(a, c)
        return 0.0, time.perf_counter() - t0, 0, len(pairs)
    for a, c in pairs:
        check_article(a, c)
    t0 = time.perf_counter()
    for _ in range(repeat):
        for a, _c in pairs:
            safe_extract(a)
    t_extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for a, c in pairs:
            check_article(a, c)
    t_check = time.perf_counter() - t0
    return t_extract, t_check, sum(len(c) for _a, c in pairs), len(pairs)


def report(title: str, res: dict[str, Any], verbose: bool, out: Callable[[str], None]) -> None:
    out(f"\n== mutation detection ({title}) ==")
    if res["skipped"]:
        out(f"  skipped {res['skipped']} mutants: the extractor returned no claims")
    if not res["n"]:
        out("  no mutants evaluated")
        return
    total = sum(v[0] for v in res["by_op"].values())
    out(f"  detected: {pct(total, res['n'])}  (a finding of severity error/warning names the changed figure)")
    out("  per operator:")
    for op, (d, t) in sorted(res["by_op"].items()):
        out(f"    {op:10} {pct(d, t)}")
    out("  per relation type:")
    for ty, (d, t) in sorted(res["by_type"].items()):
        out(f"    {ty:10} {pct(d, t)}")
    sev, codes = Counter(), Counter()
    for (severity, code), k in res["severities"].items():
        sev[severity] += k
        codes[code] += k
    out(f"  detecting finding severity: {dict(sev)}; codes: {dict(codes)}")
    if verbose or len(res["misses"]) <= 15:
        for m in res["misses"]:
            out(f"    missed: {m}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEV)
    ap.add_argument("--mode", choices=("gold", "extract", "both"), default="both")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not args.gold.exists():
        print(f"gold file not found: {args.gold}")
        return 2
    rows = load_gold(args.gold)
    out = print

    found, total, missed = relation_recall(rows)
    out("== relation detection on gold claims (recall of the gold relations) ==")
    out(f"  all: {pct(sum(found.values()), sum(total.values()))}")
    for ty in sorted(total):
        out(f"    {ty:10} {pct(found[ty], total[ty])}")
    if args.verbose:
        for m in missed:
            out(f"    missed: {m}")

    modes = ["gold", "extract"] if args.mode == "both" else [args.mode]
    for mode in modes:
        base = baseline(rows, mode)
        out(f"\n== unmodified dev ({mode} claims) ==")
        out(f"  findings: error={base['error']} warning={base['warning']} info={base['info']}")
        for k, v in sorted(base.items()):
            if k.startswith("error:"):
                out(f"    {k} ×{v}")
        report(f"{mode} claims", run(rows, mode, args.verbose), args.verbose, out)

    if EXTRACT_ERRORS:
        out("\n  extractor failures: " + "; ".join(f"{k} ×{v}" for k, v in EXTRACT_ERRORS.items()))
    t_extract, t_check, n_claims, n_articles = timing(rows)
    out("\n== time (5 passes, after a warm-up) ==")
    if n_claims:
        out(f"  extraction: {t_extract:.3f}s over {n_articles} articles the extractor reads ({n_claims} claims per pass)")
        out(f"  checking:   {t_check:.3f}s")
        out(f"  checking adds {100 * t_check / t_extract:.1f}% to extraction time (target ≤ 20%)")
    else:
        out(f"  checking: {t_check:.3f}s over {n_articles} articles (gold claims); extractor produces no claims yet")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
