"""English quality on wire copy the gold set does not have: the press corpus, scored like gold.

    python benchmarks/bench_en_press.py [--lang en|vi] [--misses N]

``corpora/en/press_*.toml`` holds English wire copy written for this purpose: 321 sentences
(``press_<topic>``; 48 must yield nothing), 80 paragraphs (``press_para_*``) and 16 whole articles
(``press_article_*``) on trade, macro, finance, energy and transport, agriculture, disasters,
social topics, weather and general units, in VnExpress / Vietnam News / Reuters styles. Every claim of a sentence is a form of some case
(its ``also`` lists the others), so the forms of one text together are that text's gold claims.
Each text becomes one pseudo-article and is scored by :mod:`extractor.evaluate` exactly as
``chiso eval`` scores ``gold/dev.jsonl``: P/R/F1 on span overlap + value + unit, and on matched
pairs the accuracy of qualifier, kind and direction. Forms marked ``xfail`` stay in (they are
the known misses); the period and indicator are not annotated in the corpus and are not scored.
``--lang vi`` scores ``corpora/vi/press_*.toml`` (58 Vietnamese provincial-press paragraphs) the
same way.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "corpora"))

from corpus_cases import load_cases  # noqa: E402

from extractor import extract  # noqa: E402
from extractor.evaluate import evaluate  # noqa: E402

FIELDS = ("value", "value_max", "of", "unit", "per", "noun", "qualifier", "kind", "direction")


def pseudo_articles(lang: str = "en") -> list[dict[str, Any]]:
    """One gold row per distinct press text, its claims gathered from every form of that text."""
    rows: dict[str, dict[str, Any]] = {}
    for case in load_cases(lang):
        if not case.file.startswith("press_"):
            continue
        row = rows.setdefault(
            case.text, {"id": f"press-{len(rows):04d}", "lang": lang, "text": case.text, "claims": []}
        )
        if case.expect is None:
            continue  # a negative: the text must yield nothing
        span = case.expect["span"]
        claim = {k: case.expect[k] for k in FIELDS if case.expect.get(k) is not None}
        claim.update(text=span, start=case.text.index(span))
        if claim not in row["claims"]:
            row["claims"].append(claim)
    return list(rows.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", choices=("en", "vi"), default="en", help="which press corpus (default en)")
    ap.add_argument("--misses", type=int, default=0, help="print up to N misses")
    args = ap.parse_args(argv)
    rows = pseudo_articles(args.lang)
    if not rows:
        print(f"no press corpus found under corpora/{args.lang}/", file=sys.stderr)
        return 2

    def predict(row: dict[str, Any]) -> list[dict[str, Any]]:
        return [c.model_dump(mode="json", exclude_none=True) for c in extract(row["text"], lang=args.lang)]

    score = evaluate(rows, predict)["all"]
    sm = score.summary()
    claims = sum(len(r["claims"]) for r in rows)
    negatives = sum(1 for r in rows if not r["claims"])
    print(f"press corpus: {len(rows)} texts ({negatives} negatives), {claims} gold claims")
    print(
        f"P={sm['precision']:.3f} R={sm['recall']:.3f} F1={sm['f1']:.3f} "
        f"(tp={score.tp} fp={score.fp} fn={score.fn}) "
        f"qualifier={sm['qualifier']:.3f} kind={sm['kind']:.3f} direction={sm['direction']:.3f}"
    )
    if args.misses:
        print(f"\nmisses (first {args.misses}):")
        shown = [m for m in score.misses if m[1] not in ("period", "indicator")]  # not annotated here
        for art, what, c in shown[: args.misses]:
            print(f"  {art} {what}: {c.get('text')!r} {c.get('value')} {c.get('unit')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
