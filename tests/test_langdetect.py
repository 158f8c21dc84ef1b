"""Language identification without a model, and per-paragraph segmentation of mixed documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import detect_lang, extract
from extractor.langdetect import detect, scores
from extractor.segment import segments

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev.jsonl"

EN = "Vietnam had exported over 2.6 million tonnes of rice as of May 15, a year-on-year rise of 8 percent."
VI = "Tổng giá trị sản xuất năm 2023 đạt hơn 8.100 tỉ đồng, tăng 9,17% so với năm 2022."


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (EN, "en"),
        (VI, "vi"),
        ("Hanoi (VNA) – Prime Minister Phạm Minh Chính chaired the meeting in Đà Nẵng.", "en"),
        ("Rice exports rose 8 percent, according to Nguyễn Văn Nam of the Ministry.", "en"),
        ("Giá heo hơi hôm nay tăng nhẹ", "vi"),
        ("Ông Nguyễn Văn Nam cho biết", "vi"),
        ("VND45.2 billion", "en"),
        ("Interest rates fell 0.5 percentage points.", "en"),  # no listed function word at all
        ("Hanoi Swelters at 41 Degrees Celsius", "en"),
    ],
)
def test_detect(text: str, lang: str) -> None:
    assert detect(text) == lang
    assert detect_lang(text) == lang


def test_no_evidence_takes_the_default() -> None:
    assert detect("") == "vi"
    assert detect("12345 678", default="en") == "en"
    assert scores("") == (0.0, 0.0)


@pytest.mark.skipif(not GOLD.is_file(), reason="shared gold not found")
def test_gold_articles_are_detected() -> None:
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert detect(row["text"]) == row["lang"], row["id"]


MIXED = f"{VI}\n\n{EN}\n\nNguồn: TTXVN\n\n{VI}"


def test_mixed_document_is_segmented_per_paragraph() -> None:
    segs = list(segments(MIXED, lang=None))
    assert [s.lang for s in segs] == ["vi", "en", "vi"]
    # the short "Nguồn: TTXVN" paragraph joins the run before it
    assert MIXED[segs[1].start : segs[1].end].startswith("Vietnam had exported")
    assert all(s.start < s.end for s in segs)
    for seg in segs:
        for a, b in seg.sentences:
            assert seg.start <= a < b <= seg.end


def test_mixed_document_uses_each_locale() -> None:
    claims = extract(MIXED, lang="auto")
    got = {(c.text, c.lang, str(c.value)) for c in claims}
    assert ("8.100 tỉ đồng", "vi", "8100000000000") in got
    assert ("9,17%", "vi", "9.17") in got
    assert ("2.6 million tonnes", "en", "2600000") in got
    assert ("8 percent", "en", "8") in got
    # offsets point into the original text
    assert all(MIXED[c.start : c.end] == c.text for c in claims)


def test_lang_override_wins() -> None:
    # "8.100" is 8.1 in English text and 8100 in Vietnamese text: the locale comes from the document
    text = "Revenue was 8.100 billion."
    assert [str(c.value) for c in extract(text, lang="en")] == []  # no unit: not a claim
    assert [c.value for c in extract("Doanh thu 8.100 tỉ đồng.", lang="vi")] == [8100 * 10**9]
    en = extract("Revenue was USD 8.100 billion.", lang="en")
    assert [c.value for c in en] == [8100000000]
