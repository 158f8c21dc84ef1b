"""Ingest: inputs → per-article extraction on N processes (or a Dask cluster) → one writer.

Workers run :func:`process_article` (claims, observations, per-article findings) on batches of
articles; the main process reads the inputs, skips what is already stored, hands out batches
(a bounded number in flight, so memory stays flat), and writes each finished article in its own
transaction. After the last article it recomputes the cross-article findings
(:mod:`extractor.crosscheck`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from extractor.records import Article, Claim, Finding, Observation

__all__ = [
    "ArticleResult",
    "IngestStats",
    "PipelineError",
    "Reporter",
    "default_workers",
    "estimate_total",
    "ingest",
    "process_article",
    "process_batch",
]

SKIP_STORED = "already in the dataset (same text)"
SKIP_DUPLICATE = "same text as an earlier input of this run"
SKIP_EMPTY = "empty text"
SKIP_FAILED = "extraction failed"
SKIP_UNSTORABLE = "could not be stored"
_EXAMPLES = 3  # sources remembered per skip reason (the rest are only counted)
WRITER_MEMORY = "64MB"  # DuckDB buffer pool of the writer: beyond it, blocks go to disk
WORKER_NICENESS = 5  # workers yield the CPU to the writer (see _init_worker)

_WARM_TEXTS = (
    ("Tổng giá trị sản xuất đạt gần 8.100 tỉ đồng, tăng 9,17% so năm 2022.", "vi"),
    ("Rice exports reached 2.7 million tonnes, up 7.6 percent.", "en"),
)


class PipelineError(RuntimeError):
    """A problem the user must fix (unreachable scheduler, bad option); no traceback needed."""


# -- the per-article function (runs in the workers) ------------------------------------------


@dataclass(frozen=True)
class ArticleResult:
    """What one article yields: its claims, observations and per-article findings."""

    article_id: str
    claims: list[Claim]
    observations: list[Observation]
    findings: list[Finding]
    lang: str | None = None
    error: str | None = None


def process_article(article: Article) -> ArticleResult:
    """Extract, observe and check one article (pure; safe to run in any process)."""
    from extractor import check, detect_lang, extract

    lang = article.lang or detect_lang(article.text)
    claims = extract(article.text, lang=article.lang, date=article.date)
    resolved = article if article.lang else article.model_copy(update={"lang": lang})
    observations = observe_fn()(resolved, claims)
    findings = check(resolved, claims)
    return ArticleResult(article.id, claims, observations, findings, lang=lang)


def observe_fn() -> Callable[[Article, list[Claim]], list[Observation]]:
    """The public :func:`extractor.observe`."""
    import extractor

    return extractor.observe


def process_batch(articles: Sequence[Article]) -> list[ArticleResult]:
    """:func:`process_article` over a batch; an article that makes the extractor fail becomes
    a result with ``error`` set instead of failing the batch."""
    return [_process_guarded(a) for a in articles]


def _process_guarded(article: Article) -> ArticleResult:
    try:  # boundary: a bug in the extractor must not lose the other articles of the batch
        return process_article(article)
    except Exception as exc:
        return ArticleResult(article.id, [], [], [], error=f"{type(exc).__name__}: {exc}")


def warm_up() -> int:
    """Load the extractor (underthesea, language packs) in this process; returns the pid."""
    for text, lang in _WARM_TEXTS:  # a failure here shows again, per article, in the summary
        _process_guarded(Article(id="warm-up", text=text, lang=lang))
    return os.getpid()


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's business
    # The single writer is on every article's path; when workers fill all cores, let it run
    # first (a worker loses a sliver of CPU, the writer stops queueing behind them).
    os.nice(WORKER_NICENESS)
    warm_up()


def _ping() -> int:
    time.sleep(0.05)
    return os.getpid()


# -- engines ---------------------------------------------------------------------------------


class _Engine(Protocol):
    workers: int

    def start(self) -> None: ...
    def submit(self, batch: list[Article]) -> Any: ...
    def wait_first(self, pending: set[Any]) -> tuple[set[Any], set[Any]]: ...
    def result(self, future: Any) -> list[ArticleResult]: ...
    def close(self, *, cancel: bool) -> None: ...


class _InlineEngine:
    """One worker: run in this process (no pickling, no IPC)."""

    workers = 1

    def start(self) -> None:
        warm_up()

    def submit(self, batch: list[Article]) -> Future:
        future: Future = Future()
        future.set_result(process_batch(batch))
        return future

    def wait_first(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        return set(pending), set()

    def result(self, future: Future) -> list[ArticleResult]:
        return future.result()

    def close(self, *, cancel: bool) -> None:
        return None


def _result(future: Future) -> Any:
    try:  # boundary: a worker process that dies (killed, out of memory) breaks the pool
        return future.result()
    except BrokenProcessPool as exc:
        raise PipelineError(
            "a worker process died (killed or out of memory?); the articles already written "
            "are kept: run the same command again to finish"
        ) from exc


class _ProcessEngine:
    """N spawned processes, started and warmed once."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
        )

    def start(self) -> None:
        # A worker answers only after its initializer (the warm-up) has run; ping until every
        # worker has answered, so timing starts with all of them warm.
        seen: set[int] = set()
        while len(seen) < self.workers:
            futures = [self.pool.submit(_ping) for _ in range(self.workers)]
            seen.update(_result(f) for f in futures)

    def submit(self, batch: list[Article]) -> Future:
        return self.pool.submit(process_batch, batch)

    def result(self, future: Future) -> list[ArticleResult]:
        return _result(future)

    def wait_first(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        done, rest = wait(pending, return_when=FIRST_COMPLETED)
        return set(done), set(rest)

    def close(self, *, cancel: bool) -> None:
        if cancel:
            processes = list(getattr(self.pool, "_processes", {}).values())
            self.pool.shutdown(wait=False, cancel_futures=True)
            for proc in processes:  # do not wait for batches nobody will write
                proc.terminate()
            for proc in processes:
                proc.join(timeout=5)
        else:
            self.pool.shutdown(wait=True)


class _DaskEngine:
    """The same per-batch function on a Dask distributed cluster."""

    def __init__(self, address: str, *, timeout: float) -> None:
        try:  # boundary: optional dependency
            from distributed import Client
        except ImportError as exc:
            raise PipelineError(
                "--engine dask needs the optional extra: pip install 'chiso[dask]'"
            ) from exc
        try:  # boundary: network
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise PipelineError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self.workers = max(1, sum(w.get("nthreads", 1) for w in
                                  self.client.scheduler_info()["workers"].values()))

    def start(self) -> None:
        from distributed import as_completed

        self.client.run(warm_up)
        self.finished = as_completed(loop=self.client.loop)  # bound to our client, not a default

    def submit(self, batch: list[Article]) -> Any:
        future = self.client.submit(process_batch, batch, pure=False)
        self.finished.add(future)
        return future

    def wait_first(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        done = next(self.finished)
        return {done}, pending - {done}

    def result(self, future: Any) -> list[ArticleResult]:
        return future.result()

    def close(self, *, cancel: bool) -> None:
        self.client.close()


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _make_engine(engine: str, workers: int, scheduler: str | None, timeout: float) -> _Engine:
    if engine == "dask":
        if not scheduler:
            raise PipelineError("--engine dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return _DaskEngine(scheduler, timeout=timeout)
    if engine != "local":
        raise PipelineError(f"unknown engine {engine!r}: use local or dask")
    if workers < 1:
        raise PipelineError("--workers must be at least 1")
    return _InlineEngine() if workers == 1 else _ProcessEngine(workers)


# -- the run ---------------------------------------------------------------------------------


class Reporter(Protocol):
    """Progress sink (the CLI shows a rich progress bar; the library prints nothing)."""

    def start(self, total: int | None) -> None: ...
    def advance(self, *, article_id: str | None, written: bool) -> None: ...
    def stop(self) -> None: ...


@dataclass
class IngestStats:
    """What a run did; ``skipped`` maps a reason to (count, a few example sources)."""

    articles: int = 0
    claims: int = 0
    observations: int = 0
    findings: int = 0
    cross_findings: int = 0
    skipped: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    elapsed: float = 0.0
    workers: int = 1
    interrupted: bool = False

    def skip(self, reason: str, source: str) -> None:
        count, examples = self.skipped.get(reason, (0, []))
        if len(examples) < _EXAMPLES:
            examples.append(source)
        self.skipped[reason] = (count + 1, examples)

    @property
    def n_skipped(self) -> int:
        return sum(count for count, _ in self.skipped.values())

    @property
    def rate(self) -> float:
        """Articles written per second (warm-up excluded)."""
        return self.articles / self.elapsed if self.elapsed > 0 else 0.0


def ingest(
    inputs: Iterable[str],
    *,
    db: str | Path,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    lang: str | None = None,
    batch_size: int = 4,
    reporter: Reporter | None = None,
    on_commit: Callable[[str], None] | None = None,
    crosscheck: bool = True,
    timeout: float = 20.0,
) -> IngestStats:
    """Ingest ``inputs`` (paths, directories, ``-``; see :func:`extractor.ingest.iter_inputs`)
    into the dataset at ``db``. Interrupting (Ctrl-C) keeps every article already written;
    running again finishes the job."""
    from extractor.ingest import iter_inputs
    from extractor.store import Store

    inputs = list(inputs)
    with Store(db, memory_limit=WRITER_MEMORY, threads=1) as store:
        run = _make_engine(engine, workers or default_workers(), scheduler, timeout)
        stats = IngestStats(workers=run.workers)
        stored_hashes, stored_ids = store.known_keys()
        writer = _Writer(store, stats, reporter, on_commit)
        started = time.perf_counter()
        with _CtrlC() as stop:
            try:
                if reporter:  # shown while the workers load the extractor
                    reporter.start(estimate_total(inputs))
                run.start()
                started = time.perf_counter()
                items = iter_inputs(inputs, lang=lang)
                batches = _batches(items, writer, stored_hashes, stored_ids, batch_size)
                _drive(run, batches, writer, limit=4 * run.workers + 2, stop=stop)
                stats.elapsed = time.perf_counter() - started
                stats.interrupted = stop.requested
                run.close(cancel=stop.requested)
            except KeyboardInterrupt:  # not in the main thread, or before the handler was set
                stats.elapsed = time.perf_counter() - started
                stats.interrupted = True
                run.close(cancel=True)
                store.rollback_open_transaction()
            except BaseException:
                run.close(cancel=True)
                store.rollback_open_transaction()
                raise
            finally:
                if reporter:
                    reporter.stop()
            if crosscheck and not stats.interrupted:
                # every article is in: a Ctrl-C now waits for this (a second one quits)
                from extractor.crosscheck import cross_findings

                store.checkpoint()  # unpin the blocks the commits hold before reading back
                found = cross_findings(store)
                store.replace_cross_findings(found)
                stats.cross_findings = len(found)
    return stats


class _Writer:
    """The single writer: keeps the in-flight articles and commits each result."""

    def __init__(self, store: Any, stats: IngestStats, reporter: Reporter | None,
                 on_commit: Callable[[str], None] | None) -> None:
        self.store = store
        self.stats = stats
        self.reporter = reporter
        self.on_commit = on_commit
        self.in_flight: dict[str, tuple[Article, str]] = {}
        self.dispatched: set[str] = set()  # text hashes handed out in this run

    def skipped(self, reason: str, source: str, *, record: bool) -> None:
        self.stats.skip(reason, source)
        if record:
            self.store.add_skipped(source, reason)
        if self.reporter:
            self.reporter.advance(article_id=None, written=False)

    def write_batch(self, results: Sequence[ArticleResult]) -> None:
        """Commit a worker's batch in one transaction (every article whole); if the batch cannot
        be written together, each article is written alone, so one bad record skips only its
        own article."""
        import duckdb

        ready: list[tuple[Article, str, ArticleResult]] = []
        for result in results:
            article, key = self.in_flight.pop(result.article_id)
            if result.error is not None:
                self.skipped(f"{SKIP_FAILED}: {result.error}", article.id, record=True)
                continue
            if result.lang and not article.lang:
                article = article.model_copy(update={"lang": result.lang})
            ready.append((article, key, result))
        if len(ready) > 1:
            try:  # boundary: the articles are retried one by one below
                self.store.add_articles(
                    [(a, k, r.claims, r.observations, r.findings) for a, k, r in ready]
                )
            except duckdb.Error:
                pass
            else:
                for article, _, result in ready:
                    self._written(article, result)
                return
        for article, key, result in ready:
            self._write_one(article, key, result)

    def write(self, result: ArticleResult) -> None:
        self.write_batch([result])

    def _write_one(self, article: Article, key: str, result: ArticleResult) -> None:
        import duckdb

        try:  # boundary: a record the file cannot hold (e.g. a 40-digit value) skips the article
            written = self.store.add_article(
                article, key=key, claims=result.claims, observations=result.observations,
                findings=result.findings, check_existing=False,
            )
        except duckdb.Error as exc:
            self.skipped(f"{SKIP_UNSTORABLE}: {type(exc).__name__}: {exc}", article.id, record=True)
            return
        if not written:
            self.skipped(SKIP_STORED, article.id, record=False)
            return
        self._written(article, result)

    def _written(self, article: Article, result: ArticleResult) -> None:
        self.stats.articles += 1
        self.stats.claims += len(result.claims)
        self.stats.observations += len(result.observations)
        self.stats.findings += len(result.findings)
        if self.on_commit:
            self.on_commit(article.id)
        if self.reporter:
            self.reporter.advance(article_id=article.id, written=True)


def _batches(
    items: Iterable[Any],
    writer: _Writer,
    stored: set[str],
    ids: set[str],
    size: int,
) -> Iterator[list[Article]]:
    """Articles to process, in batches: skipped inputs, empty texts and known texts are
    accounted for here; a reused id with a different text gets the hash as a suffix."""
    from extractor.ingest import Skipped
    from extractor.store import text_hash

    batch: list[Article] = []
    for item in items:
        if isinstance(item, Skipped):
            writer.skipped(item.reason, item.source, record=True)
            continue
        if not item.text.strip():
            writer.skipped(SKIP_EMPTY, item.id, record=True)
            continue
        key = text_hash(item.text)
        if key in stored or key in writer.dispatched:
            writer.skipped(SKIP_STORED if key in stored else SKIP_DUPLICATE, item.id, record=False)
            continue
        article = item
        if item.id in ids:
            article = item.model_copy(update={"id": _fresh_id(item.id, key, ids)})
        ids.add(article.id)
        writer.dispatched.add(key)
        writer.in_flight[article.id] = (article, key)
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _fresh_id(ident: str, key: str, ids: set[str]) -> str:
    for width in (8, 16, 64):
        candidate = f"{ident}#{key[:width]}"
        if candidate not in ids:
            return candidate
    return key


class _CtrlC:
    """First Ctrl-C: stop after the article being written (the run ends with its summary);
    a second one quits at once (committed articles are safe: DuckDB replays its WAL).

    A flag rather than KeyboardInterrupt, so that the interrupt never lands inside a DuckDB
    statement or the process pool's bookkeeping. Only the main thread can own the handler;
    elsewhere Ctrl-C stays a KeyboardInterrupt.
    """

    def __init__(self) -> None:
        self.requested = False
        self._previous: Any = None

    def __enter__(self) -> _CtrlC:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested:
            os._exit(130)
        self.requested = True


def _drive(run: _Engine, batches: Iterable[list[Article]], writer: _Writer, *, limit: int,
           stop: _CtrlC) -> None:
    """Keep at most ``limit`` batches in flight; write results as they come back; after a
    stop request, write nothing more (what is in flight is redone by the next run)."""
    pending: set[Any] = set()
    for batch in batches:
        if stop.requested:
            return
        pending.add(run.submit(batch))
        while len(pending) >= limit and not stop.requested:
            pending = _collect(run, pending, writer, stop)
    while pending and not stop.requested:
        pending = _collect(run, pending, writer, stop)


def _collect(run: _Engine, pending: set[Any], writer: _Writer, stop: _CtrlC) -> set[Any]:
    done, rest = run.wait_first(pending)
    for future in done:
        results = run.result(future)
        if stop.requested:
            return rest
        writer.write_batch(results)
    return rest


def estimate_total(inputs: Sequence[str]) -> int | None:
    """Number of articles the inputs hold, for the progress bar; None when unknowable
    (stdin, URLs). JSONL files count their non-empty lines; other files count one."""
    total = 0
    for item in inputs:
        if item == "-" or "://" in item:
            return None
        path = Path(item)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        total += sum(_count_file(p) for p in files)
    return total


def _count_file(path: Path) -> int:
    if path.suffix not in (".jsonl", ".urls") or not path.is_file():
        return 1
    count = 0
    with open(path, "rb") as handle:
        for line in handle:
            line = line.strip()
            count += bool(line) and not line.startswith(b"#")
    return count
