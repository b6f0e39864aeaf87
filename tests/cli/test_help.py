"""Every command's --help as a user reads it: value words such as DATE, PATH and N, nothing after a flag (#24 item 14)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.core import TyperGroup

from certprep.cli import COMMANDS
from tests.conftest import run_certprep

README = Path(__file__).resolve().parents[2] / "README.md"
# Typer 0.29 wrote the Python type after each option and argument: `--voucher <bool>`, `--date <str>`, `<int range>`.
PLACEHOLDER = re.compile(r"<(bool|str|int|float|path|file|dir|int range|float range|list\[[^>]*\])>")


def _command_paths() -> Iterator[tuple[str, ...]]:
    """Every command line that has a help page: each top-level command and each sub-command of a group."""
    for name, spec in COMMANDS.items():
        yield (name,)
        command = spec.load(name)
        if isinstance(command, TyperGroup):
            for sub in command.commands:
                yield (name, sub)


COMMAND_PATHS = list(_command_paths())


def _help(*path: str) -> str:
    result = run_certprep(*path, "--help", env={"COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_help_shows_no_type_placeholders(path: tuple[str, ...]) -> None:
    text = _help(*path)
    assert not PLACEHOLDER.search(text), PLACEHOLDER.findall(text)


def _option_row(text: str, option: str) -> str:
    row = next((line for line in text.splitlines() if re.search(rf"│\s*\*?\s*{re.escape(option)}\b", line)), None)
    assert row is not None, f"{option} is not in:\n{text}"
    return " ".join(row.strip("│ ").split())


def test_a_flag_shows_no_value_word_and_a_value_option_shows_a_meaningful_one() -> None:
    attempt = _help("certs", "attempt")
    assert _option_row(attempt, "--voucher").startswith("--voucher Use the 50% voucher")
    assert _option_row(attempt, "--help").startswith("--help Show this message")
    assert _option_row(attempt, "--date").startswith("* --date DATE ")
    assert _option_row(attempt, "--time").startswith("* --time HH:MM ")
    assert _option_row(_help("certs", "add"), "--earned").startswith("* --earned DATE ")
    assert _option_row(_help("certs", "result"), "--score").startswith("--score N ")
    assert _option_row(_help("certs", "export"), "--format").startswith("* --format markdown|jsonresume ")
    assert _option_row(_help("plan"), "--exam-date").startswith("* --exam-date DATE ")
    assert _option_row(_help("plan"), "--ics").startswith("--ics PATH ")
    assert _option_row(_help("export", "questions"), "--output").startswith("* --output -o FILE ")
    exam = _help("exam")
    assert _option_row(exam, "--count").startswith("--count N [1<=x<=200] ")
    assert "--install-completion" not in exam  # completion belongs to the root command, which leaves it out


def test_the_readme_command_table_names_every_command() -> None:
    table = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `certprep ")]
    named = {line.split("`")[1].split()[1] for line in table}
    assert set(COMMANDS) <= named, set(COMMANDS) - named
    assert any(line.startswith("| `certprep exam [--mode full\\|mock100") for line in table)
