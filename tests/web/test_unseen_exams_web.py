"""Where a timed exam starts, the learner reads how many full exams of questions they have not seen remain: the
practice page, the dashboard under the readiness, the API (``GET /api/v1/exams/unseen`` and the start of an exam),
and ``certprep exam --mode full`` (the real app and CLI in process)."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import TINY_PACK, run_certprep

ONE_LEFT = "1 full exam of questions you have not seen remains."
DOP_FRESH = (
    "2 full exams of questions you have not seen remain, then 9 more whose scored questions you have not seen (only "
    "their unscored questions repeat ones you saw)."
)
ALL_SEEN = "You have seen every question at least once: this exam repeats questions you answered before"


def _dashboard_note(client: TestClient, pack: str) -> str:
    """The line under the readiness on the dashboard."""
    page = client.get(f"/packs/{pack}/learn")
    assert page.status_code == 200
    return unescape(page.text.split('id="unseen-exams"', 1)[1].split("</p>", 1)[0])


def _full_exam_card(client: TestClient, pack: str) -> str:
    page = client.get(f"/packs/{pack}/practice")
    assert page.status_code == 200
    return unescape(page.text.split('data-mode="full"', 1)[1].split("</form>", 1)[0])


def test_the_practice_page_says_how_many_full_exams_of_unseen_questions_remain(client: TestClient) -> None:
    assert DOP_FRESH in _full_exam_card(client, "dop-c02")
    assert ONE_LEFT in _full_exam_card(client, "tiny")
    started = client.post("/packs/tiny/practice", data={"mode": "full"})
    assert started.status_code == 303
    attempt_id = started.headers["location"].split("/attempts/")[1].split("/")[0]
    card = _full_exam_card(client, "tiny")  # while the exam runs, and after it is submitted
    assert ALL_SEEN in card
    assert client.post(f"/attempts/{attempt_id}/submit").status_code == 303
    assert ALL_SEEN in _full_exam_card(client, "tiny")
    assert DOP_FRESH in _full_exam_card(client, "dop-c02")


def test_the_api_start_of_a_timed_exam_carries_the_count(client: TestClient) -> None:
    quiz = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick", "count": 2})
    assert quiz.status_code == 201
    assert quiz.json()["unseen"] is None  # practice
    # The quiz met 2 of the tiny bank's 6 questions: the one full exam it held is gone.
    first = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "full"}).json()
    assert first["unseen"]["remaining"] == 0
    assert first["unseen"]["unseen_questions"] == 4
    assert first["unseen"]["sentence"].startswith("No whole full exam of questions you have not seen remains")
    client.post(f"/api/v1/exams/{first['id']}/submit")
    dop = client.post("/api/v1/exams", json={"pack": "dop-c02", "mode": "full"}).json()
    assert dop["unseen"] == {
        "remaining": 2,
        "scored_remaining": 11,  # the 20 pretest questions fill the unscored seats of two exams; live ones go further
        "unseen_questions": 763,  # 773 live and pretest questions but the guest preview's 10
        "sentence": DOP_FRESH,
    }
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "unseen" in schema["StartedExam"]["properties"]
    assert set(schema["UnseenExams"]["required"]) == {"remaining", "scored_remaining", "unseen_questions", "sentence"}


def test_the_dashboard_and_the_api_say_it_on_both_databases(storage_client: TestClient) -> None:
    client = storage_client
    assert DOP_FRESH in _dashboard_note(client, "dop-c02")
    assert ONE_LEFT in _dashboard_note(client, "tiny")
    fresh = client.get("/api/v1/exams/unseen", params={"pack": "tiny"})
    assert fresh.status_code == 200
    assert fresh.json() == {"remaining": 1, "scored_remaining": 1, "unseen_questions": 6, "sentence": ONE_LEFT}
    exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "full", "seed": 1}).json()
    client.post(f"/api/v1/exams/{exam['id']}/submit")
    seen = client.get("/api/v1/exams/unseen", params={"pack": "tiny"}).json()
    assert (seen["remaining"], seen["scored_remaining"], seen["unseen_questions"]) == (0, 0, 0)
    assert seen["sentence"].startswith(ALL_SEEN)
    assert ALL_SEEN in _dashboard_note(client, "tiny")
    assert DOP_FRESH in _dashboard_note(client, "dop-c02")  # one pack's exams do not use up another's
    # Several packs are installed: the API asks which one, and names an unknown one, with a sentence, not a 500.
    ask = client.get("/api/v1/exams/unseen")
    assert ask.status_code == 422
    assert "add ?pack=" in ask.json()["detail"]
    unknown = client.get("/api/v1/exams/unseen", params={"pack": "nope"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No pack named 'nope' is installed."


def test_certprep_exam_full_prints_the_count_before_the_exam(tmp_path: Path) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": ""}
    first = run_certprep("exam", "--pack", "tiny", "--mode", "full", "--seed", "1", input="q\n", env=env)
    assert first.returncode == 0, first.stderr
    assert ONE_LEFT in first.stdout
    assert first.stdout.index(ONE_LEFT) < first.stdout.index("Question 1 of 6")
    again = run_certprep("exam", "--pack", "tiny", "--mode", "full", input="q\n", env=env)
    assert ALL_SEEN in " ".join(again.stdout.split())  # Rich wraps long lines at the terminal's width
    drill = run_certprep("exam", "--pack", "tiny", "--mode", "drill", "--task", "2.1", input="q\n", env=env)
    assert "full exam" not in drill.stdout  # practice starts as before
