"""JSON Schema of every public record, written to ``schemas/`` (``python -m extractor.schema``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extractor.records import Article, Claim, ClaimRef, Finding, Observation

__all__ = ["RECORDS", "render", "write"]

RECORDS = {"article": Article, "claim": Claim, "claim_ref": ClaimRef, "finding": Finding, "observation": Observation}


def render() -> dict[str, str]:
    """File name → JSON text of each record's schema (serialisation mode: what chiso writes)."""
    out = {}
    for name, model in RECORDS.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"https://chiso.example/schemas/{name}.schema.json"
        out[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "schemas"
    for p in write(target):
        sys.stdout.write(f"{p}\n")
