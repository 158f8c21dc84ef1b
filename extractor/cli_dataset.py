"""``chiso ingest | export | factcheck``: the indicator dataset (registered on the main app)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the dataset commands to ``app``."""
