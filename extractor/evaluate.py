"""Scoring against a gold file, exactly as ``gold/FORMAT.md`` and its README say."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ClaimDict = dict[str, Any]


def _end(c: ClaimDict) -> int:
    return int(c["start"]) + len(c["text"])


def overlaps(a: ClaimDict, b: ClaimDict) -> bool:
    return int(a["start"]) < _end(b) and int(b["start"]) < _end(a)


def match(p: ClaimDict, g: ClaimDict) -> bool:
    return overlaps(p, g) and Decimal(str(p["value"])) == Decimal(str(g["value"])) and p["unit"] == g["unit"]


_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def token_f1(pred: str | None, gold: str | None) -> float:
    p = _PUNCT.sub(" ", (pred or "").lower()).split()
    g = _PUNCT.sub(" ", (gold or "").lower()).split()
    if not p and not g:
        return 1.0
    common = sum((Counter(p) & Counter(g)).values())
    if not common:
        return 0.0
    prec, rec = common / len(p), common / len(g)
    return 2 * prec * rec / (prec + rec)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attr_hits: Counter = field(default_factory=Counter)
    attr_total: Counter = field(default_factory=Counter)
    indicator_f1: list[float] = field(default_factory=list)
    misses: list[tuple[str, str, ClaimDict]] = field(default_factory=list)  # (article, 'fp'|'fn'|attr, claim)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, attr: str) -> float:
        total = self.attr_total[attr]
        return self.attr_hits[attr] / total if total else 1.0

    @property
    def indicator(self) -> float:
        return sum(self.indicator_f1) / len(self.indicator_f1) if self.indicator_f1 else 0.0

    def summary(self) -> dict[str, float]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "qualifier": self.accuracy("qualifier"),
            "kind": self.accuracy("kind"),
            "direction": self.accuracy("direction"),
            "period": self.accuracy("period"),
            "indicator_f1": self.indicator,
        }


def score_article(
    article_id: str, pred: list[ClaimDict], gold: list[ClaimDict], score: Score
) -> list[tuple[ClaimDict, ClaimDict]]:
    req = [g for g in gold if not g.get("optional")]
    opt = [g for g in gold if g.get("optional")]
    pairs: list[tuple[ClaimDict, ClaimDict]] = []
    used: set[int] = set()
    for p in sorted(pred, key=lambda c: c["start"]):
        i = next((i for i, g in enumerate(req) if i not in used and match(p, g)), None)
        if i is not None:
            used.add(i)
            pairs.append((p, req[i]))
        elif any(overlaps(p, o) for o in opt):
            continue
        else:
            score.fp += 1
            score.misses.append((article_id, "fp", p))
    score.tp += len(pairs)
    score.fn += len(req) - len(pairs)
    score.misses.extend((article_id, "fn", g) for i, g in enumerate(req) if i not in used)
    for p, g in pairs:
        for attr in ("qualifier", "kind", "period"):
            score.attr_total[attr] += 1
            if (p.get(attr) or None) == (g.get(attr) or None):
                score.attr_hits[attr] += 1
            else:
                score.misses.append((article_id, attr, {"pred": p.get(attr), **g}))
        if g.get("kind") == "change":
            score.attr_total["direction"] += 1
            if p.get("direction") == g.get("direction"):
                score.attr_hits["direction"] += 1
            else:
                score.misses.append((article_id, "direction", {"pred": p.get("direction"), **g}))
        score.indicator_f1.append(token_f1(p.get("indicator"), g.get("indicator")))
    return pairs


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(
    gold: Iterable[dict[str, Any]],
    predict: Callable[[dict[str, Any]], list[ClaimDict]],
) -> dict[str, Score]:
    """Score ``predict(article_row)`` on each gold row; keys: 'all', and each language."""
    scores: dict[str, Score] = defaultdict(Score)
    for row in gold:
        pred = predict(row)
        for key in ("all", row.get("lang", "vi")):
            score_article(row["id"], pred, row.get("claims", []), scores[key])
    return dict(scores)


def by_unit(gold: Iterable[dict[str, Any]], predict: Callable[[dict[str, Any]], list[ClaimDict]]) -> dict[str, Score]:
    """Per-unit scores (a prediction counts under its own unit, a miss under the gold unit)."""
    scores: dict[str, Score] = defaultdict(Score)
    for row in gold:
        pred = predict(row)
        units = {c["unit"] for c in pred} | {c["unit"] for c in row.get("claims", [])}
        for unit in units:
            score_article(
                row["id"],
                [c for c in pred if c["unit"] == unit],
                [c for c in row.get("claims", []) if c["unit"] == unit],
                scores[unit],
            )
    return dict(scores)
