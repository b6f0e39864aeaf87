"""The root command loads a sub-command's module only when it runs, and its help lines stay true."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from certprep.cli import COMMANDS, app
from certprep.cli.start import pause_collection, start_runtime
from certprep.config import Settings
from tests.conftest import with_warm_cache

HEAVY = ("sqlalchemy", "argon2", "alembic", "certprep.content", "certprep.exports", "certprep.web", "typst")


def _modules_loaded_by(*argv: str) -> set[str]:
    script = (
        "import sys\n"
        "from certprep.cli import app\n"
        f"try:\n    app({list(argv)!r})\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("argv", [("--help",), ("--version",)])
def test_help_and_version_import_no_heavy_module(argv: tuple[str, ...]) -> None:
    loaded = _modules_loaded_by(*argv)
    heavy = sorted(name for name in loaded if name.split(".")[0] in HEAVY or name.startswith(HEAVY))
    assert heavy == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_listed_help_line_is_the_commands_own(name: str) -> None:
    command = COMMANDS[name].load(name)
    own = (command.help or "").strip().split("\n\n")[0].replace("\n", " ")
    assert COMMANDS[name].help == own


def test_root_help_lists_every_command_with_its_line() -> None:
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for name, spec in COMMANDS.items():
        assert name in result.output
        assert spec.help.split()[0] in result.output


def test_a_mistyped_command_gets_a_suggestion() -> None:
    result = CliRunner().invoke(app, ["pak"])
    assert result.exit_code == 2
    assert "No such command 'pak'" in result.output
    assert "Did you mean 'pack'?" in result.output


def test_sub_commands_run_through_the_lazy_root() -> None:
    result = CliRunner().invoke(app, ["pack", "--help"])
    assert result.exit_code == 0
    assert "validate" in result.output
    assert "stats" in result.output


@pytest.fixture
def local_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CERTPREP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CERTPREP_DATABASE_URL", "")
    with_warm_cache({})
    yield
    gc.unfreeze()  # nothing else in the test process freezes; leave every object collectable again
    gc.enable()


def test_the_collector_runs_again_once_the_runtime_stands(local_data: None) -> None:
    """`certprep` pauses the collector for start-up only: a server it starts frees cyclic garbage as usual."""
    pause_collection()  # what the executable's entry point does first
    runtime = start_runtime()
    runtime.close()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # the start-up's survivors are kept out of later collections


def test_a_command_that_cannot_start_resumes_the_collector(local_data: None) -> None:
    pause_collection()
    with pytest.raises(typer.Exit) as stopped:
        start_runtime(Settings(database_url="postgresql://nobody@127.0.0.1:1/none"))
    assert stopped.value.exit_code == 1
    assert gc.isenabled()


def test_commands_run_in_process_freeze_nothing(local_data: None) -> None:
    """Tests run commands in process with the collector on: none of their objects may be frozen for good."""
    runtime = start_runtime()
    runtime.close()
    assert gc.get_freeze_count() == 0
