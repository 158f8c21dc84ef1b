"""``chiso`` command line: a mirror of the library API.

Commands: extract, eval, check (cli_check), ingest / export / factcheck (cli_dataset).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from extractor import evaluate as ev
from extractor.ingest import Skipped, iter_inputs
from extractor.records import Article, Claim

app = typer.Typer(
    name="chiso",
    help="Numeric claims from Vietnamese and English press reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)  # one line per message, never wrapped

LangOpt = Annotated[str, typer.Option("--lang", help="vi, en or auto (per article/paragraph)")]


def claim_json(claim: Claim) -> dict:
    """A claim as FORMAT.md names its fields (plus ``end`` and our extras), values as strings."""
    return claim.model_dump(mode="json", exclude_none=True)


def read_articles(inputs: list[str], lang: str) -> tuple[list[Article], list[Skipped]]:
    """All readable articles and the skipped inputs (each reported on stderr in one line)."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for item in iter_inputs(inputs, lang=None if lang == "auto" else lang):
        if isinstance(item, Skipped):
            err.print(f"[yellow]skipped[/] {item}", highlight=False)
            skipped.append(item)
        else:
            articles.append(item)
    return articles, skipped


def open_output(path: Optional[Path]):  # noqa: UP045 - typer needs Optional
    return open(path, "w", encoding="utf-8") if path else sys.stdout


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help=".txt/.jsonl/.html files, directories, or - for stdin")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="write here instead of stdout")] = None,  # noqa: UP045
    lang: LangOpt = "auto",
    fmt: Annotated[str, typer.Option("--format", help="jsonl or table")] = "jsonl",
    observations: Annotated[bool, typer.Option("--observations", help="emit observations too")] = False,
) -> None:
    """Extract every numeric claim; JSONL, one line per article."""
    from extractor import extract_article, observe

    articles, _skipped = read_articles(inputs, lang)
    if not articles:
        err.print("[red]error[/] nothing could be read")
        raise typer.Exit(1)
    out = open_output(output)
    try:
        for article in articles:
            claims = extract_article(article)
            if fmt == "table":
                _print_table(article, claims)
                continue
            row: dict = {"id": article.id, "lang": _lang_of(article, claims), "claims": [claim_json(c) for c in claims]}
            if observations:
                row["observations"] = [o.model_dump(mode="json", exclude_none=True) for o in observe(article, claims)]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if output:
            out.close()


def _lang_of(article: Article, claims: list[Claim]) -> str:
    if article.lang:
        return article.lang
    from extractor import detect_lang

    return detect_lang(article.text)


def _print_table(article: Article, claims: list[Claim]) -> None:
    console = Console()
    table = Table(title=f"{article.id} — {len(claims)} claims", show_lines=False)
    for col in ("span", "value", "unit", "qual", "kind", "indicator", "period"):
        table.add_column(col)
    for c in claims:
        value = f"{c.value}" + (f"–{c.value_max}" if c.value_max is not None else "") + (f"/{c.of}" if c.of is not None else "")
        unit = c.unit + (f"/{c.per}" if c.per else "") + (f" ({c.noun})" if c.noun else "")
        kind = c.kind + (f" {c.direction}" if c.direction else "")
        table.add_row(f"{c.start}:{c.end} {c.text}", value, unit, c.qualifier, kind, c.indicator or "", c.period or "")
    console.print(table)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="gold JSONL (FORMAT.md)")],
    by_unit: Annotated[bool, typer.Option("--by-unit", help="scores per unit")] = False,
    misses: Annotated[int, typer.Option("--misses", help="show up to N misses")] = 0,
) -> None:
    """Score extraction against a gold file as FORMAT.md says."""
    from extractor import extract

    rows = ev.load_gold(gold)

    def predict(row: dict) -> list[dict]:
        return [claim_json(c) for c in extract(row["text"], lang=row.get("lang"), date=row.get("date"))]

    cache: dict[str, list[dict]] = {}

    def cached(row: dict) -> list[dict]:
        if row["id"] not in cache:
            cache[row["id"]] = predict(row)
        return cache[row["id"]]

    scores = ev.evaluate(rows, cached)
    console = Console()
    if by_unit:
        table = Table(title="by unit")
        for col in ("unit", "tp", "fp", "fn", "P", "R", "F1"):
            table.add_column(col)
        for unit, s in sorted(ev.by_unit(rows, cached).items()):
            table.add_row(unit, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
        console.print(table)
    if misses:
        for art, what, c in scores["all"].misses[:misses]:
            detail = "" if what in ("fp", "fn") else f" predicted={c.get('pred')!r} gold={c.get(what)!r}"
            typer.echo(
                f"{art} {what:9} {c.get('start')}: {c.get('text')!r} value={c.get('value')} "
                f"unit={c.get('unit')}{detail}"
            )
    for key in sorted(scores, key=lambda k: (k != "all", k)):
        if key == "all":
            continue
        _print_score(console, key, scores[key])
    _print_score(console, "all", scores["all"])


def _print_score(console: Console, key: str, s: ev.Score) -> None:
    sm = s.summary()
    typer.echo(
        f"{key}: P={sm['precision']:.3f} R={sm['recall']:.3f} F1={sm['f1']:.3f} "
        f"(tp={s.tp} fp={s.fp} fn={s.fn}) qualifier={sm['qualifier']:.3f} kind={sm['kind']:.3f} "
        f"direction={sm['direction']:.3f} period={sm['period']:.3f} indicator_f1={sm['indicator_f1']:.3f}"
    )


def _register_optional() -> None:
    from extractor import cli_check, cli_dataset

    cli_check.register(app)
    cli_dataset.register(app)


_register_optional()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
