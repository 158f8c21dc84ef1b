"""Sources → :class:`Article`: text files, JSONL dumps, HTML pages, directories, stdin and URLs.

Inputs (each item of ``iter_inputs``):

* a ``.txt`` (or any other) file — read as text, or as HTML if it looks like a page;
* a ``.jsonl`` file — one article per line: ``{"id", "text", "lang"?, "date"?, "title"?,
  "url"?, "source"?, "author"?}`` (other fields such as ``claims`` are ignored; a line with
  ``html`` instead of ``text`` goes through the HTML path);
* an ``.html`` / ``.htm`` / ``.xhtml`` page — main text and metadata via trafilatura;
* a directory — every non-hidden file below it, recursively, in sorted order;
* ``-`` — stdin (text, HTML or JSONL, sniffed);
* an ``http(s)://`` URL, or a ``.urls`` file listing one URL per line (``#`` starts a comment).

Bad input never raises: it yields a :class:`Skipped` whose one-line reason names the file (and
line). Every text is NFC-normalised and the Article's offsets refer to that NFC text.

Ids: a file's path stem, made unique within a run by prefixing as many parent directories as
needed (``vn/a`` and ``en/a``); a JSONL line's ``id`` or ``<stem>-<lineno>``; a URL itself.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from extractor.htmltext import (
    NotArticle,
    NotText,
    declared_charset,
    decode_bytes,
    find_date,
    html_to_doc,
    looks_like_html,
    parse_date,
)
from extractor.records import Article

if TYPE_CHECKING:
    from extractor.fetch import Fetcher, FetchOptions

__all__ = ["DEFAULT_MAX_BYTES", "Skipped", "iter_inputs"]

DEFAULT_MAX_BYTES = 20_000_000
"""Largest article accepted: bytes of a file (or page), characters of a JSONL text."""

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read, with where and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def _skip(source: str | Path, reason: str) -> Skipped:
    return Skipped(" ".join(str(source).split()), " ".join(reason.split()))


def _os_reason(exc: OSError) -> str:
    detail = exc.strerror or type(exc).__name__
    return f"cannot read ({detail})"


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------


def iter_inputs(
    inputs: Iterable[str],
    *,
    lang: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetch_options: FetchOptions | None = None,
) -> Iterator[Article | Skipped]:
    """Articles (or :class:`Skipped` notes) from paths, directories, ``-``, URLs and ``.urls``.

    ``lang`` is the language of inputs that do not say (a JSONL ``lang`` field or an HTML page's
    declared language wins); ``max_bytes`` caps one article; ``fetch_options`` tunes URL fetching.
    """
    run = _Run(lang=lang, max_bytes=max_bytes, fetch_options=fetch_options)
    try:
        yield from run.process(_expand(inputs))
    finally:
        run.close()


# ---------------------------------------------------------------------------------------------
# Expanding inputs into sources
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _File:
    path: Path


@dataclass(frozen=True)
class _Url:
    url: str
    origin: str  # where the URL was listed, for Skipped notes


@dataclass(frozen=True)
class _Stdin:
    pass


_Source = _File | _Url | _Stdin | Skipped


def _expand(inputs: Iterable[str]) -> list[_Source]:
    from extractor.fetch import is_url

    sources: list[_Source] = []
    for item in inputs:
        if item == "-":
            sources.append(_Stdin())
        elif is_url(item):
            sources.append(_Url(item, item))
        else:
            path = Path(item)
            if path.is_dir():
                sources.extend(_walk(path))
            elif path.is_file():
                sources.append(_File(path))
            elif path.exists():
                sources.append(_skip(item, "not a regular file"))
            else:
                sources.append(_skip(item, "no such file or directory"))
    return sources


def _walk(directory: Path) -> Iterator[_File | Skipped]:
    """Non-hidden files below ``directory``, depth-first in sorted order; symlinked dirs skipped."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield _skip(directory, f"cannot list directory ({exc.strerror or type(exc).__name__})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError as exc:
            yield _skip(path, _os_reason(exc))
            continue
        if is_dir:
            yield from _walk(path)
        elif is_file:
            yield _File(path)


def _file_keys(paths: list[Path]) -> dict[Path, str]:
    """Id stem per file: the stem, or enough parent directories (then the suffix) to be unique."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in paths:
        groups[path.stem].append(path)
    keys: dict[Path, str] = {}
    for stem, group in groups.items():
        if len(group) == 1:
            keys[group[0]] = stem
            continue
        keys.update(_disambiguate(group))
    return keys


def _disambiguate(group: list[Path]) -> dict[Path, str]:
    def key(path: Path, depth: int, *, suffix: bool) -> str:
        parts = [p for p in path.parent.parts if p not in (path.anchor, "", ".")]
        tail = path.name if suffix else path.stem
        return "/".join([*parts[max(len(parts) - depth, 0) :], tail] if depth else [tail])

    deepest = max(len(p.parts) for p in group)
    for suffix in (False, True):
        for depth in range(deepest + 1):
            keys = {p: key(p, depth, suffix=suffix) for p in group}
            if len(set(keys.values())) == len(group):
                return keys
    return {p: str(p) for p in group}


# ---------------------------------------------------------------------------------------------
# Reading sources
# ---------------------------------------------------------------------------------------------


class _Run:
    """State of one ``iter_inputs`` call: options, file ids, the HTTP client, URLs seen."""

    def __init__(
        self, *, lang: str | None, max_bytes: int, fetch_options: FetchOptions | None
    ) -> None:
        self.lang = lang
        self.max_bytes = max_bytes
        self.fetch_options = fetch_options
        self._fetcher: Fetcher | None = None
        self._seen_urls: set[str] = set()
        self._keys: dict[Path, str] = {}

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def process(self, sources: list[_Source]) -> Iterator[Article | Skipped]:
        files: list[Path] = []
        seen: set[str] = set()
        for i, source in enumerate(sources):
            if isinstance(source, _File):
                real = os.path.realpath(source.path)
                if real in seen:
                    sources[i] = _skip(source.path, "listed twice (already read)")
                    continue
                seen.add(real)
                if source.path.suffix.lower() != ".urls":
                    files.append(source.path)
        self._keys = _file_keys(files)
        for source in sources:
            if isinstance(source, Skipped):
                yield source
            elif isinstance(source, _File):
                yield from self._file(source.path)
            elif isinstance(source, _Url):
                yield from self._url(source.url, origin=source.origin)
            else:
                yield from self._stdin()

    # -- files ---------------------------------------------------------------------------------

    def _file(self, path: Path) -> Iterator[Article | Skipped]:
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from self._jsonl_file(path)
        elif suffix == ".urls":
            yield from self._url_list(path)
        else:
            yield from self._document_file(path, html=suffix in HTML_SUFFIXES)

    def _read(self, path: Path) -> bytes | Skipped:
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                return _skip(path, f"too large ({size} bytes > max {self.max_bytes})")
            with path.open("rb") as handle:
                data = handle.read(self.max_bytes + 1)
        except OSError as exc:
            return _skip(path, _os_reason(exc))
        if len(data) > self.max_bytes:
            return _skip(path, f"too large (over max {self.max_bytes} bytes)")
        if not data:
            return _skip(path, "empty file")
        return data

    def _document_file(self, path: Path, *, html: bool) -> Iterator[Article | Skipped]:
        data = self._read(path)
        if isinstance(data, Skipped):
            yield data
            return
        try:
            text, _ = decode_bytes(data, declared=declared_charset(data) if html else None)
        except NotText as exc:
            yield _skip(path, str(exc))
            return
        ident = self._keys.get(path, path.stem)
        if html or looks_like_html(text):
            yield self._html_article(text, ident=ident, source=str(path))
        else:
            yield self._text_article(text, ident=ident, source=str(path))

    def _text_article(self, text: str, *, ident: str, source: str) -> Article | Skipped:
        text = unicodedata.normalize("NFC", text)
        if not text.strip():
            return _skip(source, "no text (only whitespace)")
        if len(text) > self.max_bytes:
            return _skip(source, f"text too large ({len(text)} characters > max {self.max_bytes})")
        return Article(id=ident, text=text, lang=self.lang, date=_byline_date(text))

    def _html_article(
        self, html: str, *, ident: str, source: str, url: str | None = None, lang: str | None = None
    ) -> Article | Skipped:
        try:
            doc = html_to_doc(html, url=url, lang=lang or self.lang)
        except NotArticle as exc:
            return _skip(source, str(exc))
        if len(doc.text) > self.max_bytes:
            return _skip(source, f"text too large ({len(doc.text)} characters > max {self.max_bytes})")
        return Article(
            id=ident,
            text=doc.text,
            lang=doc.lang,
            date=doc.date,
            title=doc.title,
            url=doc.url,
            source=doc.sitename,
            author=doc.author,
        )

    # -- JSONL ---------------------------------------------------------------------------------

    def _jsonl_file(self, path: Path) -> Iterator[Article | Skipped]:
        stem = self._keys.get(path, path.stem)
        try:
            handle = path.open("rb")
            wide = handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
            handle.seek(0)
        except OSError as exc:
            yield _skip(path, _os_reason(exc))
            return
        if wide:  # UTF-16/32 with BOM: decode the whole file, then split it into lines
            handle.close()
            yield from self._wide_jsonl(path, stem=stem)
            return
        with handle:
            count = 0
            for lineno, raw in _lines(handle, limit=self.max_bytes, source=path):
                if isinstance(raw, Skipped):
                    yield raw
                    continue
                count += bool(raw.strip())
                yield from self._jsonl_line(raw, lineno=lineno, where=f"{path}:{lineno}", stem=stem)
            if count == 0:
                yield _skip(path, "empty file (no JSON lines)")

    def _read_text(self, path: Path) -> str | Skipped:
        """The decoded text of a file, or why it could not be read."""
        data = self._read(path)
        if isinstance(data, Skipped):
            return data
        try:
            return decode_bytes(data)[0]
        except NotText as exc:
            return _skip(path, str(exc))

    def _wide_jsonl(self, path: Path, *, stem: str) -> Iterator[Article | Skipped]:
        text = self._read_text(path)
        if isinstance(text, Skipped):
            yield text
            return
        for lineno, line in enumerate(text.splitlines(), 1):
            yield from self._jsonl_line(
                line.encode("utf-8", "surrogatepass"), lineno=lineno, where=f"{path}:{lineno}",
                stem=stem,
            )

    def _jsonl_line(
        self, raw: bytes, *, lineno: int, where: str, stem: str
    ) -> Iterator[Article | Skipped]:
        if not raw.strip():
            return
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError:
            try:
                line, _ = decode_bytes(raw)
            except NotText as exc:
                yield _skip(where, str(exc))
                return
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _skip(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            return
        except (ValueError, RecursionError) as exc:
            yield _skip(where, f"invalid JSON ({type(exc).__name__})")
            return
        yield self._row_article(row, where=where, default_id=f"{stem}-{lineno}")

    def _row_article(self, row: Any, *, where: str, default_id: str) -> Article | Skipped:
        if not isinstance(row, dict):
            return _skip(where, f"not a JSON object (got {type(row).__name__})")
        ident = row.get("id")
        ident = str(ident).strip() if isinstance(ident, str | int) and str(ident).strip() else default_id
        lang = _str_field(row, "lang") or self.lang
        text = row.get("text")
        if not (isinstance(text, str) and text.strip()) and isinstance(row.get("html"), str):
            article = self._html_article(row["html"], ident=ident, source=where,
                                         url=_str_field(row, "url"), lang=lang)
            if isinstance(article, Skipped):
                return article
            updates = {k: v for k in ("title", "source") if (v := _str_field(row, k))}
            if (date := parse_date(row.get("date"))) is not None:
                updates["date"] = date
            return article.model_copy(update=updates) if updates else article
        if not isinstance(text, str):
            return _skip(where, "no text field" if text is None else "text is not a string")
        text = unicodedata.normalize("NFC", text)
        if not text.strip():
            return _skip(where, "empty text")
        if len(text) > self.max_bytes:
            return _skip(where, f"text too large ({len(text)} characters > max {self.max_bytes})")
        return Article(
            id=ident,
            text=text,
            lang=lang,
            date=parse_date(row.get("date")),
            title=_str_field(row, "title"),
            url=_str_field(row, "url"),
            source=_str_field(row, "source"),
            author=_str_field(row, "author"),
        )

    # -- stdin ---------------------------------------------------------------------------------

    def _stdin(self) -> Iterator[Article | Skipped]:
        stream: IO[Any] = sys.stdin
        buffer = getattr(stream, "buffer", None)
        try:
            if buffer is not None:
                data = buffer.read(self.max_bytes + 1)
            else:
                data = stream.read(self.max_bytes + 1).encode("utf-8", "surrogatepass")
        except (OSError, ValueError) as exc:  # closed or detached stdin
            yield _skip("stdin", f"cannot read ({exc})")
            return
        if len(data) > self.max_bytes:
            yield _skip("stdin", f"too large (over max {self.max_bytes} bytes)")
            return
        if not data.strip():
            yield _skip("stdin", "empty input")
            return
        try:
            text, _ = decode_bytes(data, declared=declared_charset(data))
        except NotText as exc:
            yield _skip("stdin", str(exc))
            return
        if looks_like_html(text):
            yield self._html_article(text, ident="stdin", source="stdin")
        elif _looks_like_jsonl(text):
            for lineno, line in enumerate(text.splitlines(), 1):
                yield from self._jsonl_line(
                    line.encode("utf-8", "surrogatepass"), lineno=lineno,
                    where=f"stdin:{lineno}", stem="stdin",
                )
        else:
            yield self._text_article(text, ident="stdin", source="stdin")

    # -- URLs ----------------------------------------------------------------------------------

    def _url_list(self, path: Path) -> Iterator[Article | Skipped]:
        from extractor.fetch import is_url

        text = self._read_text(path)
        if isinstance(text, Skipped):
            yield text
            return
        for lineno, line in enumerate(text.splitlines(), 1):
            item = line.split(" #", 1)[0].strip()
            if not item or item.startswith("#"):
                continue
            if not is_url(item):
                yield _skip(f"{path}:{lineno}", f"not an http(s) URL: {item[:80]}")
                continue
            yield from self._url(item, origin=f"{path}:{lineno}")

    def _url(self, url: str, *, origin: str) -> Iterator[Article | Skipped]:
        from extractor.fetch import Fetcher, FetchFailed

        if url in self._seen_urls:
            yield _skip(origin, f"duplicate URL {url} (already read)")
            return
        self._seen_urls.add(url)
        if self._fetcher is None:
            try:
                self._fetcher = Fetcher(options=self.fetch_options)
            except ImportError as exc:  # httpx is only needed for URL inputs
                yield _skip(origin, f"fetching URLs needs httpx ({exc}); pip install httpx")
                return
        fetched = self._fetcher.get(url)
        if isinstance(fetched, FetchFailed):
            where = url if origin == url else f"{origin} ({url})"
            yield _skip(where, fetched.reason)
            return
        content = fetched.content
        if len(content) > self.max_bytes:
            yield _skip(url, f"too large ({len(content)} bytes > max {self.max_bytes})")
            return
        try:
            html, _ = decode_bytes(content, declared=fetched.charset or declared_charset(content))
        except NotText as exc:
            yield _skip(url, str(exc))
            return
        yield self._html_article(html, ident=url, source=url, url=fetched.final_url)


def _lines(
    handle: IO[bytes], *, limit: int, source: Path
) -> Iterator[tuple[int, bytes | Skipped]]:
    """Numbered raw lines of a binary file; a line longer than ``limit`` becomes a Skipped."""
    lineno = 0
    while True:
        try:
            raw = handle.readline(limit + 1)
        except OSError as exc:
            yield lineno + 1, _skip(f"{source}:{lineno + 1}", _os_reason(exc))
            return
        if not raw:
            return
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # discard the rest of the oversized line
                raw = handle.readline(1 << 20)
            yield lineno, _skip(f"{source}:{lineno}", f"line too large (over max {limit} bytes)")
            continue
        yield lineno, raw


def _looks_like_jsonl(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    try:
        row = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(row, dict) and ("text" in row or "html" in row)


def _str_field(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    return unicodedata.normalize("NFC", value.strip())


def _byline_date(text: str, *, lines: int = 5, max_len: int = 60) -> dt.date | None:
    """A plain-text article's date from a short byline near its top (``09/01/2024 | 07:43 GMT+7``),
    read day-first; ``None`` when no such line exists (a date inside the body is not the date)."""
    for line in text.lstrip().splitlines()[: lines * 2]:
        line = line.strip()
        if line and len(line) <= max_len and (found := find_date(line)) is not None:
            return found
    return None
