"""Duckling conformance, Vietnamese numeral and amount_of_money: pass rates and failures.

    python benchmarks/bench_conformance_vi.py [--quiet]

Runs exactly the checks of ``tests/test_conformance_vi.py`` (imported from there) over
``../shared/conformance/duckling/vi_{numeral,amount_of_money}.jsonl`` and prints, per dimension:
cases passed / all cases (cases out of scope on purpose count as not passed), the same rate
over the in-scope cases, and each case not passed with its reason from
``corpora/vi/known_failures.toml`` (or ``NEW`` when a case fails that is not listed there).
Target: ≥ 98% of numeral and money cases passed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "corpora"))

import test_conformance_vi as conf  # noqa: E402

TARGET = 0.98
CHECKS = {"numeral": conf.numeral_failure, "money": conf.money_failure}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quiet", action="store_true", help="rates only, no list of failures")
    args = ap.parse_args(argv)
    totals = [0, 0]
    for dim, check in CHECKS.items():
        rows = conf.load_rows(dim)
        if not rows:
            print(f"{dim}: {conf.DUCKLING / conf.FILES[dim]} not found", file=sys.stderr)
            return 2
        bugs, out_of_scope = conf.known(dim)
        failures = [(row["text"], check(row)) for row in rows]
        failed = [(text, why) for text, why in failures if why is not None]
        passed = len(rows) - len(failed)
        in_scope = len(rows) - sum(1 for text, _ in failed if text in out_of_scope)
        totals[0] += passed
        totals[1] += len(rows)
        print(
            f"Duckling vi {dim}: {passed}/{len(rows)} passed ({passed / len(rows):.1%}); "
            f"in scope: {passed}/{in_scope} ({passed / in_scope:.1%}); "
            f"{sum(1 for t, _ in failed if t in out_of_scope)} out of scope on purpose, "
            f"{sum(1 for t, _ in failed if t not in out_of_scope)} engine failures"
        )
        if not args.quiet:
            for text, why in failed:
                tag = "out of scope" if text in out_of_scope else ("bug" if text in bugs else "NEW")
                reason = out_of_scope.get(text) or bugs.get(text) or why
                print(f"    [{tag}] {text!r}: {reason}")
    rate = totals[0] / totals[1]
    print(
        f"numeral + money: {totals[0]}/{totals[1]} passed ({rate:.1%}) — target ≥ {TARGET:.0%}: "
        f"{'PASS' if rate >= TARGET else 'FAIL'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
