"""``certprep db``: database maintenance."""

from __future__ import annotations

import typer

from certprep.cli.output import console, fail
from certprep.config import default_database_url
from certprep.store import DatabaseError, current_revision, open_engine
from certprep.store import upgrade as run_upgrade

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Create or migrate the database (CERTPREP_DATABASE_URL, or SQLite in the user data folder) to the latest."""
    url = default_database_url()
    try:
        engine = open_engine(url)
        run_upgrade(engine)
    except DatabaseError as error:
        fail(f"certprep: {error}", code=2)
    console.print(f"Database is at schema revision {current_revision(engine)}.")
    engine.dispose()
