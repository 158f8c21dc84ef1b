"""Consistency checks: interval arithmetic over the figures an article relates.

``check_article(article, claims)`` detects the relations the text states between its claims
(:mod:`extractor.checks.relations`, cue words in ``lang/<code>/checks.toml``), evaluates each with
interval arithmetic (:mod:`extractor.checks.intervals`) through the rule catalogue
(:mod:`extractor.checks.rules`), and returns :class:`~extractor.records.Finding` records whose
messages show the arithmetic.
"""

from __future__ import annotations

from extractor.checks.relations import Doc, Implied, Relation, detect
from extractor.checks.rules import CODES, evaluate_implied, evaluate_relation, single_claim_findings
from extractor.records import Article, Claim, Finding

__all__ = ["CODES", "Implied", "Relation", "check_article", "detect_relations"]

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def detect_relations(article: Article, claims: list[Claim]) -> tuple[list[Relation], list[Implied], Doc]:
    """The relations and implied values detected in ``article`` (indices into ``doc.claims``)."""
    doc = Doc.build(article, claims)
    relations, implied = detect(doc)
    return relations, implied, doc


def check_article(article: Article, claims: list[Claim]) -> list[Finding]:
    """Every consistency finding for one article, errors first, then in text order."""
    relations, implied, doc = detect_relations(article, claims)
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for rel in relations:
        finding = evaluate_relation(doc, rel, article_id=article.id)
        if finding is not None:
            findings.append(finding)
    for imp in implied:
        finding = evaluate_implied(doc, imp, article_id=article.id)
        if finding is not None:
            findings.append(finding)
    for i in range(len(doc.claims)):
        findings.extend(single_claim_findings(doc, i, article_id=article.id))
    unique: list[Finding] = []
    for f in findings:
        key = (f.code, tuple(sorted((c.start, c.end) for c in f.claims)))
        if key not in seen:
            seen.add(key)
            unique.append(f)
    unique.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.claims[0].start if f.claims else 0, f.code))
    return unique
