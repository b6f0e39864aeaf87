"""``certprep cards review``, ``certprep readiness`` and ``certprep plan`` as a user runs them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import run_certprep


def test_cards_review_readiness_and_plan(tmp_path: Path) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_DATABASE_URL": "", "CERTPREP_PACKS": ""}
    # Enter reveals the first card, 3 rates it Good, Enter reveals the next, q quits.
    reviewed = run_certprep("cards", "review", "--domain", "1", env=env, input="\n3\n\nq\n")
    assert reviewed.returncode == 0, reviewed.stderr
    assert "Next review in 10m" in reviewed.stdout
    assert "1 card(s) reviewed" in reviewed.stdout
    ready = run_certprep("readiness", "--json", env=env)
    assert ready.returncode == 0
    assert '"pass_probability"' in ready.stdout
    assert '"evidence": 1' in ready.stdout
    assert '"reviews": 1' in ready.stdout
    # The same counts as the dashboard's sentence and tiles (#24 item 10), not "1 answers and reviews".
    told = run_certprep("readiness", env={**env, "COLUMNS": "200"})
    assert "from 0 answers and 1 flashcard review." in " ".join(told.stdout.split())
    exam = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    ics = tmp_path / "plan.ics"
    planned = run_certprep("plan", "--exam-date", exam, "--minutes", "60", "--ics", str(ics), env=env)
    assert planned.returncode == 0, planned.stderr
    assert "14 day(s) to DOP-C02" in planned.stdout
    first_column = [line.split("│")[1].strip() for line in planned.stdout.splitlines() if line.count("│") > 2]
    assert "14" in first_column and "15" not in first_column  # 14 study days, then the exam day by name
    assert "Exam" in first_column
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_bad_input_is_one_readable_line(tmp_path: Path) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_DATABASE_URL": "", "CERTPREP_PACKS": ""}
    bad_date = run_certprep("plan", "--exam-date", "tomorrow", env=env)
    assert bad_date.returncode == 2
    assert "not a date" in bad_date.stderr
    assert "Traceback" not in bad_date.stderr
    past = run_certprep("plan", "--exam-date", "2001-01-01", env=env)
    assert past.returncode == 2
    assert "in the past" in past.stderr
    no_task = run_certprep("cards", "review", "--task", "9.9", env=env)
    assert no_task.returncode == 2
    assert "no task statement 9.9" in no_task.stderr
