"""Scaling of extraction with article length: one long article of N MB, seconds and peak memory.

The article is the Vietnamese dev texts concatenated (blank line between them) until it reaches
each size; every size runs in a fresh subprocess so that its peak RSS (``resource.getrusage``)
is its own. Extraction should be roughly linear: chars/s about the same at 1 MB and 10 MB.

    python benchmarks/bench_scaling.py [--sizes 1 10] [--lang vi] [--gold dev.jsonl] [--profile]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "gold" / "dev.jsonl"
sys.path.insert(0, str(REPO))  # this checkout's extractor, whatever is installed


def build_article(gold: Path, size_mb: float, lang: str = "vi") -> str:
    """Texts of ``lang`` from ``gold`` joined with blank lines, repeated to ``size_mb`` MB (chars)."""
    texts = [r["text"] for r in map(json.loads, gold.open(encoding="utf-8")) if (r.get("lang") or "vi") == lang]
    if not texts:
        raise SystemExit(f"no {lang} texts in {gold}")
    target = int(size_mb * 1_000_000)
    parts: list[str] = []
    total = 0
    while total < target:
        for t in texts:
            parts.append(t)
            total += len(t) + 2
            if total >= target:
                break
    return "\n\n".join(parts)


def run_one(gold: Path, size_mb: float, lang: str, profile: bool) -> dict[str, float]:
    """Extract one article of ``size_mb`` MB in this process; timings and peak RSS."""
    from extractor import extract

    extract("Doanh thu đạt 5 tỉ đồng, tăng 3%.", lang=lang, date="2024-01-01")  # lazy imports
    big = build_article(gold, size_mb, lang)
    t0 = time.perf_counter()
    c0 = time.process_time()
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        claims = prof.runcall(extract, big, lang=lang, date="2024-01-01")
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    else:
        claims = extract(big, lang=lang, date="2024-01-01")
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"mb": size_mb, "chars": len(big), "claims": len(claims), "seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1.0, 10.0], help="article sizes in MB")
    ap.add_argument("--lang", default="vi")
    ap.add_argument("--gold", default=str(DEFAULT))
    ap.add_argument("--profile", action="store_true", help="cProfile top functions (stderr)")
    ap.add_argument("--one", type=float, help=argparse.SUPPRESS)  # child mode
    args = ap.parse_args(argv)
    gold = Path(args.gold)
    if not gold.is_file():
        print(f"gold file not found: {gold}", file=sys.stderr)
        return 2
    if args.one is not None:
        print(json.dumps(run_one(gold, args.one, args.lang, args.profile)))
        return 0
    print(f"{'MB':>6} {'chars':>11} {'claims':>8} {'seconds':>8} {'cpu s':>8} {'chars/s':>10} {'peak RSS MB':>12}")
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(size), "--lang", args.lang, "--gold", str(gold)]
        if args.profile:
            cmd.append("--profile")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        if args.profile:
            print(out.stderr, file=sys.stderr)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rate = r["chars"] / r["seconds"] if r["seconds"] else 0.0
        print(
            f"{r['mb']:>6.1f} {r['chars']:>11,} {r['claims']:>8,} {r['seconds']:>8.2f} {r['cpu']:>8.2f}"
            f" {rate:>10,.0f} {r['peak_mb']:>12.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
