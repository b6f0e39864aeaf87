"""`certprep export`, `certprep import` and `certprep data` as a user runs them: real processes, files and exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from certprep.content import load_pack
from certprep.engine.forms import FormRequest
from certprep.services.exams import ExamService
from certprep.store import ensure_local_user, open_engine, session_factory, upgrade
from tests.conftest import TINY_PACK, run_certprep
from tests.exports.pdf import page_points, render, text

TINY = load_pack(TINY_PACK)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A private data folder (SQLite inside) with the tiny pack installed next to DOP-C02."""
    return {"CERTPREP_DATA_DIR": str(tmp_path / "data"), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": ""}


def _ok(*args: str, env: dict[str, str]) -> str:
    result = run_certprep(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _refused(*args: str, env: dict[str, str], code: int = 2) -> str:
    result = run_certprep(*args, env=env)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return " ".join(result.stderr.split())


def test_help_lists_the_new_commands() -> None:
    top = run_certprep("--help").stdout
    assert "export" in top
    assert "import" in top
    assert "data" in top
    commands = run_certprep("export", "--help").stdout
    for command in ("cheatsheet", "questions", "score-report", "anki", "moodle", "gift", "csv"):
        assert command in commands


def test_cheat_sheet_and_question_set(env: dict[str, str], tmp_path: Path) -> None:
    sheet = tmp_path / "out" / "sheet.pdf"
    assert "Wrote the TINY-01 cheat sheet" in _ok(
        "export", "cheatsheet", "--pack", "tiny", "-o", str(sheet), "--paper", "letter", env=env
    )
    assert page_points(sheet) == pytest.approx((612, 792), abs=0.5)
    assert all(page.ink > 0.003 for page in render(sheet))

    questions = tmp_path / "questions.pdf"
    _ok("export", "questions", "--pack", "tiny", "--domain", "1", "-o", str(questions), env=env)
    words = text(questions)
    assert "Answer key" in words
    assert TINY.code("tiny-list-hidden") in words
    assert "Domain 2" not in words
    assert "tiny-list-hidden" not in words

    assert "has no domain 9" in _refused(
        "export", "questions", "--pack", "tiny", "--domain", "9", "-o", str(questions), env=env
    )
    assert "unknown paper size 'a3'" in _refused(
        "export", "cheatsheet", "--pack", "tiny", "--paper", "a3", "-o", str(sheet), env=env
    )
    assert "no pack named 'nope'" in _refused(
        "export", "anki", "--pack", "nope", "-o", str(tmp_path / "x.apkg"), env=env
    )


def test_anki_and_question_banks(env: dict[str, str], tmp_path: Path) -> None:
    output = _ok("export", "anki", "--pack", "tiny", "--questions", "-o", str(tmp_path / "tiny.apkg"), env=env)
    assert "TINY-01::1. Shells and files" in output
    assert (tmp_path / "tiny.apkg").stat().st_size > 0
    _ok("export", "moodle", "--pack", "tiny", "-o", str(tmp_path / "tiny.xml"), env=env)
    _ok("export", "gift", "--pack", "tiny", "--domain", "2", "-o", str(tmp_path / "tiny.gift"), env=env)
    _ok("export", "csv", "--pack", "tiny", "-o", str(tmp_path / "tiny.csv"), env=env)
    assert (tmp_path / "tiny.xml").read_bytes().startswith(b"<?xml")
    gift = (tmp_path / "tiny.gift").read_text()
    assert "Processes" in gift
    assert "Shells and files" not in gift


def test_import_makes_a_valid_pack_or_says_what_is_wrong(env: dict[str, str], tmp_path: Path) -> None:
    bank = tmp_path / "tiny.gift"
    _ok("export", "gift", "--pack", "tiny", "-o", str(bank), env=env)
    output = _ok("import", str(bank), "-o", str(tmp_path / "mine"), "--name", "My questions", env=env)
    assert "Imported 6 questions into the pack 'mine'" in output
    assert "CERTPREP_PACKS=" in output
    assert "no problems" in _ok("pack", "validate", str(tmp_path / "mine"), env=env)

    broken = tmp_path / "broken.gift"
    broken.write_text(bank.read_text() + "\n::Yes or no::Is it? {T}\n", encoding="utf-8")
    line = bank.read_text().count("\n") + 2
    message = _refused("import", str(broken), "-o", str(tmp_path / "never"), env=env, code=1)
    assert "broken.gift: 1 problem(s); nothing was written" in message
    assert f"broken.gift:{line}: a true/false question cannot be imported" in message
    assert not (tmp_path / "never").exists()
    assert "already exists" in _refused("import", str(bank), "-o", str(tmp_path / "mine"), env=env)


def _finished_attempt(env: dict[str, str]) -> str:
    """A submitted practice session in the CLI's database, made through the same service the app uses."""
    engine = open_engine(f"sqlite:///{env['CERTPREP_DATA_DIR']}/certprep.db")
    upgrade(engine)
    sessions = session_factory(engine)
    exams = ExamService(sessions, {"tiny": load_pack(TINY_PACK)})
    user = ensure_local_user(sessions)
    now = dt.datetime.now(dt.UTC)
    attempt = exams.start(user, "tiny", FormRequest(mode="quick", count=3), seed=1, now=now)
    exams.answer(user, attempt, 1, selected=["A"], now=now)
    exams.submit(user, attempt, now=now)
    engine.dispose()
    return attempt


def test_score_report_of_the_latest_or_a_named_attempt(env: dict[str, str], tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    assert "no submitted exam" in _refused("export", "score-report", "-o", str(report), env=env)
    attempt = _finished_attempt(env)
    _ok("export", "score-report", "-o", str(report), env=env)
    assert "TINY-01 score report" in text(report)
    assert "Performance by section" in text(report)
    _ok("export", "score-report", attempt, "-o", str(report), "--paper", "letter", env=env)
    assert page_points(report) == pytest.approx((612, 792), abs=0.5)
    assert "No such exam" in _refused("export", "score-report", "not-an-attempt", "-o", str(report), env=env)


def test_data_export_and_import_merge_without_duplicates(env: dict[str, str], tmp_path: Path) -> None:
    _finished_attempt(env)
    backup = tmp_path / "backup.json"
    _ok("data", "export", "-o", str(backup), env=env)
    document = json.loads(backup.read_text())
    assert document["format"] == "certprep-backup"
    assert len(document["tables"]["attempts"]) == 1
    assert len(document["tables"]["attempt_items"]) == 3

    again = _ok("data", "import", str(backup), env=env)
    assert "Restored 0 rows; 4 were already here." in " ".join(again.split())

    fresh = {**env, "CERTPREP_DATA_DIR": str(tmp_path / "new-machine")}
    restored = " ".join(_ok("data", "import", str(backup), env=fresh).split())
    assert "Restored 4 rows; 0 were already here." in restored
    copy = tmp_path / "copy.json"
    _ok("data", "export", "-o", str(copy), env=fresh)
    # Everything comes back as it was, marked as restored (so that it never feeds item calibration).
    expected = {
        **document["tables"],
        "attempts": [row | {"origin": "restored"} for row in document["tables"]["attempts"]],
    }
    assert json.loads(copy.read_text())["tables"] == expected

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "certprep-backup",\n "version": 1,\n "tables": [}', encoding="utf-8")
    assert "line 3: not valid JSON" in _refused("data", "import", str(broken), env=env)
    assert "cannot read" in _refused("data", "import", str(tmp_path / "missing.json"), env=env)
    assert "no user named 'zed'" in _refused("data", "export", "--user", "zed", "-o", str(copy), env=env)


def test_exports_with_keys_wait_while_a_timed_exam_runs(env: dict[str, str], tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{env['CERTPREP_DATA_DIR']}/certprep.db")
    upgrade(engine)
    sessions = session_factory(engine)
    exams = ExamService(sessions, {"tiny": load_pack(TINY_PACK)})
    user = ensure_local_user(sessions)
    exam = exams.start(user, "tiny", FormRequest(mode="full"), seed=1)
    for command in (["export", "csv"], ["export", "anki", "--questions"], ["data", "export"]):
        message = _refused(*command, "-o", str(tmp_path / "out"), env=env)
        assert "You have a timed exam running for 20 more minutes" in message, command
        assert not (tmp_path / "out").exists()
    _ok("export", "anki", "-o", str(tmp_path / "cards.apkg"), env=env)  # flashcards alone carry no question keys
    exams.submit(user, exam)
    engine.dispose()
    _ok("export", "csv", "-o", str(tmp_path / "bank.csv"), env=env)
