"""A learner who keeps answering the same questions is told so, on the dashboard, in the API and in the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.engine.forms import FormRequest
from certprep.runtime import Runtime
from tests.conftest import TINY_PACK, run_certprep, runtime_of


def _same_questions_every_day(runtime: Runtime, days: int = 7) -> None:
    """Practice sessions over the tiny pack's five live questions, every one answered and checked, ``days`` times."""
    exams, user = runtime.exams, runtime.local_user_id
    for _ in range(days):
        attempt = exams.start(user, "tiny", FormRequest(mode="custom", count=20))
        for item in exams.state(user, attempt).questions:
            question = runtime.packs["tiny"].question(item.question_id)
            assert question is not None
            exams.answer(user, attempt, item.position, selected=sorted(question.correct_ids))
            exams.check(user, attempt, item.position)


def test_the_dashboard_and_the_api_say_the_prediction_rests_on_repeats(client: TestClient) -> None:
    assert client.get("/api/v1/readiness", params={"pack": "tiny"}).json()["evidence_note"] is None
    _same_questions_every_day(runtime_of(client))
    readiness = client.get("/api/v1/readiness", params={"pack": "tiny"}).json()
    assert readiness["rests_on_repeats"] is True
    assert readiness["first_time_share"] == pytest.approx(1 / 7, abs=0.001)
    # The first answers are the oldest, so they carry less than a seventh of the weight.
    assert 0 < readiness["first_time_evidence"] < 1 / 7
    page = client.get("/packs/tiny/learn")
    assert page.status_code == 200
    assert "5 of your 35 answers were to questions you met for the first time; they carry" in page.text
    assert "% of the weight your answers have in this prediction" in page.text
    assert "Most of this prediction rests on questions you had seen before" in page.text
    assert 'href="/packs/tiny/practice">Start a full exam' in page.text


def test_certprep_readiness_says_it_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_DATABASE_URL": "", "CERTPREP_PACKS": str(TINY_PACK)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runtime = Runtime.start(Settings())
    try:
        _same_questions_every_day(runtime)
    finally:
        runtime.close()
    shown = run_certprep("readiness", "--pack", "tiny", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "5 of your 35 answers were to questions you met for the first time; they carry" in " ".join(
        shown.stdout.split()
    )
    assert "full exam of questions you have not seen" in " ".join(shown.stdout.split())
    assert "certprep exam --mode full --pack tiny" in shown.stdout
