"""``chiso ingest | export | factcheck``: the indicator dataset (registered on the main app)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB dataset file")]


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} art/s" if speed else "– art/s", style="progress.data.speed")


class RichReporter:
    """A rich progress bar on stderr (articles/s, ETA); one line per commit with ``verbose``."""

    def __init__(self, *, verbose: bool, show: bool) -> None:
        self.verbose = verbose
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=False,
            disable=not show,
        )
        self.task = None

    def start(self, total: int | None) -> None:
        self.progress.start()
        self.task = self.progress.add_task("ingest", total=total)

    def advance(self, *, article_id: str | None, written: bool) -> None:
        self.progress.advance(self.task)
        if self.verbose and written:
            self.progress.console.print(f"committed {article_id}", highlight=False, markup=False)

    def stop(self) -> None:
        self.progress.stop()


def register(app: typer.Typer) -> None:
    """Add the dataset commands to ``app``."""

    @app.command("ingest")
    def ingest_cmd(
        inputs: Annotated[list[str], typer.Argument(help=".txt/.jsonl/.html files, directories, or -")],
        db: DbOpt = Path("chiso.duckdb"),
        workers: Annotated[Optional[int], typer.Option("--workers", "-w", help="processes (default: all cores)")] = None,  # noqa: UP045
        engine: Annotated[str, typer.Option("--engine", help="local or dask")] = "local",
        scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address")] = None,  # noqa: UP045
        lang: Annotated[str, typer.Option("--lang", help="vi, en or auto")] = "auto",
        batch_size: Annotated[int, typer.Option("--batch-size", help="articles per task")] = 4,
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="one line per committed article")] = False,
        progress: Annotated[bool, typer.Option("--progress/--no-progress", help="progress bar on stderr")] = True,
    ) -> None:
        """Extract every article into the dataset (re-running skips what is already stored)."""
        import duckdb

        from extractor.pipeline import PipelineError, ingest

        if lang not in ("auto", "vi", "en"):
            err.print(f"[red]error[/] --lang must be auto, vi or en, not {lang!r}")
            raise typer.Exit(2)
        reporter = RichReporter(verbose=verbose, show=progress)
        try:  # boundary: user errors and a locked/corrupt file are messages, not tracebacks
            stats = ingest(
                inputs, db=db, workers=workers, engine=engine, scheduler=scheduler,
                lang=None if lang == "auto" else lang, batch_size=max(1, batch_size),
                reporter=reporter,
            )
        except PipelineError as exc:
            err.print(f"[red]error[/] {exc}", highlight=False)
            raise typer.Exit(2) from None
        except duckdb.Error as exc:
            err.print(f"[red]error[/] dataset {db}: {exc}", highlight=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/]: every committed article is kept; run again to finish")
            raise typer.Exit(130) from None
        _summary(stats, db)
        if stats.interrupted:
            raise typer.Exit(130)

    @app.command("export")
    def export_cmd(
        db: DbOpt = Path("chiso.duckdb"),
        table: Annotated[str, typer.Option("--table", help="articles, claims, observations, findings or skipped")] = "claims",
        fmt: Annotated[str, typer.Option("--format", help="parquet, csv or jsonl")] = "parquet",
        output: Annotated[Optional[Path], typer.Option("-o", "--output", help="file to write")] = None,  # noqa: UP045
        bom: Annotated[bool, typer.Option("--bom", help="UTF-8 BOM in CSV (for Excel)")] = False,
    ) -> None:
        """Write one table of the dataset to Parquet, CSV or JSON Lines."""
        from extractor.store import EXPORT_FORMATS, TABLES

        if table not in TABLES:
            err.print(f"[red]error[/] --table must be one of {', '.join(TABLES)}")
            raise typer.Exit(2)
        if fmt not in EXPORT_FORMATS:
            err.print(f"[red]error[/] --format must be one of {', '.join(EXPORT_FORMATS)}")
            raise typer.Exit(2)
        if output is None:
            err.print("[red]error[/] -o FILE is required")
            raise typer.Exit(2)
        with _open_store(db) as store:
            rows = store.export(table, fmt, output, bom=bom)
        err.print(f"wrote {rows} rows of {table} to {output}", highlight=False)

    @app.command("factcheck")
    def factcheck_cmd(
        text: Annotated[str, typer.Argument(help="the text to check, or - for stdin")],
        db: DbOpt = Path("chiso.duckdb"),
        fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
        lang: Annotated[str, typer.Option("--lang", help="vi, en or auto")] = "auto",
        date: Annotated[Optional[str], typer.Option("--date", help="date of the text (YYYY-MM-DD), for relative periods")] = None,  # noqa: UP045
        limit: Annotated[int, typer.Option("--limit", help="evidence rows per figure")] = 3,
    ) -> None:
        """Check each figure of TEXT against the dataset: consistent, inconsistent or not_found."""
        from extractor.factcheck import factcheck

        if fmt not in ("text", "json"):
            err.print("[red]error[/] --format must be text or json")
            raise typer.Exit(2)
        when = _parse_date(date)
        body = sys.stdin.read() if text == "-" else text
        with _open_store(db) as store:
            verdicts = factcheck(body, store=store, lang=None if lang == "auto" else lang,
                                 date=when, limit=max(1, limit))
        if fmt == "json":
            payload = {"claims": [v.to_json() for v in verdicts]}
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
            return
        _print_verdicts(verdicts)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:  # boundary: user input
        return dt.date.fromisoformat(value)
    except ValueError:
        err.print(f"[red]error[/] --date must be YYYY-MM-DD, not {value!r}")
        raise typer.Exit(2) from None


def _open_store(db: Path):
    import duckdb

    from extractor.store import Store

    if not db.exists():
        err.print(f"[red]error[/] no dataset at {db} (run chiso ingest first)")
        raise typer.Exit(2)
    try:  # boundary: a locked or foreign file
        return Store(db, read_only=True)
    except duckdb.Error as exc:
        err.print(f"[red]error[/] cannot open {db}: {exc}", highlight=False)
        raise typer.Exit(2) from None


def _summary(stats, db: Path) -> None:
    rate = f"{stats.rate:.1f} articles/s with {stats.workers} worker(s)"
    err.print(
        f"[bold]{'interrupted' if stats.interrupted else 'done'}[/] → {db}: "
        f"{stats.articles} articles, {stats.claims} claims, {stats.observations} observations, "
        f"{stats.findings} findings + {stats.cross_findings} across articles, "
        f"{stats.n_skipped} skipped ({stats.elapsed:.1f} s, {rate})",
        highlight=False,
    )
    if stats.skipped:
        table = Table(title="skipped", show_edge=False)
        table.add_column("count", justify="right")
        table.add_column("reason")
        table.add_column("e.g.")
        for reason, (count, examples) in sorted(stats.skipped.items(), key=lambda kv: -kv[1][0]):
            table.add_row(str(count), reason, ", ".join(examples))
        err.print(table)
    if stats.interrupted:
        err.print("[yellow]interrupted[/]: every committed article is kept; run again to finish")


def _print_verdicts(verdicts) -> None:
    console = Console()
    if not verdicts:
        console.print("no figures found in the text")
        return
    colour = {"consistent": "green", "inconsistent": "red", "not_found": "yellow"}
    for v in verdicts:
        what = ", ".join(x for x in (v.indicator_label or v.indicator_key, v.subject, v.period) if x)
        console.print(
            f"[bold {colour[v.verdict]}]{v.verdict}[/] {v.claim.text!s} "
            f"[dim]({v.claim.start}:{v.claim.end}{'; ' + what if what else ''})[/]",
            highlight=False,
        )
        console.print(f"  {v.arithmetic}", highlight=False, markup=False)
        for e in v.evidence:
            mark = "✓" if e.meets else "✗"
            console.print(
                f"  {mark} {e.article_id} {e.date or ''} {e.title or ''} [{e.start}:{e.end}] {e.text}",
                highlight=False, markup=False,
            )
            console.print(f"      “{e.quote}”", highlight=False, markup=False)
