"""The indicator dataset: one DuckDB file with ``articles``, ``claims``, ``observations``,
``findings`` and ``skipped``.

Articles are keyed by the SHA-256 of their (NFC) text, so the same page ingested twice changes
nothing. Everything one article contributes is written in one transaction
(:meth:`Store.add_article`): a crash leaves either the whole article or none of it.

The ``claims`` and ``observations`` columns are generated from the fields of
:class:`~extractor.records.Claim` and :class:`~extractor.records.Observation`, so the tables
follow ``records.py``; columns a newer ``records.py`` adds are added to an existing file on open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import shutil
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
from pydantic import BaseModel

from extractor.records import Article, Claim, Finding, Observation

__all__ = [
    "EXPORT_FORMATS",
    "TABLES",
    "Store",
    "StoredArticle",
    "text_hash",
]

SCHEMA_VERSION = "1"
DECIMAL = "DECIMAL(38,10)"
TABLES = ("articles", "claims", "observations", "findings", "skipped")
EXPORT_FORMATS = ("parquet", "csv", "jsonl")

_ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "VARCHAR NOT NULL"),
    ("hash", "VARCHAR PRIMARY KEY"),
    ("url", "VARCHAR"),
    ("title", "VARCHAR"),
    ("date", "DATE"),
    ("lang", "VARCHAR"),
    ("source", "VARCHAR"),
    ("author", "VARCHAR"),
    ("n_claims", "INTEGER"),
    ("text", "VARCHAR NOT NULL"),
)
_FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("article_id", "VARCHAR"),
    ("scope", "VARCHAR NOT NULL"),  # 'article' (extractor.check) or 'cross' (crosscheck)
    ("finding_index", "INTEGER NOT NULL"),
    ("code", "VARCHAR NOT NULL"),
    ("severity", "VARCHAR NOT NULL"),
    ("claims", "VARCHAR"),  # JSON list of ClaimRef
    ("stated_low", DECIMAL),
    ("stated_high", DECIMAL),
    ("implied_low", DECIMAL),
    ("implied_high", DECIMAL),
    ("message_vi", "VARCHAR"),
    ("message_en", "VARCHAR"),
)
_SKIPPED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "VARCHAR NOT NULL"),
    ("reason", "VARCHAR NOT NULL"),
)
_PRIMARY_KEYS = {"skipped": "source, reason"}
# order used when exporting, so that exports of equal datasets are byte-identical
_ORDER_BY = {
    "articles": "id",
    "claims": "article_id, claim_index",
    "observations": "article_id, claim_index, start",
    "findings": "scope, article_id NULLS FIRST, finding_index",
    "skipped": "source, reason",
}


def text_hash(text: str) -> str:
    """The article key: SHA-256 (hex) of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sql_type(annotation: object) -> str:
    """DuckDB type for a pydantic field annotation (Dec, int, str, date, Literal, Optional)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _sql_type(args[0])
    if origin in (typing.Union, types.UnionType):
        return _sql_type(args[0]) if len(args) == 1 else "VARCHAR"
    if origin is typing.Literal:
        return "VARCHAR"
    if origin is list:
        return f"{_sql_type(args[0])}[]"  # Observation.linked_claims: list[int] → BIGINT[]
    if annotation is Decimal:
        return DECIMAL
    if annotation is bool:
        return "BOOLEAN"
    if annotation is int:
        return "BIGINT"
    if annotation is dt.date:
        return "DATE"
    return "VARCHAR"


def _model_columns(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    return tuple((name, _sql_type(field.annotation)) for name, field in model.model_fields.items())


_CLAIM_FIELDS = tuple(Claim.model_fields)
_CLAIM_COLUMNS = (("article_id", "VARCHAR NOT NULL"), ("claim_index", "INTEGER NOT NULL"),
                  *_model_columns(Claim))
_OBSERVATION_FIELDS = tuple(Observation.model_fields)
_OBSERVATION_COLUMNS = _model_columns(Observation)
_SCHEMA: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": _ARTICLE_COLUMNS,
    "claims": _CLAIM_COLUMNS,
    "observations": _OBSERVATION_COLUMNS,
    "findings": _FINDING_COLUMNS,
    "skipped": _SKIPPED_COLUMNS,
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _insert_sql(table: str) -> str:
    # one list parameter per column, zipped by unnest; INSERT casts each to the column type
    # (decimals travel as strings, so no value goes through a float)
    names = ", ".join(_q(name) for name, _ in _SCHEMA[table])
    exprs = ", ".join("unnest(?)" for _ in _SCHEMA[table])
    return f"INSERT INTO {table} ({names}) SELECT {exprs}"


_INSERT_SQL = {table: _insert_sql(table) for table in _SCHEMA}


# one article to write: (article, text hash, claims, observations, findings)
ArticleRecords = tuple[Article, str, Sequence[Claim], Sequence[Observation], Sequence[Finding]]


@dataclass(frozen=True)
class StoredArticle:
    """The article columns fact-checking shows as evidence."""

    id: str
    title: str | None
    date: dt.date | None
    url: str | None
    source: str | None
    lang: str | None


class Store:
    """One DuckDB connection (the single writer) on a dataset file; use as a context manager."""

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
        threads: int | None = None,
    ) -> None:
        """``memory_limit`` caps DuckDB's buffer pool (it spills to ``<file>.tmp`` beyond it), so
        a long ingest keeps a flat footprint; ``threads`` bounds DuckDB's own threads."""
        self.path = Path(path)
        self.read_only = read_only
        config: dict[str, str | int] = {}
        if memory_limit:
            config["memory_limit"] = memory_limit
        if threads:
            config["threads"] = threads
        self.con = duckdb.connect(str(self.path), read_only=read_only, config=config)
        self._open = False
        if not read_only:
            self._create()

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (DuckDB checkpoints the WAL into the file)."""
        self.rollback_open_transaction()
        self.con.close()

    def _create(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        for table, columns in _SCHEMA.items():
            cols = ", ".join(f"{_q(name)} {sqltype}" for name, sqltype in columns)
            if table in _PRIMARY_KEYS:
                cols += f", PRIMARY KEY ({_PRIMARY_KEYS[table]})"
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")
            have = {row[0] for row in self.con.execute(f"DESCRIBE {table}").fetchall()}
            for name, sqltype in columns:
                if name not in have:  # records.py gained a field since this file was made
                    plain = sqltype.replace(" NOT NULL", "").replace(" PRIMARY KEY", "")
                    self.con.execute(f"ALTER TABLE {table} ADD COLUMN {_q(name)} {plain}")
        self.con.execute(
            "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING", [SCHEMA_VERSION]
        )

    # -- reading -----------------------------------------------------------------------------

    def known_keys(self) -> tuple[set[str], set[str]]:
        """(hashes, ids) of the stored articles: what a new run must skip or rename around."""
        rows = self.con.execute("SELECT hash, id FROM articles").fetchall()
        return {h for h, _ in rows}, {i for _, i in rows}

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def rows(self, table: str) -> list[tuple]:
        """All rows of ``table`` in a stable order (tests compare datasets with this)."""
        _check_table(table)
        return self.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()

    def columns(self, table: str) -> list[str]:
        _check_table(table)
        return [row[0] for row in self.con.execute(f"DESCRIBE {table}").fetchall()]

    def article_info(self, ids: Iterable[str]) -> dict[str, StoredArticle]:
        """Title, date, url... of the given article ids."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.con.execute(
            "SELECT id, title, date, url, source, lang FROM articles WHERE id IN "
            f"({', '.join('?' for _ in wanted)})",
            wanted,
        ).fetchall()
        return {r[0]: StoredArticle(*r) for r in rows}

    def article_text(self, article_id: str) -> str | None:
        row = self.con.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else None

    def observation_dicts(self, where: str = "", params: Sequence[object] = ()) -> list[dict]:
        """Observations (every column) joined with their article's date, title and language."""
        cols = ", ".join(f"o.{_q(c)}" for c in _OBSERVATION_FIELDS)
        sql = (
            f"SELECT {cols}, a.date AS article_date, a.title AS article_title, "
            "a.lang AS article_lang, c.sentence_start, c.sentence_end "
            "FROM observations o JOIN articles a ON a.id = o.article_id "
            "LEFT JOIN claims c ON c.article_id = o.article_id AND c.claim_index = o.claim_index "
            f"{('WHERE ' + where) if where else ''} "
            "ORDER BY o.article_id, o.claim_index, o.start"
        )
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def iter_shared_groups(self, *, batch_rows: int = 20_000) -> Iterator[list[dict]]:
        """Observations by (subject, indicator key), for the pairs that two or more articles
        share, in that order; each group ordered by article and claim, each row with its
        article's date. Groups are read a bounded batch at a time, so neither DuckDB (no sort of
        the whole table) nor Python holds more than about ``batch_rows`` rows."""
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE shared_groups AS "
            "SELECT subject, indicator_key, count(*) AS n, "
            "row_number() OVER (ORDER BY subject, indicator_key) AS g FROM observations "
            "WHERE subject IS NOT NULL AND indicator_key IS NOT NULL "
            "GROUP BY subject, indicator_key HAVING count(DISTINCT article_id) > 1"
        )
        sizes = self.con.execute("SELECT g, n FROM shared_groups ORDER BY g").fetchall()
        cols = ", ".join(f"o.{_q(c)}" for c in _OBSERVATION_FIELDS)
        sql = (
            f"SELECT {cols}, a.date AS article_date, x.g AS _group FROM observations o "
            "JOIN shared_groups x ON x.subject = o.subject AND x.indicator_key = o.indicator_key "
            "JOIN articles a ON a.id = o.article_id WHERE x.g BETWEEN ? AND ? "
            "ORDER BY x.g, o.article_id, o.claim_index, o.start"
        )
        for lo, hi in _batches_of(sizes, batch_rows):
            cur = self.con.execute(sql, [lo, hi])
            names = [d[0] for d in cur.description]
            rows = (dict(zip(names, row, strict=True)) for row in _fetch_all(cur))
            for _, group in itertools.groupby(rows, key=lambda r: r.pop("_group")):
                yield list(group)
        self.con.execute("DROP TABLE shared_groups")

    # -- writing -----------------------------------------------------------------------------

    def add_article(
        self,
        article: Article,
        *,
        key: str,
        claims: Sequence[Claim],
        observations: Sequence[Observation],
        findings: Sequence[Finding],
        check_existing: bool = True,
    ) -> bool:
        """Write one article and everything extracted from it in one transaction.

        Returns False (writing nothing) when an article with the same text hash is stored.
        ``check_existing=False`` skips that look-up for a caller that already knows (the
        ingest writer holds the file's lock and the set of stored hashes); a duplicate then
        fails on the primary key and nothing is written.
        """
        self._begin()
        try:  # cleanup, not control flow: a failed statement must not leave half an article
            if check_existing and self.con.execute(
                "SELECT 1 FROM articles WHERE hash = ?", [key]
            ).fetchone():
                self._end("ROLLBACK")
                return False
            self._insert_records([(article, key, claims, observations, findings)])
            self._end("COMMIT")
        except BaseException:
            self.rollback_open_transaction()
            raise
        return True

    def add_articles(self, items: Sequence[ArticleRecords]) -> None:
        """Write several new articles and everything extracted from them in one transaction
        (one INSERT per table for all of them): each article is still whole or absent, and a
        statement costs the same for one article's rows as for a batch's. The caller knows the
        texts are not stored yet; a duplicate fails on the primary key, the transaction is rolled
        back and the error raised, so the caller can retry the articles one by one."""
        if not items:
            return
        self._begin()
        try:  # cleanup, not control flow: a failed statement must not leave half a batch
            self._insert_records(items)
            self._end("COMMIT")
        except BaseException:
            self.rollback_open_transaction()
            raise

    def _insert_records(self, items: Sequence[ArticleRecords]) -> None:
        """The rows of ``items`` in every table, one INSERT per table (inside the caller's
        transaction)."""
        self._insert_many(
            "articles",
            [(a.id, key, a.url, a.title, a.date, a.lang, a.source, a.author, len(claims), a.text)
             for a, key, claims, _, _ in items],
        )
        self._insert_many(
            "claims",
            [(a.id, i, *_values(c, _CLAIM_FIELDS))
             for a, _, claims, _, _ in items for i, c in enumerate(claims)],
        )
        self._insert_many(
            "observations", [_values(o, _OBSERVATION_FIELDS) for _, _, _, obs, _ in items for o in obs]
        )
        self._insert_many(
            "findings",
            [_finding_row(f, scope="article", index=i, article_id=a.id)
             for a, _, _, _, found in items for i, f in enumerate(found)],
        )

    def rollback_open_transaction(self) -> None:
        """Abandon the transaction an interrupt left open (no-op when there is none)."""
        if self._open:
            self.con.execute("ROLLBACK")
            self._open = False

    def add_skipped(self, source: str, reason: str) -> None:
        """Remember an input that could not be read (idempotent)."""
        self.con.execute(
            "INSERT INTO skipped (source, reason) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [source, reason],
        )

    def checkpoint(self) -> None:
        """Move the WAL into the file, unpinning the blocks a long run of commits holds (a big
        read after many writes under a small ``memory_limit`` needs them)."""
        self.con.execute("CHECKPOINT")

    def set_memory_limit(self, limit: str) -> None:
        """Change DuckDB's buffer cap (e.g. ``"128MB"``) for what follows."""
        self.con.execute(f"SET memory_limit = '{_memory(limit)}'")

    def replace_cross_findings(self, findings: Sequence[Finding]) -> None:
        """Replace all cross-article findings in one transaction."""
        self._begin()
        self.con.execute("DELETE FROM findings WHERE scope = 'cross'")
        self._insert_many(
            "findings",
            [_finding_row(f, scope="cross", index=i, article_id=f.article_id)
             for i, f in enumerate(findings)],
        )
        self._end("COMMIT")

    def _begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION")
        self._open = True

    def _end(self, how: str) -> None:
        self.con.execute(how)
        self._open = False

    def _insert_many(self, table: str, rows: Sequence[Sequence[object]]) -> None:
        """Parameterised bulk INSERT, one statement per table: one list parameter per column,
        zipped by ``unnest`` (no DataFrame, no Arrow). Decimals travel as strings and are cast
        by DuckDB, so no value goes through a float."""
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        params = [
            [None if v is None else str(v) for v in col] if sqltype.startswith("DECIMAL") else list(col)
            for col, (_, sqltype) in zip(columns, _SCHEMA[table], strict=True)
        ]
        self.con.execute(_INSERT_SQL[table], params)

    # -- export ------------------------------------------------------------------------------

    def export(self, table: str, fmt: str, path: str | Path, *, bom: bool = False) -> int:
        """Write ``table`` to ``path`` with DuckDB's COPY; returns the number of rows.

        ``csv`` and ``jsonl`` write decimals as plain strings (``8100000000000``, ``9.17``);
        ``parquet`` keeps them DECIMAL. ``bom`` prefixes a UTF-8 BOM to CSV for Excel.
        """
        _check_table(table)
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        path = Path(path)
        select = self._export_select(table, plain_decimals=fmt != "parquet", json=fmt == "jsonl")
        options = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true",
                   "jsonl": "FORMAT json"}[fmt]
        target = path.with_name(path.name + ".part") if bom and fmt == "csv" else path
        literal = str(target).replace("'", "''")
        self.con.execute(f"COPY ({select}) TO '{literal}' ({options})")
        if target != path:
            with open(path, "wb") as out, open(target, "rb") as src:
                out.write("\ufeff".encode())
                shutil.copyfileobj(src, out)
            target.unlink()
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def _export_select(self, table: str, *, plain_decimals: bool, json: bool) -> str:
        parts = []
        for name, sqltype, *_ in self.con.execute(f"DESCRIBE {table}").fetchall():
            col = _q(name)
            if json and table == "findings" and name == "claims":
                col = f"CAST({col} AS JSON) AS {col}"  # nested, not a string holding JSON
            if plain_decimals and sqltype.startswith("DECIMAL"):
                # 8100000000000.0000000000 -> 8100000000000 ; 9.1700000000 -> 9.17
                col = (f"regexp_replace(regexp_replace(CAST({col} AS VARCHAR), "
                       f"'(\\.[0-9]*?)0+$', '\\1'), '\\.$', '') AS {col}")
            parts.append(col)
        return f"SELECT {', '.join(parts)} FROM {table} ORDER BY {_ORDER_BY[table]}"


def _fetch_all(cur: duckdb.DuckDBPyConnection, size: int = 1000) -> Iterator[tuple]:
    while chunk := cur.fetchmany(size):
        yield from chunk


def _batches_of(sizes: Sequence[tuple[int, int]], limit: int) -> Iterator[tuple[int, int]]:
    """Consecutive (first, last) group numbers whose row counts add up to about ``limit``."""
    first, total = None, 0
    for g, n in sizes:
        first = g if first is None else first
        total += n
        if total >= limit:
            yield first, g
            first, total = None, 0
    if first is not None:
        yield first, sizes[-1][0]


def _memory(limit: str) -> str:
    if not re.fullmatch(r"\d+(?:\.\d+)?\s*[KMGT]i?B", limit, flags=re.IGNORECASE):
        raise ValueError(f"not a memory size: {limit!r} (e.g. '128MB')")
    return limit


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; use one of {', '.join(TABLES)}")


def _values(record: BaseModel, fields: Sequence[str]) -> tuple:
    return tuple(getattr(record, name) for name in fields)


def _finding_row(finding: Finding, *, scope: str, index: int, article_id: str | None) -> tuple:
    stated = finding.stated or (None, None)
    implied = finding.implied or (None, None)
    refs = json.dumps([r.model_dump(mode="json", exclude_none=True) for r in finding.claims],
                      ensure_ascii=False)
    return (article_id, scope, index, finding.code, finding.severity, refs, stated[0], stated[1],
            implied[0], implied[1], finding.message_vi, finding.message_en)
