"""URL fetching against a local server only (127.0.0.1, port 0): retries, 404, timeouts, types."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from extractor.fetch import Fetched, Fetcher, FetchFailed, FetchOptions, fetch, is_url
from extractor.ingest import Skipped, iter_inputs
from extractor.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
PAGE = (DATA / "vi_article.html").read_bytes()
VI = "Năm 2023, tổng giá trị sản xuất của huyện đạt hơn 8.100 tỉ đồng, tăng 9,17% so với cùng kỳ."


@dataclass
class State:
    hits: Counter[str] = field(default_factory=Counter)
    agents: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def send(self, status: int, body: bytes, ctype: str | None = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            with state.lock:
                state.hits[self.path] += 1
                hits = state.hits[self.path]
                state.agents.append(self.headers.get("User-Agent", ""))
            if path == "/article.html":
                self.send(200, PAGE)
            elif path == "/flaky":  # 500 twice, then the page
                if hits <= 2:
                    self.send(500, b"oops")
                else:
                    self.send(200, PAGE)
            elif path == "/down":
                self.send(503, b"down")
            elif path == "/missing":
                self.send(404, b"<html><body>not found</body></html>")
            elif path == "/slow":
                state.release.wait(10)
                self.send(200, PAGE)
            elif path == "/image.png":
                self.send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
            elif path == "/big":
                self.send(200, b"<html><body><p>" + b"x" * 50_000 + b"</p></body></html>")
            elif path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/article.html")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/legacy":
                body = legacy_page()
                self.send(200, body, "text/html; charset=windows-1258")
            elif path == "/untyped":
                self.send(200, PAGE, None)
            else:
                self.send(404, b"")

    return Handler


def legacy_page() -> bytes:
    html = f"<html lang='vi'><body><article><h1>Tin</h1><p>{VI}</p></article></body></html>"
    # Windows-1258 keeps tone marks as combining characters after the base letter
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in html:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in tones))
            out.append((base + "".join(c for c in nfd if c in tones)).encode("cp1258"))
    return b"".join(out)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, State]]:
    state = State()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()


def options(**overrides: object) -> tuple[FetchOptions, list[float]]:
    """Fast options that record backoff sleeps instead of sleeping."""
    sleeps: list[float] = []
    values: dict[str, object] = {"timeout": 5.0, "retries": 2, "backoff": 0.5, "sleep": sleeps.append}
    values.update(overrides)
    return FetchOptions(**values), sleeps  # type: ignore[arg-type]


def test_is_url() -> None:
    assert is_url("https://vnexpress.net/a.html") and is_url("HTTP://x.vn")
    assert not is_url("ftp://x.vn") and not is_url("news/a.html") and not is_url("-")


def test_fetch_html_page(server: tuple[str, State]) -> None:
    base, state = server
    opts, _ = options()
    got = fetch(f"{base}/article.html", options=opts)
    assert isinstance(got, Fetched)
    assert got.content == PAGE and got.charset == "utf-8" and got.content_type == "text/html"
    assert "chiso" in state.agents[-1]


def test_url_input_goes_through_html_path(server: tuple[str, State]) -> None:
    base, _ = server
    opts, _ = options()
    (art,) = list(iter_inputs([f"{base}/article.html"], fetch_options=opts))
    assert isinstance(art, Article)
    assert art.id == art.url == f"{base}/article.html"
    assert art.date == dt.date(2024, 1, 9) and art.source == "Báo Hậu Giang"
    assert "8.100 tỉ đồng" in art.text and "RELATED-" not in art.text and "MENU-" not in art.text


def test_retry_after_500(server: tuple[str, State]) -> None:
    base, state = server
    opts, sleeps = options(retries=3)
    got = fetch(f"{base}/flaky?case=retry", options=opts)
    assert isinstance(got, Fetched) and got.content == PAGE
    assert state.hits["/flaky?case=retry"] == 3
    assert sleeps == [0.5, 1.0]  # exponential backoff between the attempts


def test_retries_run_out(server: tuple[str, State]) -> None:
    base, state = server
    opts, sleeps = options(retries=2)
    got = fetch(f"{base}/down", options=opts)
    assert isinstance(got, FetchFailed)
    assert "HTTP 503" in got.reason and "3 attempts" in got.reason
    assert state.hits["/down"] == 3 and len(sleeps) == 2


def test_404_is_not_retried(server: tuple[str, State]) -> None:
    base, state = server
    opts, sleeps = options(retries=3)
    got = fetch(f"{base}/missing", options=opts)
    assert isinstance(got, FetchFailed) and "HTTP 404" in got.reason
    assert state.hits["/missing"] == 1 and sleeps == []


def test_slow_server_times_out(server: tuple[str, State]) -> None:
    base, _ = server
    opts, _ = options(timeout=0.2, retries=0)
    got = fetch(f"{base}/slow", options=opts)
    assert isinstance(got, FetchFailed) and "timed out" in got.reason


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as sock:  # a port nobody listens on once the socket closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    opts, sleeps = options(retries=1, timeout=2.0)
    got = fetch(f"http://127.0.0.1:{port}/", options=opts)
    assert isinstance(got, FetchFailed) and "connection failed" in got.reason
    assert sleeps == [0.5]


def test_non_html_and_oversized_responses_are_refused(server: tuple[str, State]) -> None:
    base, _ = server
    opts, _ = options(max_bytes=10_000)
    with Fetcher(options=opts) as fetcher:
        image = fetcher.get(f"{base}/image.png")
        big = fetcher.get(f"{base}/big")
        untyped = fetcher.get(f"{base}/untyped")
    assert isinstance(image, FetchFailed) and "image/png" in image.reason
    assert isinstance(big, FetchFailed) and "too large" in big.reason
    assert isinstance(untyped, Fetched)  # no content type, but it starts like HTML


def test_total_download_deadline(server: tuple[str, State]) -> None:
    base, _ = server
    opts, _ = options(total_timeout=0.0)  # already over when the first bytes arrive
    got = fetch(f"{base}/article.html", options=opts)
    assert isinstance(got, FetchFailed) and "download took over" in got.reason


def test_redirect_is_followed(server: tuple[str, State]) -> None:
    base, _ = server
    opts, _ = options()
    got = fetch(f"{base}/redirect", options=opts)
    assert isinstance(got, Fetched) and got.final_url == f"{base}/article.html"
    assert got.url == f"{base}/redirect"


def test_charset_from_http_header(server: tuple[str, State]) -> None:
    base, _ = server
    opts, _ = options()
    (art,) = list(iter_inputs([f"{base}/legacy"], fetch_options=opts))
    assert isinstance(art, Article) and VI in art.text


def test_url_list_file(server: tuple[str, State], tmp_path: Path) -> None:
    base, _ = server
    listing = tmp_path / "sources.urls"
    listing.write_text(
        "# press reports\n"
        f"{base}/article.html\n"
        "\n"
        "not a url\n"
        f"{base}/missing   # gone\n"
        f"{base}/image.png\n"
        f"{base}/article.html\n",
        encoding="utf-8",
    )
    opts, _ = options(retries=0)
    results = list(iter_inputs([str(listing)], fetch_options=opts))
    assert [type(r) for r in results] == [Article, Skipped, Skipped, Skipped, Skipped]
    assert results[0].id == f"{base}/article.html"
    assert results[1].source == f"{listing}:4" and "not an http(s) URL" in results[1].reason
    assert results[2].source.startswith(f"{listing}:5") and "HTTP 404" in results[2].reason
    assert "image/png" in results[3].reason
    assert "duplicate" in results[4].reason
    assert all("\n" not in str(r) for r in results[1:])
