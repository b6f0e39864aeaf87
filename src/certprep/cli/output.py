"""Shared terminal output: one console, and one way to stop with a readable message."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(headline: str, lines: list[str] | None = None, code: int = 1, limit: int = 40) -> NoReturn:
    """Print ``headline`` and up to ``limit`` detail lines to stderr, then exit with ``code``."""
    errors.print(f"[bold red]{headline}[/]")
    shown = lines or []
    for line in shown[:limit]:
        errors.print(f"  {line}", markup=False)
    if len(shown) > limit:
        errors.print(f"  ... and {len(shown) - limit} more (run 'certprep pack validate' for the full list)")
    raise typer.Exit(code)
