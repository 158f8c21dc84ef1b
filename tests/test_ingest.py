"""Ingest: files, JSONL, HTML, directories, stdin → Article; bad input → Skipped, never an exception."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import pathlib
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from extractor.htmltext import decode_bytes, find_date, html_to_doc, looks_vietnamese, parse_date
from extractor.ingest import Skipped, iter_inputs
from extractor.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
VI = (
    "Năm 2023, tổng giá trị sản xuất của huyện Phụng Hiệp ước đạt hơn 8.100 tỉ đồng, "
    "tăng 9,17% so với cùng kỳ. Người dân hoà thuận, đời sống được nâng lên."
)
FURNITURE = (
    "MENU-", "Trang chủ", "Thứ Năm", "RELATED-", "Tin liên quan", "COMMENT-", "Bình luận",
    "SIDEBAR-", "Đọc nhiều", "FOOTER-", "Giấy phép", "SHARE-BOX", "TAG-BOX", "1.000 tỉ đồng",
    "500 tỉ đồng", "200 đồng/kg",
)
TONES = "\u0300\u0301\u0303\u0309\u0323"


def run(*items: str | Path, **options: object) -> list[Article | Skipped]:
    return list(iter_inputs([str(i) for i in items], **options))  # type: ignore[arg-type]


def articles(results: list[Article | Skipped]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def skipped(results: list[Article | Skipped]) -> list[Skipped]:
    return [r for r in results if isinstance(r, Skipped)]


def only_article(results: list[Article | Skipped]) -> Article:
    assert len(results) == 1 and isinstance(results[0], Article), results
    return results[0]


def only_skipped(results: list[Article | Skipped]) -> Skipped:
    assert len(results) == 1 and isinstance(results[0], Skipped), results
    return results[0]


def cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258 does: base letter (â, ơ, ư...) plus a combining tone."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        tone = "".join(c for c in decomposed if c in TONES)
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


# ---------------------------------------------------------------------------------------------
# plain text and encodings
# ---------------------------------------------------------------------------------------------


def test_text_file_becomes_article_with_stem_id(tmp_path: Path) -> None:
    (tmp_path / "bai-viet.txt").write_text(VI, encoding="utf-8")
    art = only_article(run(tmp_path / "bai-viet.txt", lang="vi"))
    assert art.id == "bai-viet"
    assert art.text == VI
    assert art.lang == "vi"


def test_nfd_text_is_nfc_and_offsets_refer_to_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", VI)
    assert nfd != VI
    (tmp_path / "nfd.txt").write_text(nfd, encoding="utf-8")
    art = only_article(run(tmp_path / "nfd.txt"))
    assert art.text == VI
    start = art.text.index("8.100 tỉ đồng")
    assert art.text[start : start + len("8.100 tỉ đồng")] == "8.100 tỉ đồng"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)],
)
def test_boms_are_honoured_and_dropped(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    (tmp_path / "bom.txt").write_bytes(prefix + VI.encode(encoding))
    assert only_article(run(tmp_path / "bom.txt")).text == VI


def test_windows_1258_vietnamese_is_decoded_and_composed(tmp_path: Path) -> None:
    data = cp1258(VI)
    assert b"\xd2" in data or b"\xf2" in data  # combining tone marks really are in there
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_bytes(data) == (VI, "cp1258")
    (tmp_path / "legacy.txt").write_bytes(data)
    art = only_article(run(tmp_path / "legacy.txt"))
    assert art.text == VI
    assert unicodedata.is_normalized("NFC", art.text)


def test_western_legacy_text_is_not_read_as_vietnamese() -> None:
    french = "Größe Straße über café crème. Ça va très bien, déjà vu! São Paulo não é Portugal."
    text, encoding = decode_bytes(french.encode("cp1252"))
    assert text == french
    assert encoding == "cp1252"
    euro = "Škoda kostet 10 € – “quoted” naïve"
    assert decode_bytes(euro.encode("cp1252"))[0] == euro


def test_latin1_is_the_last_resort() -> None:
    data = "Résumé of the café, ÿ".encode("latin-1") + b"\x81"  # 0x81 is undefined in cp125x
    text, encoding = decode_bytes(data)
    assert encoding == "latin-1"
    assert text.startswith("Résumé of the café")


def test_truncated_utf8_stays_utf8() -> None:
    data = VI.encode("utf-8")
    cut = data[: data.index("Người".encode()) + 2]  # inside the two-byte "ư"
    text, encoding = decode_bytes(cut)
    assert encoding == "utf-8"
    assert text.startswith("Năm 2023, tổng giá trị")


def test_empty_and_whitespace_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    results = run(tmp_path / "empty.txt", tmp_path / "blank.txt")
    assert [type(r) for r in results] == [Skipped, Skipped]
    assert "empty" in results[0].reason and results[0].source.endswith("empty.txt")
    assert "whitespace" in results[1].reason and results[1].source.endswith("blank.txt")


def test_binary_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "nul.txt").write_bytes(b"abc\x00\x00def\x00" * 20)
    (tmp_path / "noise.txt").write_bytes(bytes(range(1, 32)) * 40)
    png, nul, noise = run(tmp_path / "photo.txt", tmp_path / "nul.txt", tmp_path / "noise.txt")
    assert isinstance(png, Skipped) and "PNG" in png.reason
    assert isinstance(nul, Skipped) and "NUL" in nul.reason
    assert isinstance(noise, Skipped) and "binary" in noise.reason


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(VI, encoding="utf-8")
    (tmp_path / "open.txt").write_text(VI, encoding="utf-8")
    real_open = pathlib.Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pathlib.Path, "open", guarded_open)
    results = run(tmp_path)
    assert [r.id for r in articles(results)] == ["open"]
    (skip,) = skipped(results)
    assert skip.source.endswith("locked.txt") and "Permission denied" in skip.reason


def test_file_vanishing_during_a_directory_walk_is_skipped(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(VI, encoding="utf-8")
    stream = iter_inputs([str(tmp_path)])
    first = next(stream)
    (tmp_path / "b.txt").unlink()
    (tmp_path / "c.txt").unlink()
    (tmp_path / "c.txt").mkdir()  # replaced by a directory
    rest = list(stream)
    assert isinstance(first, Article) and first.id == "a"
    assert [type(r) for r in rest] == [Skipped, Skipped]
    assert rest[0].source.endswith("b.txt") and "cannot read" in rest[0].reason
    assert rest[1].source.endswith("c.txt") and "cannot read" in rest[1].reason


def test_missing_path_and_special_file(tmp_path: Path) -> None:
    skip = only_skipped(run(tmp_path / "nope.txt"))
    assert skip.source.endswith("nope.txt") and "no such file" in skip.reason


def test_too_large_inputs_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("x" * 500, encoding="utf-8")
    (tmp_path / "small.txt").write_text("y" * 50, encoding="utf-8")
    results = run(tmp_path / "big.txt", tmp_path / "small.txt", max_bytes=100)
    assert isinstance(results[0], Skipped) and "too large" in results[0].reason
    assert isinstance(results[1], Article) and results[1].text == "y" * 50


# ---------------------------------------------------------------------------------------------
# JSONL
# ---------------------------------------------------------------------------------------------


def write_jsonl(path: Path, rows: list[object | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_rows_and_bad_lines(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "dump.jsonl",
        [
            {"id": "vi-1", "text": unicodedata.normalize("NFD", VI), "lang": "vi", "date": "2024-01-09",
             "title": "Phụng Hiệp", "url": "https://example.vn/a", "source": "Báo Hậu Giang",
             "claims": [{"text": "8.100 tỉ đồng"}], "extra": 1},
            '{"id": "broken", "text": "unterminated',
            "",
            {"text": "Up 9.17 percent.", "date": "09/01/2024"},
            {"id": "no-text", "title": "only a title"},
            {"id": "bad-date", "text": "Tăng 5%", "date": "31/31/2024"},
            [1, 2, 3],
            {"id": "blank", "text": "   "},
        ],
    )
    results = run(path, lang="en")
    good = articles(results)
    assert [a.id for a in good] == ["vi-1", "dump-4", "bad-date"]
    first = good[0]
    assert first.text == VI and first.lang == "vi" and first.date == dt.date(2024, 1, 9)
    assert (first.title, first.url, first.source) == ("Phụng Hiệp", "https://example.vn/a", "Báo Hậu Giang")
    assert good[1].lang == "en" and good[1].date == dt.date(2024, 1, 9)
    assert good[2].date is None
    bad = {s.source: s.reason for s in skipped(results)}
    assert set(bad) == {f"{path}:2", f"{path}:5", f"{path}:7", f"{path}:8"}
    assert "invalid JSON" in bad[f"{path}:2"]
    assert "no text" in bad[f"{path}:5"]
    assert "not a JSON object" in bad[f"{path}:7"]


def test_jsonl_oversized_line_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    rows = [json.dumps({"id": "huge", "text": "x" * 1000}), json.dumps({"id": "ok", "text": "Tăng 5%"})]
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(rows).encode("utf-8"))
    results = run(path, max_bytes=200)
    assert isinstance(results[0], Skipped) and results[0].source == f"{path}:1"
    assert "too large" in results[0].reason
    assert isinstance(results[1], Article) and results[1].id == "ok"


def test_jsonl_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + json.dumps({"id": "w", "text": VI}, ensure_ascii=False).encode("utf-16-le"))
    assert only_article(run(path)).text == VI


def test_jsonl_html_field_goes_through_html_path(tmp_path: Path) -> None:
    html = (DATA / "vi_article.html").read_text(encoding="utf-8")
    path = write_jsonl(tmp_path / "pages.jsonl", [{"id": "p1", "html": html, "source": "Hậu Giang"}])
    art = only_article(run(path))
    assert art.id == "p1" and art.source == "Hậu Giang" and art.date == dt.date(2024, 1, 9)
    assert "8.100 tỉ đồng" in art.text and "MENU-" not in art.text


def test_empty_jsonl_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "none.jsonl").write_text("\n\n", encoding="utf-8")
    assert "empty" in only_skipped(run(tmp_path / "none.jsonl")).reason


# ---------------------------------------------------------------------------------------------
# directories and ids
# ---------------------------------------------------------------------------------------------


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for rel in ("b.txt", "a.txt", "sub/c.txt", ".hidden.txt", ".git/d.txt", "sub/.e.txt"):
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"text of {rel}", encoding="utf-8")
    assert [a.id for a in articles(run(tmp_path))] == ["a", "b", "c"]


def test_clashing_stems_get_unique_ids(tmp_path: Path) -> None:
    for rel in ("vn/tin.txt", "en/tin.txt", "vn/bai.txt", "vn/bai.html", "solo.txt"):
        target = tmp_path / "news" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".html":
            target.write_text("<html><body><article><p>" + VI + "</p></article></body></html>", encoding="utf-8")
        else:
            target.write_text(VI, encoding="utf-8")
    ids = [a.id for a in articles(run(tmp_path / "news"))]
    assert sorted(ids) == sorted(["en/tin", "vn/tin", "bai.html", "bai.txt", "solo"])
    assert len(set(ids)) == len(ids)


def test_same_file_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(VI, encoding="utf-8")
    results = run(tmp_path / "a.txt", tmp_path / "a.txt")
    assert isinstance(results[0], Article) and isinstance(results[1], Skipped)
    assert results[0].id == "a"


def test_every_skip_reason_is_one_line_naming_its_source(tmp_path: Path) -> None:
    (tmp_path / "e.txt").write_bytes(b"")
    (tmp_path / "p.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    write_jsonl(tmp_path / "j.jsonl", ['{"a":\n', '{"text": 5}'])
    (tmp_path / "x.html").write_text("<html><body><nav>menu</nav></body></html>", encoding="utf-8")
    results = run(tmp_path, tmp_path / "missing\nname.txt")
    skips = skipped(results)
    assert len(skips) == 6 and not articles(results)
    for skip in skips:
        assert "\n" not in str(skip)
        assert skip.source.startswith(str(tmp_path)) and skip.reason


# ---------------------------------------------------------------------------------------------
# stdin
# ---------------------------------------------------------------------------------------------


def fake_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, unicodedata.normalize("NFD", VI).encode("utf-8"))
    art = only_article(run("-", lang="vi"))
    assert (art.id, art.text, art.lang) == ("stdin", VI, "vi")


def test_stdin_html_and_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, (DATA / "vi_article.html").read_bytes())
    art = only_article(run("-"))
    assert art.date == dt.date(2024, 1, 9) and "RELATED-" not in art.text
    fake_stdin(monkeypatch, b'{"text": "one"}\n{"id": "x", "text": "two"}\n')
    assert [a.id for a in articles(run("-"))] == ["stdin-1", "x"]


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b"")
    assert only_skipped(run("-")).source == "stdin"


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


def test_html_page_main_text_without_furniture() -> None:
    art = only_article(run(DATA / "vi_article.html"))
    assert art.id == "vi_article"
    assert art.text.startswith("Huyện Phụng Hiệp: Tăng tốc cho nhiệm kỳ 2020-2025\n\n")
    for needle in ("8.100 tỉ đồng", "9,17%", "172 căn nhà", "42km", "17/17 chỉ tiêu"):
        assert needle in art.text
    for furniture in FURNITURE:
        assert furniture not in art.text, furniture
    assert art.title == "Huyện Phụng Hiệp: Tăng tốc cho nhiệm kỳ 2020-2025"
    assert art.author == "Thanh Tâm"
    assert art.source == "Báo Hậu Giang"
    assert art.lang == "vi"
    assert unicodedata.is_normalized("NFC", art.text)


def test_vietnamese_byline_is_read_day_first() -> None:
    # the page header says "Thứ Năm, 11/01/2024" (today's date); the byline says 09/01/2024
    assert only_article(run(DATA / "vi_article.html")).date == dt.date(2024, 1, 9)
    # no class names at all: the first date below the headline, read day-first
    assert only_article(run(DATA / "vi_plain_byline.html")).date == dt.date(2024, 2, 5)


def test_meta_published_time_wins_over_byline() -> None:
    art = only_article(run(DATA / "vi_meta_date.html"))
    assert art.date == dt.date(2024, 1, 10)  # the byline says 09/01/2024
    assert art.source == "Báo Cần Thơ"


def test_english_page_json_ld_date_and_author() -> None:
    art = only_article(run(DATA / "en_article.html"))
    assert art.date == dt.date(2024, 1, 9)
    assert (art.lang, art.author, art.source) == ("en", "Jane Doe", "Example News")
    assert "8.1 million tonnes" in art.text
    assert "NAV-WORLD" not in art.text and "FOOTER-EN" not in art.text


def test_month_first_misreading_is_undone_on_vietnamese_pages() -> None:
    from extractor.htmltext import _swap_if_month_first

    html = "<p>09/01/2024 | 07:43</p>"
    assert _swap_if_month_first(dt.date(2024, 9, 1), html) == dt.date(2024, 1, 9)
    assert _swap_if_month_first(dt.date(2024, 1, 9), html) == dt.date(2024, 1, 9)


def test_windows_1258_html_page(tmp_path: Path) -> None:
    html = (
        '<html lang="vi"><head><meta charset="windows-1258"><title>Tin</title></head><body>'
        f"<article><h1>Tin kinh tế</h1><p>{VI}</p></article></body></html>"
    )
    (tmp_path / "legacy.html").write_bytes(cp1258(html))
    art = only_article(run(tmp_path / "legacy.html"))
    assert VI in art.text


def test_broken_and_truncated_html_do_not_crash(tmp_path: Path) -> None:
    page = (DATA / "vi_article.html").read_bytes()
    cut = page.index("172 căn nhà".encode()) + 5
    (tmp_path / "truncated.html").write_bytes(page[:cut])
    (tmp_path / "garbage.html").write_text("<<<>>> </div></p><html", encoding="utf-8")
    (tmp_path / "tags.html").write_text("<html><body><div><p>Một <b>đoạn <i>văn", encoding="utf-8")
    (tmp_path / "furniture.html").write_text("<html><body><nav>Trang chủ</nav></body></html>", encoding="utf-8")
    results = run(tmp_path)
    by_source = {(r.id if isinstance(r, Article) else Path(r.source).stem): r for r in results}
    truncated = by_source["truncated"]
    assert isinstance(truncated, Article) and "8.100 tỉ đồng" in truncated.text
    assert truncated.date == dt.date(2024, 1, 9)
    assert "garbage" in by_source  # an Article or a Skipped, but no exception
    assert isinstance(by_source["tags"], Article) and by_source["tags"].text == "Một đoạn văn"
    assert isinstance(by_source["furniture"], Skipped)
    assert len(results) == 4


def test_html_is_sniffed_in_files_without_html_suffix(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_bytes((DATA / "vi_article.html").read_bytes())
    art = only_article(run(tmp_path / "page.txt"))
    assert "<" not in art.text and art.date == dt.date(2024, 1, 9)


def test_html_to_doc_lang_override() -> None:
    doc = html_to_doc((DATA / "en_article.html").read_text(encoding="utf-8"), lang="vi")
    assert doc.lang == "vi"


# ---------------------------------------------------------------------------------------------
# dates and helpers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-09", dt.date(2024, 1, 9)),
        ("2024-01-09T07:43:00+07:00", dt.date(2024, 1, 9)),
        ("09/01/2024", dt.date(2024, 1, 9)),
        ("9/1/2024 07:43", dt.date(2024, 1, 9)),
        ("09-01-2024", dt.date(2024, 1, 9)),
        ("09.01.2024", dt.date(2024, 1, 9)),
        ("12/31/2024", dt.date(2024, 12, 31)),  # impossible day-first, so month-first
        ("Thứ Ba, ngày 9 tháng 1 năm 2024", dt.date(2024, 1, 9)),
        ("January 9, 2024", dt.date(2024, 1, 9)),
        ("9 Jan 2024", dt.date(2024, 1, 9)),
        (dt.date(2024, 1, 9), dt.date(2024, 1, 9)),
        ("31/31/2024", None),
        ("2024-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (20240109, None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_find_date_takes_the_first_and_can_be_month_first() -> None:
    assert find_date("Cập nhật 09/01/2024 | 07:43 GMT+7, sửa 10/01/2024") == dt.date(2024, 1, 9)
    assert find_date("Posted 01/09/2024", day_first=False) == dt.date(2024, 1, 9)
    assert find_date("Quyết định số 1681/QĐ-UBND, 123/GP-BTTTT") is None


def test_looks_vietnamese() -> None:
    assert looks_vietnamese(VI)
    assert not looks_vietnamese("Vietnam exported 8.1 million tonnes of rice in 2023.")


def test_text_inputs_do_not_import_trafilatura_or_httpx(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(VI, encoding="utf-8")
    write_jsonl(tmp_path / "b.jsonl", [{"text": VI}])
    code = (
        "import sys, extractor.ingest as ing\n"
        "before = set(sys.modules)\n"
        f"items = list(ing.iter_inputs([{str(tmp_path)!r}]))\n"
        "assert len(items) == 2 and all(type(i).__name__ == 'Article' for i in items), items\n"
        "new = set(sys.modules) - before\n"
        "print(sorted(m for m in new if m.split('.')[0] in ('trafilatura', 'httpx', 'lxml')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_plain_text_byline_gives_the_date_day_first(tmp_path: Path) -> None:
    path = tmp_path / "bai.txt"
    path.write_text("Huyện Phụng Hiệp: Tăng tốc\n\n09/01/2024 | 07:43 GMT+7\n\nNăm qua, huyện đạt 45,2 tỉ đồng.\n", encoding="utf-8")
    (article,) = list(iter_inputs([str(path)]))
    assert article.date == dt.date(2024, 1, 9)


def test_plain_text_date_in_the_body_is_not_the_article_date(tmp_path: Path) -> None:
    path = tmp_path / "bai.txt"
    path.write_text("Tiêu đề\n\nTheo Quyết định số 1681 ngày 23/01/2019 của Ban Thường vụ Tỉnh ủy, huyện đã triển khai nhiều nội dung.\n", encoding="utf-8")
    (article,) = list(iter_inputs([str(path)]))
    assert article.date is None
