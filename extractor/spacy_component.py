"""spaCy integration: the ``chiso_claims`` pipeline component and the English sentence pipeline.

``chiso_claims`` (a registered factory, also declared as a ``spacy_factories`` entry point) runs
:func:`extractor.extract` on ``doc.text`` and stores the claims twice: as spans in
``doc.spans["claims"]`` (label = kind, for displaCy's span view) and as plain dicts in
``doc._.claims``. It works for both languages (``lang`` = ``"vi"``, ``"en"`` or ``"auto"``)::

    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("chiso_claims", config={"lang": "en"})
    doc = nlp("Exports rose 8 percent to US$1.2 billion.")
    doc._.claims[0]["unit"]   # 'percent'

spaCy is imported lazily by the engine (only the English splitter needs it), and the English
pipeline is built once per process (:func:`english_pipeline`).
"""

from __future__ import annotations

import functools
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

__all__ = ["ChisoClaims", "english_pipeline", "make_chiso_claims"]

# currency codes and symbols written straight onto the digits: VND45.2, US$1.2bn, $194, HK$3
_MONEY_PREFIX = r"(?:US\$|U\.S\.\$|HK\$|S\$|A\$|C\$|NZ\$|VN\$|VND|VNĐ|USD|EUR|GBP|JPY|CNY|RMB|Rs\.?|[$€£¥₫])(?=[\d.])"
# scale suffixes written onto the digits: 1.2bn, 194mln, 5m, 100k
_SCALE_SUFFIX = r"(?<=\d)(?:bn|mn|mln|tn|trn|m|k|K|M|B)$"


@functools.cache
def english_pipeline() -> Language:
    """A blank English pipeline with a sentencizer and tokenizer rules for money (built once)."""
    nlp = spacy.blank("en")
    tokenizer = nlp.tokenizer
    prefixes = [_MONEY_PREFIX, *nlp.Defaults.prefixes]
    tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    suffixes = [_SCALE_SUFFIX, *nlp.Defaults.suffixes]
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    for case in ("U.S.", "U.K.", "U.N.", "No.", "Nos.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."):
        tokenizer.add_special_case(case, [{"ORTH": case}])
    nlp.add_pipe("sentencizer")
    return nlp


class ChisoClaims:
    """Pipeline component: numeric claims of the whole doc as spans and plain dicts."""

    def __init__(self, nlp: Language, name: str, *, lang: str | None, spans_key: str) -> None:
        self.name = name
        # None: the pipeline's language when chiso has a pack for it; "auto": detect per paragraph
        if lang is None:
            lang = nlp.lang if nlp.lang in ("vi", "en") else "auto"
        self.lang: str | None = None if lang == "auto" else lang
        self.spans_key = spans_key
        if not Doc.has_extension("claims"):
            Doc.set_extension("claims", default=None)

    def __call__(self, doc: Doc) -> Doc:
        from extractor import extract

        claims = extract(doc.text, lang=self.lang)
        spans: list[Span] = []
        dicts: list[dict[str, Any]] = []
        for claim in claims:
            data = claim.model_dump(mode="json", exclude_none=True)
            dicts.append(data)
            span = doc.char_span(claim.start, claim.end, label=claim.kind, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        doc._.claims = dicts
        return doc


@Language.factory(
    "chiso_claims",
    default_config={"lang": None, "spans_key": "claims"},
)
def make_chiso_claims(nlp: Language, name: str, lang: str | None, spans_key: str) -> ChisoClaims:
    """Factory of the ``chiso_claims`` component (``lang``: vi, en, auto; None = the pipeline's)."""
    return ChisoClaims(nlp, name, lang=lang, spans_key=spans_key)


def text_offsets_ok(doc: Doc) -> bool:
    """Every claim span of ``doc`` covers its claim's text (a sanity check used by the tests)."""
    claims = doc._.claims or []
    return all(doc.text[c["start"] : c["end"]] == c["text"] for c in claims)

