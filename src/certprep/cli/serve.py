"""``certprep serve``: start the web app, locally for one learner or hosted for many."""

from __future__ import annotations

import os

import typer

from certprep.cli.output import console, fail
from certprep.cli.start import start_runtime
from certprep.config import HOSTED_VARIABLE, Settings


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    hosted: bool = typer.Option(
        False, "--hosted", help="Many learners with accounts and login (also CERTPREP_HOSTED=1). See docs/deploy.md."
    ),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (hosted mode with PostgreSQL only)."),
) -> None:
    """Start the web app (http://127.0.0.1:8000 by default) with every installed pack loaded."""
    import uvicorn

    from certprep.web.app import create_app

    if hosted:
        os.environ[HOSTED_VARIABLE] = "1"  # worker processes read their settings from the environment
    settings = Settings()
    if workers > 1 and not settings.hosted:
        fail("certprep: several workers are for hosted mode; add --hosted (local mode has one learner)", code=2)
    runtime = start_runtime(settings)
    if workers > 1 and runtime.engine.dialect.name != "postgresql":
        runtime.close()
        fail(
            "certprep: hosted mode with several workers needs PostgreSQL (SQLite allows one writer); "
            "set CERTPREP_DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/NAME or use --workers 1",
            code=2,
        )
    mode = "hosted mode" if settings.hosted else "local mode"
    console.print(
        f"certprep is serving {', '.join(sorted(runtime.packs))} in {mode} on http://{host}:{port}/ (Ctrl+C stops it)"
    )
    # Uvicorn closes idle connections after 5 s, shorter than a learner's think time: a browser (or a proxy) that
    # reuses the connection at the moment it closes sees a dropped request. Keep them open as long as nginx does.
    keep_alive = 75
    if workers > 1:
        runtime.close()  # each worker opens its own runtime; the schema is already migrated
        uvicorn.run(
            "certprep.web.hosted:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            timeout_keep_alive=keep_alive,
        )
        return
    uvicorn.run(create_app(runtime), host=host, port=port, log_level="warning", timeout_keep_alive=keep_alive)
