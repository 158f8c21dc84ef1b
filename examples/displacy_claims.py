"""Render chiso's numeric claims with displaCy's span view to an HTML file.

    python examples/displacy_claims.py [OUTPUT.html]

Each claim is a span labelled with its kind (level, change, share, ...); the same doc runs through
the registered ``chiso_claims`` component for an English and a Vietnamese paragraph.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
from spacy import displacy

import extractor.spacy_component  # noqa: F401  (registers "chiso_claims" without the entry point)

TEXTS = {
    "en": (
        "Vietnam exported over 2.6 million tonnes of rice as of May 15, a year-on-year rise of "
        "8 percent. The export turnover was estimated at VND28.3 trillion (US$1.2 billion), "
        "accounting for 93.7% of the plan."
    ),
    "vi": (
        "Tổng giá trị sản xuất đạt hơn 8.100 tỉ đồng, tăng 9,17% so với năm 2022; "
        "thu ngân sách đạt 152% chỉ tiêu."
    ),
}


def render(out: Path) -> Path:
    pages = []
    for lang, text in TEXTS.items():
        nlp = spacy.blank("en")  # a blank tokenizer is enough: the component reads doc.text
        nlp.add_pipe("chiso_claims", config={"lang": lang})
        doc = nlp(text)
        pages.append(
            displacy.render(doc, style="span", options={"spans_key": "claims"}, page=False)
        )
    html = "<html><head><meta charset='utf-8'><title>chiso claims</title></head><body>"
    html += "<hr>".join(pages) + "</body></html>"
    out.write_text(html, encoding="utf-8")
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("claims.html")
    sys.stdout.write(f"wrote {render(target)}\n")
