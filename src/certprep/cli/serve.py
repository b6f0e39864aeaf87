"""``certprep serve``: start the web app."""

from __future__ import annotations

import typer

from certprep.cli.output import console, fail
from certprep.config import Settings
from certprep.runtime import Runtime, StartupError


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Start the web app (http://127.0.0.1:8000 by default) with every installed pack loaded."""
    import uvicorn

    from certprep.web.app import create_app

    try:
        runtime = Runtime.start(Settings())
    except StartupError as error:
        fail(error.headline, error.lines, code=1)
    console.print(f"certprep is serving {', '.join(sorted(runtime.packs))} on http://{host}:{port}/ (Ctrl+C stops it)")
    uvicorn.run(create_app(runtime), host=host, port=port, log_level="warning")
