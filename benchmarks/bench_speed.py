"""Extraction speed against word segmentation, and peak memory on one 10 MB article.

    python benchmarks/bench_speed.py [--mb 1] [--memory-mb 10] [--no-memory] [--gold PATH]

Speed (one process, in-process timing after a warm-up):

* the Vietnamese dev texts (``../shared/gold/dev.jsonl``) are repeated until the corpus is at
  least ``--mb`` MiB of UTF-8. Each copy is made *distinct*: a letters-only tag (``zqaaab``) is
  put at the start of every line and after every ``, . ; : ! ?`` followed by a space, so no
  clause repeats across copies and the extractor's per-clause caches (indicators, periods) see
  the work a stream of different articles would give them. The tags carry no figure: every copy
  yields the claims of its original (checked before timing).
* ``extractor.extract`` over the corpus → chars/s and articles/s;
* in the same run, underthesea ``word_tokenize`` over the same texts (segmenting everything);
* ratio = segmenting time / extraction time. Target: chiso ≥ 2× faster.
* Times are CPU seconds of this process (``time.process_time``), so that other load on the
  machine does not skew the ratio; wall-clock seconds are printed beside them.
* For reference only: extraction of the same copies again (every cache warm).

Memory: one article of ≥ ``--memory-mb`` MiB built by concatenating distinct copies of the dev
texts is extracted in a child process; its peak RSS is read with
``resource.getrusage(RUSAGE_CHILDREN)`` (the only child this script starts before reading it).
Target: ≤ 500 MB. A second child extracting one small article gives the baseline.
"""

from __future__ import annotations

import argparse
import resource
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import regex

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "gold" / "dev.jsonl"
MIB = 1024 * 1024
SPEED_TARGET = 2.0
MEMORY_TARGET_MB = 500.0

_BREAK = regex.compile(r"(?<=[.,;:!?…])[ ](?=\S)|^(?=\S)", flags=regex.MULTILINE)

CHILD = """
import resource, sys, time
from extractor import extract
text = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
claims = extract(text, lang="vi") if sys.argv[2] == "big" else extract("Đạt 8.100 tỉ đồng.", lang="vi")
print(len(text), len(claims), time.perf_counter() - start,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def tag(i: int) -> str:
    """Letters-only unique tag: 0 → 'zqaaaa', 1 → 'zqaaab', ..."""
    out = ""
    for _ in range(4):
        i, r = divmod(i, 26)
        out = string.ascii_lowercase[r] + out
    return "zq" + out


def distinct(text: str, k: int) -> str:
    """``text`` with tag ``k`` at each line start and after each clause mark + space."""
    t = tag(k)
    return _BREAK.sub(lambda m: m.group() + t + " ", text)


def load_vi(path: Path) -> list[dict[str, Any]]:
    from extractor.evaluate import load_gold

    return [r for r in load_gold(path) if r.get("lang") == "vi"]


def build_corpus(rows: list[dict[str, Any]], min_bytes: int) -> list[tuple[str, str | None]]:
    """Distinct copies of the dev texts, (text, date), until ``min_bytes`` of UTF-8."""
    out: list[tuple[str, str | None]] = []
    size, k = 0, 0
    while size < min_bytes:
        for row in rows:
            text = distinct(row["text"], k)
            out.append((text, row.get("date")))
            size += len(text.encode("utf-8"))
        k += 1
    return out


def check_tags_are_neutral(rows: list[dict[str, Any]]) -> None:
    from extractor import extract

    for row in rows:
        a = [(c.value, c.unit) for c in extract(row["text"], lang="vi")]
        b = [(c.value, c.unit) for c in extract(distinct(row["text"], 7), lang="vi")]
        if a != b:
            raise SystemExit(f"tagging changes the claims of {row['id']}: {len(a)} vs {len(b)}")


def time_extract(corpus: list[tuple[str, str | None]]) -> tuple[float, float, int]:
    from extractor import extract

    claims = 0
    start, wall = time.process_time(), time.perf_counter()
    for text, date in corpus:
        claims += len(extract(text, lang="vi", date=date))
    return time.process_time() - start, time.perf_counter() - wall, claims


def time_segment(corpus: list[tuple[str, str | None]]) -> tuple[float, float, int]:
    from underthesea import word_tokenize

    tokens = 0
    start, wall = time.process_time(), time.perf_counter()
    for text, _date in corpus:
        tokens += len(word_tokenize(text))
    return time.process_time() - start, time.perf_counter() - wall, tokens


def speed(rows: list[dict[str, Any]], mb: float) -> bool:
    from underthesea import word_tokenize

    from extractor import extract

    check_tags_are_neutral(rows)
    corpus = build_corpus(rows, int(mb * MIB))
    chars = sum(len(t) for t, _ in corpus)
    nbytes = sum(len(t.encode("utf-8")) for t, _ in corpus)
    # warm-up: language pack, regexes, underthesea model (outside the clock, other texts)
    for row in rows[:2]:
        extract(distinct(row["text"], 10**5), lang="vi")
        word_tokenize(distinct(row["text"], 10**5))

    t_chiso, w_chiso, claims = time_extract(corpus)
    t_seg, w_seg, tokens = time_segment(corpus)
    t_warm, w_warm, _ = time_extract(corpus)
    ratio = t_seg / t_chiso
    n = len(corpus)
    print(
        f"corpus: {n} articles ({len(rows)} dev texts × {n // len(rows)} distinct copies), "
        f"{chars:,} chars, {nbytes / MIB:.2f} MiB UTF-8"
    )
    print("                         CPU s    chars/s   articles/s   (wall s)")
    for label, cpu, wall, extra in (
        ("chiso extract", t_chiso, w_chiso, f"{claims} claims"),
        ("underthesea segment", t_seg, w_seg, f"{tokens} tokens"),
        ("chiso, caches warm", t_warm, w_warm, "same copies again; reference only"),
    ):
        print(
            f"{label:22} {cpu:8.2f} {chars / cpu:>10,.0f} {n / cpu:>12.1f}   ({wall:.2f})  {extra}"
        )
    ok = ratio >= SPEED_TARGET
    print(
        f"speed ratio (segment CPU time / extract CPU time): {ratio:.2f}× "
        f"(wall: {w_seg / w_chiso:.2f}×) — target ≥ {SPEED_TARGET:.0f}×: {'PASS' if ok else 'FAIL'}"
    )
    return ok


def memory(rows: list[dict[str, Any]], mb: float) -> bool:
    parts: list[str] = []
    size, k = 0, 0
    while size < mb * MIB:
        for row in rows:
            text = distinct(row["text"], k)
            parts.append(text)
            size += len(text.encode("utf-8")) + 2
        k += 1
    article = "\n\n".join(parts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        path.write_text(article, encoding="utf-8")
        file_mib = path.stat().st_size / MIB
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), "big"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        base = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), "small"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    chars, claims, seconds = int(out[0]), int(out[1]), float(out[2])
    print(
        f"big article: {chars:,} chars, {file_mib:.2f} MiB, "
        f"{claims} claims in {seconds:.1f} s ({chars / seconds:,.0f} chars/s)"
    )
    print(
        f"peak RSS of the child (RUSAGE_CHILDREN): {peak_mb:.0f} MB; "
        f"baseline (import + one small article): {int(base[3]) / 1024:.0f} MB"
    )
    ok = peak_mb <= MEMORY_TARGET_MB
    print(
        f"peak memory on a {mb:g} MiB article: {peak_mb:.0f} MB — target ≤ {MEMORY_TARGET_MB:.0f} MB: "
        f"{'PASS' if ok else 'FAIL'}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=1.0, help="speed corpus size in MiB (default 1)")
    ap.add_argument(
        "--memory-mb", type=float, default=10.0, help="size of the one big article (default 10)"
    )
    ap.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    ap.add_argument(
        "--gold", type=Path, default=GOLD, help="gold dev set (default ../shared/gold/dev.jsonl)"
    )
    args = ap.parse_args(argv)
    if not args.gold.is_file():
        print(f"gold dev set not found: {args.gold}", file=sys.stderr)
        return 2
    rows = load_vi(args.gold)
    results = {"speed ≥ 2× underthesea": speed(rows, args.mb)}
    if not args.no_memory:
        results["memory ≤ 500 MB"] = memory(rows, args.memory_mb)
    print("targets: " + ", ".join(f"{k}: {'PASS' if v else 'FAIL'}" for k, v in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
