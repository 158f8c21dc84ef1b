"""schemas/ must be what records.py generates: regenerate with `python -m extractor.schema`."""

from __future__ import annotations

import json
from pathlib import Path

from extractor.schema import render

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def test_schemas_are_up_to_date() -> None:
    expected = render()
    stale = [
        name
        for name, text in expected.items()
        if not (SCHEMAS / name).is_file() or (SCHEMAS / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale schemas {stale}: run `python -m extractor.schema`"


def test_no_orphan_schema_files() -> None:
    extra = {p.name for p in SCHEMAS.glob("*.json")} - set(render())
    assert not extra, f"schema files without a record: {sorted(extra)}"


def test_claim_schema_names_format_fields() -> None:
    props = json.loads(render()["claim.schema.json"])["properties"]
    for field in ("text", "start", "end", "value", "value_max", "of", "per", "unit", "noun",
                  "qualifier", "kind", "direction", "indicator", "period", "low", "high"):
        assert field in props, field
    # values are decimal strings in JSON
    assert props["value"]["type"] == "string"
