"""Bytes → text and HTML → article text with metadata (title, date, author, site name).

Three concerns that every input path shares:

* :func:`decode_bytes` — sniff binary data, then try UTF-8 (with BOM), UTF-16/32 with BOM, a
  declared charset, and finally the legacy encodings Windows-1258 (Vietnamese), Windows-1252 and
  Latin-1, chosen by how plausible the decoded words look. The result is always NFC.
* :func:`parse_date` / :func:`find_date` — dates as Vietnamese and most non-US outlets write them:
  ``09/01/2024`` is the 9th of January (day first), ``ngày 9 tháng 1 năm 2024``, ISO ``2024-01-09``.
* :func:`html_to_doc` — main text via trafilatura (menus, related links, comments and footers
  dropped), plus metadata. The publication date comes from meta tags / JSON-LD when present;
  otherwise, on a Vietnamese page, from a ``dd/mm/yyyy`` byline below the headline, read day-first
  (trafilatura alone reads ``09/01/2024`` as the 1st of September or picks the site header's
  "today" date).

trafilatura and lxml are imported lazily, only when an HTML page is actually parsed.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = [
    "HtmlDoc",
    "NotArticle",
    "NotText",
    "decode_bytes",
    "find_date",
    "html_to_doc",
    "looks_like_html",
    "looks_vietnamese",
    "parse_date",
]


class NotText(ValueError):
    """The bytes are not text (binary data, or no encoding fits); ``str(exc)`` is the reason."""


class NotArticle(ValueError):
    """An HTML page without usable article text; ``str(exc)`` is the reason."""


# ---------------------------------------------------------------------------------------------
# Vietnamese letters
# ---------------------------------------------------------------------------------------------

_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_TONE_MARKS = frozenset(t for t in _TONES if t)
_VI_VOWELS = "aăâeêioôơuưy"


def _vi_letters() -> frozenset[str]:
    lower = {unicodedata.normalize("NFC", v + t) for v in _VI_VOWELS for t in _TONES}
    lower |= set("bcdđghklmnpqrstvx") | set("fjwz")  # loanwords and names use f, j, w, z
    return frozenset(lower | {c.upper() for c in lower})


_BASE_VOWEL = {unicodedata.normalize("NFC", v + t): v for v in _VI_VOWELS for t in _TONES}
VI_LETTERS = _vi_letters()
"""Every letter of the Vietnamese alphabet, with all tone marks, both cases (NFC)."""
VI_SPECIFIC = frozenset(c for c in VI_LETTERS if not c.isascii())
"""Vietnamese letters outside ASCII: ``ă â đ ê ô ơ ư`` and every tone-marked vowel."""


def looks_vietnamese(text: str, *, sample: int = 20_000) -> bool:
    """True if enough letters carry Vietnamese diacritics (≥ 4 % of letters, at least 5)."""
    head = text[:sample]
    letters = sum(1 for c in head if c.isalpha())
    special = sum(1 for c in head if c in VI_SPECIFIC)
    return special >= 5 and special >= 0.04 * letters


# ---------------------------------------------------------------------------------------------
# Bytes → text
# ---------------------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (docx/xlsx/odt?)"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "MS Office document (doc/xls)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# legacy encodings with their rank on a plausibility tie: on a tie the decoded texts are (nearly)
# the same, and cp1252 is by far the commonest, latin-1 the last resort
_LEGACY = (("cp1258", 0), ("cp1252", 2), ("latin-1", 1))
_SCORE_SAMPLE = 200_000  # characters scored when choosing a legacy encoding
_CONTROL_OK = frozenset("\t\n\r\f\v")
_WORD = re.compile(r"[^\W\d_]+")


def _is_control(c: str) -> bool:
    return (c < " " and c not in _CONTROL_OK) or "\x7f" <= c <= "\x9f"


def _control_share(text: str, *, sample: int = 8192) -> float:
    head = text[:sample]
    return sum(1 for c in head if _is_control(c)) / max(len(head), 1)


def _vi_word_ok(word: str) -> bool:
    """A plausible Vietnamese (or plain ASCII) word: known letters, at most one tone, sane case."""
    if not all(c in VI_LETTERS for c in word):
        return False
    if sum(1 for c in unicodedata.normalize("NFD", word) if c in _TONE_MARKS) > 1:
        return False
    marked = [i for i, c in enumerate(word) if c in VI_SPECIFIC and c not in "đĐ"]
    if len(marked) > 1:  # only ư + ơ carry two marked vowels in one syllable (người, ướt)
        first, second = (_BASE_VOWEL.get(word[i].lower()) for i in marked[:2])
        if len(marked) > 2 or marked[1] != marked[0] + 1 or (first, second) != ("ư", "ơ"):
            return False
    return word.islower() or word.isupper() or word[1:].islower()


def _plausibility(text: str) -> int:
    """Score a candidate decoding: plausible non-ASCII words minus implausible ones and junk."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        score += 1 if _vi_word_ok(word) else -1
    leftovers = sum(1 for c in text if unicodedata.category(c) == "Mn")
    controls = sum(1 for c in text if _is_control(c))
    return score - 5 * leftovers - 2 * controls


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:65536]:
        return "binary data (NUL bytes)"
    return None


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to NFC text; return ``(text, encoding)`` or raise :class:`NotText`.

    Order: BOM (UTF-8, UTF-16, UTF-32) → binary sniffing → UTF-8 → ``declared`` charset (from an
    HTTP header or ``<meta charset>``) → the most plausible of Windows-1258, Windows-1252 and
    Latin-1. Windows-1258 writes tone marks as combining characters, hence the NFC.
    """
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(name), name
            except UnicodeDecodeError:
                data = data[len(bom) :]
            break
    if text is None:
        kind = _binary_kind(data)
        if kind:
            raise NotText(kind)
        text, encoding = _decode_unmarked(data, declared=declared)
    if _control_share(text) > 0.1:
        raise NotText("binary data (control characters)")
    return unicodedata.normalize("NFC", text), encoding


def _decode_unmarked(data: bytes, *, declared: str | None) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # mostly UTF-8 with a few broken bytes (a truncated download, one stray byte): keep UTF-8
    lenient = data.decode("utf-8", "replace")
    bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for c in lenient if not c.isascii() and c != "\ufffd")
    if good >= 10 * bad:
        return lenient, "utf-8"
    if declared:
        name = _codec_name(declared)
        if name and name not in ("utf-8", "utf-16", "utf-32"):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass
    candidates: list[tuple[int, int, str, str]] = []
    for name, tie_rank in _LEGACY:
        try:
            decoded = data.decode(name)
        except UnicodeDecodeError:
            continue
        nfc = unicodedata.normalize("NFC", decoded[:_SCORE_SAMPLE])
        candidates.append((_plausibility(nfc), tie_rank, name, decoded))
    if not candidates:  # latin-1 decodes anything, so this is unreachable in practice
        raise NotText("undecodable text")
    _, _, name, decoded = max(candidates)
    return decoded, name


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset named in an HTML page's ``<meta>`` tags (first 4 KB), if any."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii", "replace") if found else None


def looks_like_html(text: str) -> bool:
    """True if ``text`` starts like an HTML document (doctype, ``<html>``, ``<head>``, ``<body>``)."""
    head = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body")) or (
        head.startswith("<") and ("<html" in head or "<body" in head)
    )


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d)")
_VI_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november",
         "dec december")
    )
    for name in names.split()
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_EN_MDY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_EN_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_matches(text: str, *, day_first: bool) -> Iterator[tuple[int, dt.date]]:
    """Every date written in ``text``, as ``(position, date)`` pairs (unordered)."""
    for m in _ISO.finditer(text):
        found = _make_date(int(m[1]), int(m[2]), int(m[3]))
        if found:
            yield m.start(), found
    for m in _NUMERIC.finditer(text):
        a, b, year = int(m[1]), int(m[3]), int(m[4])
        first, second = (_make_date(year, b, a), _make_date(year, a, b))
        found = (first or second) if day_first else (second or first)
        if found:
            yield m.start(), found
    for m in _VI_WORDS.finditer(text):
        found = _make_date(int(m[3]), int(m[2]), int(m[1]))
        if found:
            yield m.start(), found
    for m in _EN_MDY.finditer(text):
        found = _make_date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
        if found:
            yield m.start(), found
    for m in _EN_DMY.finditer(text):
        found = _make_date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        if found:
            yield m.start(), found


def find_date(text: str, *, day_first: bool = True) -> dt.date | None:
    """The first date written anywhere in ``text`` (``09/01/2024`` day-first by default)."""
    return min(_date_matches(text, day_first=day_first), default=(0, None), key=lambda p: p[0])[1]


def parse_date(value: object, *, day_first: bool = True) -> dt.date | None:
    """A date from a field value: ``date``/``datetime``, ISO text, ``09/01/2024`` (day first),
    ``ngày 9 tháng 1 năm 2024`` or ``January 9, 2024``; ``None`` if it is not a valid date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        return None
    text = value.strip()
    iso = _ISO.match(text)
    if iso:
        return _make_date(int(iso[1]), int(iso[2]), int(iso[3]))
    return find_date(text, day_first=day_first)


# ---------------------------------------------------------------------------------------------
# HTML → article
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HtmlDoc:
    """What an HTML page yields: NFC main text (title first) and metadata."""

    text: str
    title: str | None = None
    date: dt.date | None = None
    author: str | None = None
    sitename: str | None = None
    lang: str | None = None
    url: str | None = None


_META_DATE_KEYS = frozenset(
    {
        "article:published_time", "og:published_time", "og:article:published_time",
        "article:published", "datepublished", "pubdate", "publishdate", "publish-date",
        "publish_date", "published_time", "dc.date", "dc.date.issued", "dc.date.created",
        "dcterms.created", "dcterms.date", "dcterms.issued", "sailthru.date",
        "parsely-pub-date", "article.published", "date", "itemprop:datepublished",
    }
)
_FURNITURE_TAGS = frozenset(
    {"nav", "footer", "aside", "script", "style", "noscript", "form", "template", "iframe",
     "button", "select", "textarea", "svg"}
)
_FURNITURE_TOKENS = frozenset(
    {"header", "menu", "nav", "navbar", "navigation", "footer", "sidebar", "comment", "comments",
     "related", "breadcrumb", "breadcrumbs", "banner", "ads", "advert", "advertisement", "share",
     "social", "widget", "topbar", "masthead", "toolbar", "cookie", "popup", "modal", "tags"}
)
# dropped before trafilatura looks at the page, so its fallbacks never return a bare menu
_PRUNE_XPATH = ["//nav", "//footer", "//aside", "//form", "//header[not(.//h1)]"]
_DATEISH = re.compile(r"date|time|publish|byline|meta|posted|ngay|thoigian|calendar", re.I)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_BYLINE_WINDOW = 2000  # characters of text after the headline in which a byline is looked for


def _attr_tokens(el: HtmlElement) -> set[str]:
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return {t for t in _TOKEN_SPLIT.split(raw) if t}


def _is_furniture(el: HtmlElement) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _FURNITURE_TAGS:
        return True
    if tag == "header" or _attr_tokens(el) & _FURNITURE_TOKENS:
        return next(el.iter("h1"), None) is None  # never drop the block holding the headline
    return False


def _page_lang(tree: HtmlElement) -> str | None:
    root = tree.getroottree().getroot()
    values = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            values.append(meta.get("content"))
    for value in values:
        if value and value.strip():
            return re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0] or None
    return None


def _jsonld_dates(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("datePublished", "dateCreated") and isinstance(value, str):
                yield value
            else:
                yield from _jsonld_dates(value)
    elif isinstance(data, list):
        for item in data:
            yield from _jsonld_dates(item)


def _meta_date(tree: HtmlElement, *, day_first: bool) -> dt.date | None:
    """Publication date from ``<meta>``, JSON-LD or ``<time itemprop=datePublished>``."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _META_DATE_KEYS:
            found = parse_date(meta.get("content"), day_first=day_first)
            if found:
                return found
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:  # broken JSON-LD is common; it just carries no date
            continue
        for value in _jsonld_dates(data):
            found = parse_date(value, day_first=day_first)
            if found:
                return found
    for el in tree.iter():
        if isinstance(el.tag, str) and (el.get("itemprop") or "").lower() == "datepublished":
            found = parse_date(el.get("datetime") or el.get("content"), day_first=day_first)
            if found:
                return found
    return None


def _text_segments(root: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """Text pieces in document order, each with the element that shows it."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.text:
            yield el, el.text
        parent = el.getparent()
        if el.tail and parent is not None:
            yield parent, el.tail


def _dateish(el: HtmlElement, *, depth: int = 3) -> bool:
    node: HtmlElement | None = el
    for _ in range(depth):
        if node is None or not isinstance(node.tag, str):
            return False
        attrs = f"{node.get('class') or ''} {node.get('id') or ''} {node.get('itemprop') or ''}"
        if node.tag == "time" or _DATEISH.search(attrs):
            return True
        node = node.getparent()
    return False


def _byline_date(tree: HtmlElement) -> dt.date | None:
    """A day-first byline date below the headline, ignoring menus, sidebars and comments."""
    body = copy.deepcopy(tree)
    for el in list(body.iter()):
        if el.getparent() is None:
            continue
        if not isinstance(el.tag, str) or _is_furniture(el):
            el.drop_tree()
    h1 = next(body.iter("h1"), None)
    seen_h1 = h1 is None
    consumed = 0
    first_plain: dt.date | None = None
    for el, text in _text_segments(body):
        if not seen_h1:
            seen_h1 = el is h1 or any(a is h1 for a in el.iterancestors())
            if not seen_h1:
                continue
        found = find_date(text, day_first=True)
        if found and _dateish(el):
            return found
        if found and first_plain is None and h1 is not None and consumed <= _BYLINE_WINDOW:
            first_plain = found
        consumed += len(text.strip())
        if consumed > 4 * _BYLINE_WINDOW and h1 is not None:
            break
    return first_plain


def _swap_if_month_first(found: dt.date, html: str) -> dt.date:
    """trafilatura may read a day-first ``09/01/2024`` as September 1: undo that."""
    if found.day > 12 or found.day == found.month:
        return found
    swapped = dt.date(found.year, found.day, found.month)
    written = re.compile(rf"(?<!\d)0?{found.month}(?P<sep>[/.-])0?{found.day}(?P=sep){found.year}(?!\d)")
    return swapped if written.search(html) else found


def _clean_text(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def html_to_doc(html: str, *, url: str | None = None, lang: str | None = None) -> HtmlDoc:
    """Main text and metadata of an HTML page; raises :class:`NotArticle` if there is no text.

    ``lang`` (``"vi"``/``"en"``) overrides the page's declared language; on Vietnamese pages
    numeric dates are read day-first.
    """
    try:
        import trafilatura
        from trafilatura.utils import load_html
    except ImportError as exc:  # optional at import time: say what to install
        raise NotArticle(
            f"reading HTML needs trafilatura ({exc}); pip install trafilatura lxml_html_clean"
        ) from None

    try:
        tree = load_html(html)
    except (ValueError, TypeError) as exc:  # lxml rejects some malformed documents outright
        raise NotArticle(f"HTML could not be parsed ({exc})") from None
    if tree is None:
        raise NotArticle("HTML could not be parsed")
    declared = _page_lang(tree)
    try:
        doc = trafilatura.bare_extraction(
            copy.deepcopy(tree), url=url, include_comments=False, include_tables=True,
            with_metadata=True, prune_xpath=_PRUNE_XPATH,
        )
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise NotArticle(f"HTML could not be parsed ({type(exc).__name__})") from None
    if doc is None or not (doc.text or "").strip():
        raise NotArticle("no article text found in the HTML")
    text = unicodedata.normalize("NFC", _clean_text(doc.text))
    title = _nfc_or_none(doc.title)
    if title and title not in text.split("\n\n", 3)[:3]:
        text = f"{title}\n\n{text}"
    vietnamese = lang == "vi" or (lang is None and (declared == "vi" or looks_vietnamese(text)))
    english = lang == "en" or (lang is None and declared == "en")
    date = _meta_date(tree, day_first=vietnamese or not english)
    if date is None and vietnamese:
        date = _byline_date(tree)
    if date is None and doc.date:
        date = parse_date(doc.date)
        if date is not None and vietnamese:
            date = _swap_if_month_first(date, html)
    page_lang = lang or (declared if declared in ("vi", "en") else None)
    return HtmlDoc(
        text=text,
        title=title,
        date=date,
        author=_nfc_or_none(doc.author),
        sitename=_nfc_or_none(doc.sitename),
        lang=page_lang,
        url=url or _nfc_or_none(doc.url),
    )


def _nfc_or_none(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    return unicodedata.normalize("NFC", " ".join(value.split()))
