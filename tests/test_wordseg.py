"""Word segmentation: :mod:`extractor.wordseg` gives underthesea's ``word_tokenize`` words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import regex

from extractor import wordseg

underthesea = pytest.importorskip("underthesea")

REPO = Path(__file__).resolve().parents[1]
SAMPLES = [
    "Tổng sản phẩm trên địa bàn tỉnh (GRDP) năm 2024 ước tăng 8,5% so với cùng kỳ",
    "Vissan đề xuất điều chỉnh giá bán thịt heo",
    "TP.HCM có 2.400 hộ bị thu hồi đất; Hà Nội có 1.200 hộ",
    "“Đổi mới, đột phá, quyết tâm, khát vọng” – tập trung lãnh đạo…",
    "Giá cà phê Robusta hợp đồng giao tháng 5-2025 tăng 120 USD/tấn",
    "a",
    "HÀ NỘI 2147483648 -3 +3 ² ½ iPhone x2 ABC Ab",
    "Công ty có 3 nhà máy 😀 ở Đắk Lắk",  # an emoji: underthesea's own featurizer takes over
]


def _pieces(rows: list[dict[str, Any]]) -> list[str]:
    texts = [r["text"] for r in rows if r.get("lang") == "vi"]
    seed = REPO / "corpora" / "vi" / "seed.txt"
    if seed.is_file():
        texts.append(seed.read_text(encoding="utf-8"))
    out: list[str] = []
    for text in texts:
        for line in text.split("\n"):
            out += [p.strip() for p in regex.split(r"[,;:()]", line) if p.strip()]
    return out


def _expected(text: str) -> list[str]:
    return [w for w in underthesea.word_tokenize(text) if w.strip()]


@pytest.mark.parametrize("text", SAMPLES)
def test_same_words_as_underthesea(text: str) -> None:
    assert wordseg.word_tokenize(text) == _expected(text)


def test_same_words_on_the_dev_texts(gold_rows: list[dict[str, Any]]) -> None:
    pieces = _pieces(gold_rows)
    assert pieces
    bad = [p for p in pieces if wordseg.word_tokenize(p) != _expected(p)]
    assert not bad, bad[:5]


def test_model_is_read() -> None:
    """The CRF weights are read from underthesea's model (else every call falls back)."""
    assert wordseg._model() is not None


def test_offsets_point_at_the_words() -> None:
    text = "  Doanh thu dịch vụ lữ hành đạt"
    spans = wordseg.word_spans(text[2:], 2)
    assert [w for _, _, w in spans] == _expected(text)
    for a, b, w in spans:
        assert " ".join(text[a:b].split()) == w


def test_underthesea_featurizer_takes_over_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordseg, "_model", lambda: None)
    for text in SAMPLES:
        assert wordseg.word_tokenize(text) == _expected(text)
