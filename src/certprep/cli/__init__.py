"""The ``certprep`` command: one entry point, a sub-command per job."""

from __future__ import annotations

import typer

from certprep import __version__
from certprep.cli import db as db_commands
from certprep.cli import exam as exam_command
from certprep.cli import pack as pack_commands
from certprep.cli import serve as serve_command

app = typer.Typer(
    name="certprep",
    help="Study for AWS certification exams offline: exam simulator, practice, flashcards and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(pack_commands.app, name="pack")
app.add_typer(db_commands.app, name="db")
app.command("serve")(serve_command.serve)
app.command("exam")(exam_command.exam)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"certprep {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """certprep: prepare for AWS certification exams."""


def main() -> None:
    app()
