"""The ``certprep`` command: one entry point, a sub-command per job."""

from __future__ import annotations

import typer

from certprep import __version__
from certprep.cli import certs as cert_commands
from certprep.cli import db as db_commands
from certprep.cli import exam as exam_command
from certprep.cli import exports as export_commands
from certprep.cli import learn as learn_commands
from certprep.cli import pack as pack_commands
from certprep.cli import serve as serve_command
from certprep.cli import tutor as tutor_commands
from certprep.cli import users as user_commands

app = typer.Typer(
    name="certprep",
    help="Study for AWS certification exams offline: exam simulator, practice, flashcards and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(pack_commands.app, name="pack")
app.add_typer(db_commands.app, name="db")
app.add_typer(cert_commands.app, name="certs")
app.add_typer(export_commands.export_app, name="export")
app.add_typer(export_commands.data_app, name="data")
app.command("import")(export_commands.import_command)
app.add_typer(tutor_commands.app, name="tutor")
app.add_typer(user_commands.app, name="user")
app.command("serve")(serve_command.serve)
app.command("exam")(exam_command.exam)
app.add_typer(learn_commands.cards_app, name="cards")
app.command("readiness")(learn_commands.readiness)
app.command("plan")(learn_commands.plan)


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
