"""The `certprep` command as a user runs it: real exit codes, no tracebacks (in process, two runs end to end)."""

from __future__ import annotations

from pathlib import Path

from certprep import __version__
from certprep.store.db import head_revision
from tests.conftest import DOP_PACK, TINY_PACK, run_certprep, run_certprep_process


def test_version() -> None:
    result = run_certprep_process("--version")  # end to end: the real executable, in a child process
    assert result.returncode == 0
    assert result.stdout.strip() == f"certprep {__version__}"


def test_help_lists_the_commands() -> None:
    result = run_certprep("--help")
    assert result.returncode == 0
    for command in ("serve", "pack", "db"):
        assert command in result.stdout
    assert "validate" in run_certprep("pack", "--help").stdout


def test_validate_accepts_a_good_pack() -> None:
    result = run_certprep("pack", "validate", str(TINY_PACK))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tiny" in result.stdout
    assert "no problems" in result.stdout


def test_validate_lists_every_problem_with_file_and_line(tiny_pack: Path) -> None:
    path = tiny_pack / "questions" / "d1" / "files.yaml"
    path.write_text(path.read_text().replace("difficulty: 2", "difficulty: 0").replace("(Choose TWO.)", ""))
    result = run_certprep("pack", "validate", str(tiny_pack))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.endswith(
            "questions/d1/files.yaml:40: question 'tiny-change-home': difficulty: Input should be greater than or equal to 1"
        )
        for line in lines
    ), result.stdout
    assert any("questions/d1/files.yaml:" in line and "(Choose TWO.)" in line for line in lines)
    assert "Traceback" not in result.stdout + result.stderr


def test_db_upgrade_with_a_wrong_url_prints_one_line(tmp_path: Path) -> None:
    result = run_certprep("db", "upgrade", env={"CERTPREP_DATABASE_URL": "postgresql://me:pw@127.0.0.1:9/x"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "cannot connect to database" in result.stderr
    assert ":pw@" not in result.stderr


def test_db_upgrade_creates_the_sqlite_database_in_the_data_dir(tmp_path: Path) -> None:
    result = run_certprep("db", "upgrade", env={"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert f"schema revision {head_revision()}." in result.stdout
    assert (tmp_path / "certprep.db").is_file()


def test_serve_refuses_a_broken_pack_and_says_why(tiny_pack: Path, tmp_path: Path) -> None:
    path = tiny_pack / "questions" / "d2" / "processes.yaml"
    path.write_text(path.read_text().replace('task: "2.1"', 'task: "2.7"', 1))
    result = run_certprep(
        "serve", "--port", "9", env={"CERTPREP_PACKS": str(tiny_pack), "CERTPREP_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 1
    assert "certprep cannot start" in result.stderr
    assert (
        "questions/d2/processes.yaml:5: question 'tiny-kill-graceful': task 2.7 is not in the blueprint"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_wrong_database_url_in_one_line(tmp_path: Path) -> None:
    result = run_certprep_process(
        "serve", "--port", "9", env={"CERTPREP_DATABASE_URL": "sqlite:////proc/no/such/dir/x.db"}
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "cannot create the folder for SQLite database" in result.stderr


def test_a_path_that_is_no_pack_folder_is_one_line(tmp_path: Path) -> None:
    missing = run_certprep("pack", "stats", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        f"certprep: {tmp_path / 'nope'} does not exist; give the folder that holds blueprint.yaml"
    )
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a pack")
    validated = run_certprep("pack", "validate", str(a_file))
    assert validated.returncode == 2
    assert "is a file, not a pack folder" in validated.stderr
    assert ".:1:" not in validated.stderr + validated.stdout


def test_pack_stats_wraps_long_names_instead_of_cutting_them() -> None:
    result = run_certprep("pack", "stats", str(DOP_PACK), env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout  # "Configuration Managemen…" at 80 columns before
    text = " ".join(result.stdout.split())  # the name may wrap onto a second line; every word of it is there
    assert "2. Configuration" in text
    assert "Management and IaC (17%)" in text
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_a_bad_session_setting_stops_serve_with_one_line(tmp_path: Path) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_DATABASE_URL": "", "CERTPREP_SESSION_DAYS": "soon"}
    result = run_certprep("serve", "--hosted", env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == "certprep: CERTPREP_SESSION_DAYS must be a positive number, not 'soon'."
