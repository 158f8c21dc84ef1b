"""The ``chiso_claims`` spaCy component, the English sentence pipeline and the displaCy example."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

import extractor.spacy_component as sc
from extractor.segment import sentences

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "displacy_claims.py"


def test_component_sets_spans_and_dicts() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("chiso_claims", config={"lang": "en"})
    doc = nlp("Exports rose 8 percent to US$1.2 billion, accounting for 93.7% of the plan.")
    assert Doc.has_extension("claims")
    claims = doc._.claims
    assert [c["text"] for c in claims] == ["8 percent", "US$1.2 billion", "93.7%"]
    assert all(isinstance(c, dict) and isinstance(c["value"], str) for c in claims)
    assert [c["kind"] for c in claims] == ["change", "level", "target"]
    spans = doc.spans["claims"]
    assert [s.label_ for s in spans] == ["change", "level", "target"]
    for span, claim in zip(spans, claims, strict=True):
        assert span.start_char <= claim["start"] and claim["end"] <= span.end_char
    assert sc.text_offsets_ok(doc)


def test_component_vietnamese_and_auto() -> None:
    nlp = spacy.blank("en")  # the tokenizer only places spans; the component reads doc.text
    nlp.add_pipe("chiso_claims", config={"lang": "auto"})
    doc = nlp("Doanh thu tăng 9,17%, đạt 8.100 tỉ đồng.\n\nExports rose 8 percent.")
    got = [(c["text"], c["lang"], c["value"]) for c in doc._.claims]
    assert ("8.100 tỉ đồng", "vi", "8100000000000") in got
    assert ("8 percent", "en", "8") in got


def test_factory_is_registered() -> None:
    assert "chiso_claims" in spacy.registry.factories.get_all()
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("chiso_claims", config={"spans_key": "numbers"})
    doc = nlp("About 30 million people are yet to join.")
    assert isinstance(pipe, sc.ChisoClaims)
    assert [s.text for s in doc.spans["numbers"]] == ["30 million people"]


def test_english_pipeline_is_built_once_and_splits_money() -> None:
    nlp = sc.english_pipeline()
    assert sc.english_pipeline() is nlp
    tokens = [t.text for t in nlp("Profit was VND45.2 billion, or US$1.2bn ($194 mln).")]
    for piece in ("VND", "45.2", "US$", "1.2", "bn", "$", "194", "mln"):
        assert piece in tokens


def test_english_sentences_use_spacy_and_keep_offsets() -> None:
    text = "Mr. Smith said exports hit US$1.2 bn. The U.S. market took 20%.\nSource: VOV"
    spans = sentences(text, lang="en")
    assert [text[a:b] for a, b in spans] == [
        "Mr. Smith said exports hit US$1.2 bn.",
        "The U.S. market took 20%.",
        "Source: VOV",
    ]


def test_displacy_example_writes_html(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("displacy_claims", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.render(tmp_path / "claims.html")
    html = out.read_text(encoding="utf-8")
    assert "2.6" in html and "change" in html and "target" in html


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_component_lang_from_config(lang: str) -> None:
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("chiso_claims", config={"lang": lang})
    assert pipe.lang == lang
