"""A data folder certprep can read but not write: every command that opens the database refuses it in one line.

Before, `certprep serve` started on such a folder, showed every page, and then failed each answer a learner saved.
The folder is made read-only by tests.conftest.read_only (a read-only bind mount as root).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TINY_PACK, read_only, run_certprep, run_certprep_process


@pytest.fixture
def read_only_data(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A data folder holding a migrated database, then made read-only."""
    data = tmp_path / "data"
    env = {"CERTPREP_DATA_DIR": str(data), "CERTPREP_DATABASE_URL": "", "CERTPREP_PACKS": str(TINY_PACK)}
    assert run_certprep("db", "upgrade", env=env).returncode == 0
    with read_only(data):
        yield env


def test_serve_refuses_a_read_only_data_folder_in_one_line(read_only_data: dict[str, str]) -> None:
    result = run_certprep_process("serve", "--port", "9", env=read_only_data, timeout=30)  # end to end
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert f"cannot write to {read_only_data['CERTPREP_DATA_DIR']}" in result.stderr
    assert "CERTPREP_DATA_DIR" in result.stderr.split("live")[-1]  # and says what to do


def test_every_command_on_the_database_refuses_it_the_same_way(read_only_data: dict[str, str]) -> None:
    for command in (["exam", "--count", "3"], ["cards", "review"], ["tutor", "ask", "what is an SCP?"]):
        result = run_certprep(*command, env=read_only_data)
        assert result.returncode == 1, (command, result.stdout)
        assert result.stderr.strip().startswith("certprep: cannot write to"), (command, result.stderr)
