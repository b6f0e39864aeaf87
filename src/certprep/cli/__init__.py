"""The ``certprep`` command: one entry point, a sub-command per job.

Sub-commands are imported only when they run. Each of them needs some of the heavy parts (the database layer,
password hashing, typesetting, the importer), and importing all of them made ``certprep --help`` take over a second.
Click documents this "lazy group" pattern, but neither Click nor Typer ships it, so the small class below does it:
the root lists every sub-command with a help line kept here, and loads a module when its command is invoked.
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from certprep import __version__

__all__ = ["COMMANDS", "LazyCommand", "app", "main"]


@dataclass(frozen=True)
class LazyCommand:
    """Where a sub-command lives and the line ``certprep --help`` shows for it without importing it.

    ``attribute`` names a ``typer.Typer`` (a group of commands) or a plain function (one command).
    """

    module: str
    attribute: str
    help: str

    def load(self, name: str) -> Any:
        """The Click command Typer builds from the module's app or function."""
        target = getattr(importlib.import_module(self.module), self.attribute)
        if isinstance(target, typer.Typer):
            return typer.main.get_group(target)
        single = typer.Typer(add_completion=False)  # completion is the root's business, not each command's
        single.command(name)(target)
        return typer.main.get_command(single)


def value_metavar(option: TyperOption) -> str:
    """The word ``--help`` shows for an option's value: its own metavar, else one read from its type and name.

    A choice lists its values (``markdown|jsonresume``), a path is PATH (FILE or DIR when it must be one), a number N,
    anything else the option's long name in capitals (``--pack PACK``).
    """
    if option.metavar is not None:
        return option.metavar
    described = option.type_descriptor
    if described.is_choice and described.choices:
        return "|".join(str(getattr(choice, "value", choice)) for choice in described.choices)
    if described.is_path:
        return {"file": "FILE", "dir": "DIR"}.get(described.path_type, "PATH")
    if described.annotation in (int, float):
        return "N"
    longest = max(option.opts, key=len).lstrip("-")
    return longest.replace("-", "_").upper()


def _option_help_type(self: TyperOption, ctx: Any) -> str | None:
    return None if self.is_flag or self.count else value_metavar(self)


def _argument_help_type(self: TyperArgument, ctx: Any) -> str | None:
    return None  # the argument's name (or metavar) is in the column beside it already


# Typer 0.29 prints the Python type after every option and argument in --help (`--voucher <bool>`, `--date <str>`),
# flags and the --help option included, and offers no setting to turn it off. The help of every command shows,
# instead, nothing after a flag and a value word after an option that takes one: `--date DATE`, `--count N`.
TyperOption.display_type_rich = _option_help_type  # type: ignore[method-assign]
TyperArgument.display_type_rich = _argument_help_type  # type: ignore[method-assign, assignment]


COMMANDS: dict[str, LazyCommand] = {
    "pack": LazyCommand("certprep.cli.pack", "app", "Validate content packs and show their statistics."),
    "db": LazyCommand("certprep.cli.db", "app", "Database maintenance."),
    "certs": LazyCommand(
        "certprep.cli.certs",
        "app",
        "Certification tracker: exam bookings and results, credentials, renewal, path and portfolio export.",
    ),
    "export": LazyCommand(
        "certprep.cli.exports",
        "export_app",
        "Write a cheat sheet, question set or score report (PDF), Anki decks, or a Moodle XML / GIFT / CSV bank.",
    ),
    "data": LazyCommand("certprep.cli.exports", "data_app", "Back up your progress to a JSON file, and restore it."),
    "import": LazyCommand(
        "certprep.cli.exports",
        "import_command",
        "Turn a GIFT, Moodle XML or CSV question bank into a new pack, checked by the pack rules.",
    ),
    "tutor": LazyCommand(
        "certprep.cli.tutor", "app", "Ask the tutor: answers grounded in the pack, with their sources."
    ),
    "user": LazyCommand("certprep.cli.users", "app", "Accounts of hosted mode."),
    "serve": LazyCommand(
        "certprep.cli.serve",
        "serve",
        "Start the web app (http://127.0.0.1:8000 by default) with every installed pack loaded.",
    ),
    "exam": LazyCommand(
        "certprep.cli.exam",
        "exam",
        "Take an exam or practise in the terminal. Answers are saved as you give them; quit and resume any time.",
    ),
    "cards": LazyCommand("certprep.cli.learn", "cards_app", "Flashcards with spaced repetition (FSRS)."),
    "readiness": LazyCommand(
        "certprep.cli.learn",
        "readiness",
        "Your predicted exam score today, its likely range and your chance to pass, from everything you practised.",
    ),
    "plan": LazyCommand(
        "certprep.cli.learn",
        "plan",
        "A day-by-day study plan to your exam date, weighted by exam weight and your weak spots.",
    ),
}


class LazyGroup(TyperGroup):
    """The root group: knows its sub-commands by name and imports each one only when it is invoked."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        if self._listing:
            # Listing for --help needs only a name and a line: a stand-in avoids importing every module.
            return TyperCommand(name=cmd_name, help=spec.help, callback=None)
        if cmd_name not in self.commands:
            self.commands[cmd_name] = spec.load(cmd_name)
        return self.commands[cmd_name]

    def invoke(self, ctx: Any) -> Any:
        """Run the sub-command; a refusal from any service ends it with one readable line and its exit code.

        This is the command line's one mapping of :mod:`certprep.errors` (the web app has the other), so a command
        need not catch the errors of the services it calls.
        """
        from certprep.errors import CertprepError, exit_code

        try:
            return super().invoke(ctx)
        except CertprepError as error:
            from certprep.cli.output import fail

            fail(f"certprep: {error}", code=exit_code(error))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # Typer suggests names from the commands loaded so far (none yet): suggest from every name instead.
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            matches = difflib.get_close_matches(name, list(COMMANDS))
            hint = f" Did you mean {', '.join(repr(match) for match in matches)}?" if matches else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="certprep",
    cls=LazyGroup,
    help="Study for AWS certification exams offline: exam simulator, practice, flashcards and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
    """The ``certprep`` executable (tests run :data:`app` in process instead)."""
    from certprep.cli.start import pause_collection, skip_final_collection

    pause_collection()
    try:
        app()
    finally:
        skip_final_collection()
