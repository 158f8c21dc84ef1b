"""``chiso check``: consistency findings per article (registered on the main app).

Same inputs as ``chiso extract``; writes JSONL ``{"id", "findings": [...]}``, one line per article;
exit code 3 when any finding is an ``error``, 0 otherwise (1 when nothing could be read).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

EXIT_ERRORS = 3


def register(app: typer.Typer) -> None:
    """Add the ``check`` command to ``app``."""

    @app.command("check")
    def check_cmd(
        inputs: Annotated[list[str], typer.Argument(help=".txt/.jsonl/.html files, directories, or - for stdin")],
        output: Annotated[Optional[Path], typer.Option("-o", "--output", help="write here instead of stdout")] = None,  # noqa: UP045 - typer needs Optional
        lang: Annotated[str, typer.Option("--lang", help="vi, en or auto (per article/paragraph)")] = "auto",
        fmt: Annotated[str, typer.Option("--format", help="jsonl or table")] = "jsonl",
        min_severity: Annotated[str, typer.Option("--min-severity", help="error, warning or info")] = "info",
    ) -> None:
        """Check the figures of each article against each other; exit code 3 on any error."""
        from extractor import check, extract_article
        from extractor.cli import err, open_output, read_articles

        keep = {"error": {"error"}, "warning": {"error", "warning"}}.get(min_severity, {"error", "warning", "info"})
        articles, _skipped = read_articles(inputs, lang)
        if not articles:
            err.print("[red]error[/] nothing could be read")
            raise typer.Exit(1)
        any_error = False
        out = open_output(output)
        try:
            for article in articles:
                findings = [f for f in check(article, extract_article(article)) if f.severity in keep]
                any_error = any_error or any(f.severity == "error" for f in findings)
                if fmt == "table":
                    _print_table(article.id, findings)
                    continue
                row = {"id": article.id, "findings": [f.model_dump(mode="json", exclude_none=True) for f in findings]}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        finally:
            if output:
                out.close()
        if any_error:
            raise typer.Exit(EXIT_ERRORS)


def _print_table(article_id: str, findings: list) -> None:
    console = Console()
    table = Table(title=f"{article_id} — {len(findings)} findings")
    for col in ("severity", "code", "figures", "message"):
        table.add_column(col)
    for f in findings:
        figures = "; ".join(f"{c.start}:{c.text}" for c in f.claims)
        table.add_row(f.severity, f.code, figures, f.message_vi)
    console.print(table)
