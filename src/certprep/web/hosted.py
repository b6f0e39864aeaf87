"""The app factory for ``certprep serve --workers N``: each worker process builds its own runtime from the
environment (CERTPREP_HOSTED, CERTPREP_DATABASE_URL, ...), which the parent process has already checked."""

from __future__ import annotations

import sys

from fastapi import FastAPI

from certprep.config import Settings
from certprep.runtime import Runtime, StartupError


def app_from_environment() -> FastAPI:
    from certprep.web.app import create_app

    try:
        runtime = Runtime.start(Settings())
    except StartupError as error:
        print(error.headline, *error.lines, sep="\n", file=sys.stderr)
        raise SystemExit(1) from None
    return create_app(runtime)
