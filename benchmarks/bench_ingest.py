"""Ingest speed and memory: ``python benchmarks/bench_ingest.py [--throughput N] [--memory 1000,10000]``.

Builds a synthetic corpus by repeating the dev articles (gold/dev.jsonl) with a unique first line
(letters only, so it adds no figure) so that every copy has its own text hash, and with some
spaces made no-break spaces (:func:`vary`) so that copies do not hit the extractor's caches, then

* throughput: ingests the same corpus with 1 worker and with 2 workers into fresh datasets and
  prints articles/s (warm-up excluded: workers load the extractor before the clock starts) and
  the speed-up (target ≥ 1.7×);
* memory: ingests 1k and 10k articles with 2 workers, sampling the RSS of this process and all
  its children every 0.2 s, and prints the peaks (target: flat, i.e. 10k ≈ 1k).
"""

from __future__ import annotations

import argparse
import json
import os
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # this checkout's extractor, whatever is installed

from extractor.pipeline import ingest  # noqa: E402

DEV = REPO.parent / "shared" / "gold" / "dev.jsonl"


def tag(i: int) -> str:
    """A letters-only unique tag: 0 → 'aaaa', 1 → 'aaab', ..."""
    letters = string.ascii_lowercase
    out = ""
    for _ in range(5):
        i, r = divmod(i, 26)
        out = letters[r] + out
    return out


def vary(text: str, i: int, *, every: int = 11) -> str:
    """Copy ``i`` of a text: every ``every``-th space (shifted by ``i``) becomes a no-break space.

    Press text has both; the figures read the same, but no clause of one copy equals the same
    clause of the next ``every - 1`` copies, so the extractor's per-clause caches cannot turn a
    repeated corpus into a cheap one (13 dev articles repeated would otherwise be mostly hits).
    """
    out = []
    spaces = 0
    for ch in text:
        if ch == " ":
            spaces += 1
            if (spaces + i) % every == 0:
                ch = "\u00a0"
        out.append(ch)
    return "".join(out)


def build_corpus(path: Path, n: int) -> Path:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            row = rows[i % len(rows)]
            head = "Mã bản tin" if row["lang"] == "vi" else "Bulletin reference"
            copy = {k: row[k] for k in ("lang", "source", "title", "date") if k in row}
            copy["id"] = f"{row['id']}-{tag(i)}"
            copy["text"] = f"{head} {tag(i)}.\n{vary(row['text'], i // len(rows))}"
            out.write(json.dumps(copy, ensure_ascii=False) + "\n")
    return path


class PeakRSS:
    """Samples the RSS of this process plus all its children in a background thread."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_total = 0
        self.peak_main = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            main = me.memory_info().rss
            total = main
            for child in me.children(recursive=True):
                try:  # a child may exit between listing and sampling
                    total += child.memory_info().rss
                except psutil.Error:
                    continue
            self.peak_main = max(self.peak_main, main)
            self.peak_total = max(self.peak_total, total)
            time.sleep(self.interval)


def total_rss() -> int:
    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        try:  # a child may exit between listing and sampling
            total += child.memory_info().rss
        except psutil.Error:
            continue
    return total


class Milestones:
    """A pipeline reporter that notes the RSS (process + children) every ``every`` articles."""

    def __init__(self, every: int = 1000) -> None:
        self.every = every
        self.done = 0
        self.series: list[tuple[int, int]] = []

    def start(self, total: int | None) -> None:
        return None

    def advance(self, *, article_id: str | None, written: bool) -> None:
        self.done += 1
        if self.done % self.every == 0:
            self.series.append((self.done, total_rss()))

    def stop(self) -> None:
        return None


def one_run(corpus: Path, workers: int, db: Path) -> dict:
    """One ingest in this (fresh) process; what the parent prints."""
    before = os.times()
    milestones = Milestones()
    with PeakRSS() as rss:
        stats = ingest([str(corpus)], db=db, workers=workers, batch_size=4, reporter=milestones)
    after = os.times()
    return {
        "rate": stats.rate, "articles": stats.articles, "claims": stats.claims,
        "elapsed": stats.elapsed, "skipped": stats.n_skipped,
        "main_cpu": after.user - before.user + after.system - before.system,
        "child_cpu": (after.children_user - before.children_user
                      + after.children_system - before.children_system),
        "peak_total": rss.peak_total, "peak_main": rss.peak_main, "series": milestones.series,
    }


def run(corpus: Path, workers: int, tmp: Path, label: str) -> dict:
    """A run in a fresh interpreter, so that no run inherits the caches of the one before."""
    db = tmp / "run.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        if stale.exists():
            stale.unlink()
    load = os.getloadavg()[0]
    proc = subprocess.run(
        [sys.executable, __file__, "--one-run", str(corpus), "--workers", str(workers),
         "--db", str(db)], capture_output=True, text=True, check=True,
    )
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"  {label}: {res['rate']:6.1f} articles/s ({res['articles']} in {res['elapsed']:.1f} s); "
          f"CPU incl. start and warm-up: main {res['main_cpu']:.1f} s, workers "
          f"{res['child_cpu']:.1f} s; load average before {load:.2f}", flush=True)
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--throughput", type=int, default=520, help="articles for the 1 vs 2 workers run")
    parser.add_argument("--repeat", type=int, default=1,
                        help="alternate 1- and 2-worker runs this many times and keep the best of "
                             "each (on a shared machine other jobs steal cores)")
    parser.add_argument("--memory", default="1000,10000", help="corpus sizes for peak RSS ('' to skip)")
    parser.add_argument("--one-run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_run:
        print(json.dumps(one_run(args.one_run, args.workers, args.db)))
        return
    mib = 1 / (1 << 20)
    print(f"{os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.throughput:
            corpus = build_corpus(tmp / "throughput.jsonl", args.throughput)
            ones, twos = [], []
            for _ in range(max(1, args.repeat)):
                ones.append(run(corpus, 1, tmp, "1 worker "))
                twos.append(run(corpus, 2, tmp, "2 workers"))
            one = max(ones, key=lambda r: r["rate"])
            two = max(twos, key=lambda r: r["rate"])
            assert one["articles"] == two["articles"] == args.throughput, (one, two)
            print(f"throughput ({args.throughput} articles, {one['claims']} claims, warm workers, "
                  f"best of {len(ones)}):")
            print(f"  1 worker : {one['rate']:7.1f} articles/s ({one['elapsed']:.1f} s)")
            print(f"  2 workers: {two['rate']:7.1f} articles/s ({two['elapsed']:.1f} s)")
            print(f"  speed-up : {two['rate'] / one['rate']:.2f}x (target >= 1.7x)")
        for size in [int(s) for s in args.memory.split(",") if s.strip()]:
            corpus = build_corpus(tmp / f"mem{size}.jsonl", size)
            res = run(corpus, 2, tmp, f"memory {size}")
            print(f"memory ({size} articles, 2 workers, {res['claims']} claims): peak RSS total "
                  f"{res['peak_total'] * mib:.0f} MiB (main {res['peak_main'] * mib:.0f} MiB), "
                  "sampled every 0.2 s over the process and its children", flush=True)
            print("  RSS after every 1000 articles (MiB): "
                  + ", ".join(f"{n}: {b * mib:.0f}" for n, b in res["series"]), flush=True)


if __name__ == "__main__":
    main()
