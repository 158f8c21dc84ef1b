"""URL fetching for ingest: httpx with timeouts, retries with backoff, a size cap, HTML only.

:class:`Fetcher` keeps one connection pool for a run. :meth:`Fetcher.get` never raises for network
trouble: it returns :class:`Fetched` (raw bytes plus charset) or :class:`FetchFailed` with a
one-line reason. Connection errors, timeouts, 429 and 5xx responses are retried with exponential
backoff; other 4xx and non-HTML content types fail at once.

httpx is imported lazily, when the first :class:`Fetcher` is opened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

__all__ = ["FetchFailed", "FetchOptions", "Fetched", "Fetcher", "fetch", "is_url"]

DEFAULT_USER_AGENT = "chiso/0.1 (numeric-claims extractor; +https://github.com/chiso)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def is_url(item: str) -> bool:
    """True for an ``http://`` or ``https://`` URL."""
    head = item[:8].lower()
    return head.startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchOptions:
    """How to fetch: per-request timeout (s), retries after the first attempt, backoff base (s)."""

    timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.5
    max_bytes: int = 10_000_000
    total_timeout: float = 120.0  # a whole download, however slowly the bytes trickle in
    user_agent: str = DEFAULT_USER_AGENT
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)


@dataclass(frozen=True)
class Fetched:
    """A fetched HTML page: the requested and final URL, raw bytes and the declared charset."""

    url: str
    final_url: str
    content: bytes
    content_type: str
    charset: str | None = None


@dataclass(frozen=True)
class FetchFailed:
    """A URL that could not be fetched, with a one-line reason."""

    url: str
    reason: str
    transient: bool = field(default=False, compare=False)


class Fetcher:
    """One HTTP client for many URLs; use as a context manager or call :meth:`close`."""

    def __init__(self, *, options: FetchOptions | None = None) -> None:
        import httpx

        self.options = options or FetchOptions()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=True,
            max_redirects=10,
            headers={
                "User-Agent": self.options.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                "Accept-Language": "vi,en;q=0.8",
            },
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str) -> Fetched | FetchFailed:
        """Fetch one HTML page, retrying transient failures with exponential backoff."""
        import httpx

        opts = self.options
        reason = "not attempted"
        for attempt in range(opts.retries + 1):
            if attempt:
                opts.sleep(opts.backoff * 2 ** (attempt - 1))
            try:
                outcome = self._once(url)
            except httpx.UnsupportedProtocol as exc:
                return FetchFailed(url, _one_line(f"unsupported URL ({exc})"))
            except httpx.TimeoutException:
                reason = f"timed out after {opts.timeout:g} s"
            except httpx.TransportError as exc:
                reason = _one_line(f"connection failed ({type(exc).__name__}: {exc})")
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
                return FetchFailed(url, _one_line(f"bad URL or response ({exc})"))
            else:
                if not (isinstance(outcome, FetchFailed) and outcome.transient):
                    return outcome
                reason = outcome.reason
        tries = opts.retries + 1
        return FetchFailed(url, f"{reason} (after {tries} attempt{'s' if tries > 1 else ''})")

    def _once(self, url: str) -> Fetched | FetchFailed:
        opts = self.options
        deadline = time.monotonic() + opts.total_timeout
        with self._client.stream("GET", url) as resp:
            status = resp.status_code
            if status == 429 or status >= 500:
                return FetchFailed(url, f"HTTP {status} {resp.reason_phrase}".strip(), transient=True)
            if status >= 400:
                return FetchFailed(url, f"HTTP {status} {resp.reason_phrase}".strip())
            ctype, charset = _content_type(resp)
            if ctype and ctype not in HTML_TYPES:
                return FetchFailed(url, f"not an HTML page (content type {ctype})")
            length = resp.headers.get("content-length", "")
            if length.isdigit() and int(length) > opts.max_bytes:
                return FetchFailed(url, f"page too large ({int(length)} bytes > {opts.max_bytes})")
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > opts.max_bytes:
                    return FetchFailed(url, f"page too large (over {opts.max_bytes} bytes)")
                if time.monotonic() > deadline:
                    return FetchFailed(url, f"download took over {opts.total_timeout:g} s")
                chunks.append(chunk)
            content = b"".join(chunks)
            if not ctype and content.lstrip()[:1] != b"<":
                return FetchFailed(url, "not an HTML page (no content type, does not start with '<')")
            return Fetched(url, str(resp.url), content, ctype or "text/html", charset)


def _content_type(resp: httpx.Response) -> tuple[str, str | None]:
    raw = resp.headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";")]
    ctype = parts[0].lower()
    charset = None
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return ctype, charset


def _one_line(text: str) -> str:
    return " ".join(text.split())


def fetch(url: str, *, options: FetchOptions | None = None) -> Fetched | FetchFailed:
    """Fetch a single URL with a throwaway client (for many URLs use :class:`Fetcher`)."""
    with Fetcher(options=options) as fetcher:
        return fetcher.get(url)
