"""The exam API and pages of the real app (in process, and one real server killed mid-exam): the documented flow,
clear 4xx errors, and no early answer keys."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from certprep.content import load_pack
from tests.conftest import TINY_PACK, Server, dop_pack, run_certprep

DOP = dop_pack()
TINY = load_pack(TINY_PACK)


def _secrets(pack_questions: list[str], pack: object) -> list[str]:
    """Every reason and explanation of the given questions: text that must not reach the browser early."""
    texts = []
    for code in pack_questions:
        question = pack.question_by_code(code)  # type: ignore[attr-defined]
        texts.append(question.explanation.strip().splitlines()[0])
        texts += [option.why for option in question.options]
    return [text for text in texts if len(text) > 25]


def test_full_exam_flow_over_the_api(client: TestClient) -> None:
    started = client.post("/api/v1/exams", json={"pack": "dop-c02", "mode": "full", "seed": 7})
    assert started.status_code == 201
    exam = started.json()
    assert len(exam["questions"]) == 75
    assert exam["remaining_seconds"] > 179 * 60
    assert set(exam["questions"][0]) == {"position", "code", "type", "select", "stem", "options"}
    assert all(re.fullmatch(r"Q-[0-9A-Z]{6}", q["code"]) for q in exam["questions"])  # never an authoring id
    assert set(exam["questions"][0]["options"][0]) == {"id", "text"}
    exam_id = exam["id"]
    first = exam["questions"][0]
    key = sorted(DOP.question_by_code(first["code"]).correct_ids)  # type: ignore[union-attr]
    saved = client.put(f"/api/v1/exams/{exam_id}/answers/1", json={"selected": key, "flagged": True})
    assert saved.status_code == 200
    assert saved.json()["selected"] == key
    changed = client.put(f"/api/v1/exams/{exam_id}/answers/2", json={"selected": ["A"]})
    assert changed.status_code == 200
    state = client.get(f"/api/v1/exams/{exam_id}").json()
    assert state["status"] == "in_progress"
    assert state["answered"] == 2
    assert state["flagged"] == 1
    assert client.get(f"/api/v1/exams/{exam_id}/review").status_code == 409
    result = client.post(f"/api/v1/exams/{exam_id}/submit").json()
    assert 100 <= result["scaled_score"] <= 1000
    assert result["passed"] is False
    assert result["unanswered"] == 73
    assert [s["domain"] for s in result["sections"]] == [1, 2, 3, 4, 5, 6]
    assert sum(s["scored_items"] for s in result["sections"]) == 65
    assert result["items"][0]["correct"] is True
    review = client.get(f"/api/v1/exams/{exam_id}/review").json()
    assert review["questions"][0]["explanation"]
    assert review["questions"][0]["correct_options"] == key


def test_answer_keys_never_reach_the_browser_during_an_exam(client: TestClient) -> None:
    exam = client.post("/api/v1/exams", json={"pack": "dop-c02", "mode": "full", "seed": 3}).json()
    exam_id = exam["id"]
    secrets = _secrets([q["code"] for q in exam["questions"]], DOP)
    secrets += [DOP.question_by_code(q["code"]).id for q in exam["questions"]]  # type: ignore[union-attr]
    assert len(secrets) > 250
    client.put(f"/api/v1/exams/{exam_id}/answers/1", json={"selected": ["A"]})
    bodies = [client.post("/api/v1/exams", json={"pack": "dop-c02", "mode": "full", "seed": 3}).text]
    urls = [f"/attempts/{exam_id}/q/{n}" for n in range(1, 76)]
    urls += [
        f"/attempts/{exam_id}/review",
        f"/attempts/{exam_id}/submit",
        f"/attempts/{exam_id}/results",
        f"/api/v1/exams/{exam_id}",
        "/api/v1/exams",
        f"/api/v1/exams/{exam_id}/review",
        "/attempts",
        "/packs/dop-c02/practice",
    ]
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (200, 409), url
        bodies.append(response.text)
    check = client.post(f"/api/v1/exams/{exam_id}/answers/1/check")
    assert check.status_code == 409
    bodies.append(check.text)
    everything = "\n".join(bodies)
    leaked = [text for text in secrets if text in everything]
    assert leaked == []
    assert '"correct_options"' not in everything
    assert '"explanation"' not in everything


def test_practice_reveals_the_key_only_after_the_answer_is_final(client: TestClient) -> None:
    drill = client.post(
        "/api/v1/exams", json={"pack": "tiny", "mode": "drill", "domain": 1, "count": 3, "seed": 1}
    ).json()
    drill_id = drill["id"]
    secrets_first = _secrets([drill["questions"][0]["code"]], TINY)
    secrets_second = _secrets([drill["questions"][1]["code"]], TINY)
    page = client.get(f"/attempts/{drill_id}/q/1").text
    assert not [s for s in secrets_first if s in page]
    assert client.post(f"/api/v1/exams/{drill_id}/answers/1/check").status_code == 422
    client.put(f"/api/v1/exams/{drill_id}/answers/1", json={"selected": ["A"]})
    feedback = client.post(f"/api/v1/exams/{drill_id}/answers/1/check").json()
    assert "why" in feedback["options"][0]
    page = client.get(f"/attempts/{drill_id}/q/1").text
    assert all(s.replace("'", "&#39;") in page for s in secrets_first)
    second = client.get(f"/attempts/{drill_id}/q/2").text
    assert not [s for s in secrets_second if s in second]
    locked = client.put(f"/api/v1/exams/{drill_id}/answers/1", json={"selected": ["B"]})
    assert locked.status_code == 409
    assert "final" in locked.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"pack": "nope", "mode": "full"}, 404, "No pack named 'nope'"),
        ({"pack": "dop-c02", "mode": "sprint"}, 422, "mode"),
        ({"pack": "dop-c02", "mode": "drill"}, 422, "a drill needs a domain or a task statement"),
        ({"pack": "dop-c02", "mode": "custom", "count": 0}, 422, "count"),
        ({"pack": "dop-c02", "mode": "custom", "difficulty_min": 5, "difficulty_max": 2}, 422, "difficulty 5 to 2"),
        ({"pack": "tiny", "mode": "custom", "domains": [1], "difficulty_min": 5}, 422, "no question matches"),
        ({"pack": "dop-c02", "mode": "full", "surprise": 1}, 422, "surprise"),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(
    client: TestClient, body: dict[str, object], status: int, message: str
) -> None:
    response = client.post("/api/v1/exams", json=body)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_bad_answers_get_a_4xx_with_a_message(client: TestClient) -> None:
    exam_id = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "full"}).json()["id"]
    cases = [
        (f"/api/v1/exams/{exam_id}/answers/1", {"selected": ["Z"]}, 422, "does not exist"),
        (f"/api/v1/exams/{exam_id}/answers/1", {"selected": "A"}, 422, "selected"),
        (f"/api/v1/exams/{exam_id}/answers/99", {"selected": ["A"]}, 404, "Position 99"),
        ("/api/v1/exams/not-an-exam/answers/1", {"selected": ["A"]}, 404, "No such exam"),
        (f"/api/v1/exams/{exam_id}/answers/x", {"selected": ["A"]}, 422, "position"),
    ]
    for url, body, status, message in cases:
        response = client.put(url, json=body)
        assert response.status_code == status, (url, body, response.text)
        assert message in response.json()["detail"]
    assert client.put(f"/api/v1/exams/{exam_id}/answers/1", content=b"{").status_code == 422


def test_exam_survives_a_killed_server(tmp_path: Path) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": ""}
    first = Server(env).start()
    exam = httpx.post(first.url + "/api/v1/exams", json={"pack": "tiny", "mode": "full", "seed": 1}).json()
    exam_id = exam["id"]
    httpx.put(f"{first.url}/api/v1/exams/{exam_id}/answers/2", json={"selected": ["B"], "flagged": True})
    before = httpx.get(f"{first.url}/api/v1/exams/{exam_id}").json()["remaining_seconds"]
    assert first.process is not None
    os.kill(first.process.pid, signal.SIGKILL)  # no clean shutdown
    first.process.wait()
    time.sleep(2)
    second = Server(env).start()
    try:
        state = httpx.get(f"{second.url}/api/v1/exams/{exam_id}").json()
        assert state["questions"][1]["selected"] == ["B"]
        assert state["questions"][1]["flagged"] is True
        assert state["status"] == "in_progress"
        assert before - 30 <= state["remaining_seconds"] <= before - 1
    finally:
        second.stop()


def test_pages_for_unknown_attempts_are_404(client: TestClient) -> None:
    response = client.get("/attempts/nope/q/1")
    assert response.status_code == 404
    assert "No such exam" in response.text
    bad = client.post("/packs/dop-c02/practice", data={"mode": "custom", "count": "lots"})
    assert bad.status_code == 422
    assert "not a number" in bad.text


def test_cli_exam_in_the_terminal(tmp_path: Path) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": ""}
    key = sorted(TINY.question("tiny-kill-graceful").correct_ids)  # type: ignore[union-attr]
    run = run_certprep(
        "exam",
        "--pack",
        "tiny",
        "--mode",
        "drill",
        "--task",
        "2.1",
        "--seed",
        "1",
        input=f"{key[0]}\n\nA B\n\ns\ny\n",
        env=env,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Question 1 of 2" in out
    assert "Question 2 of 2" in out
    assert "the answer is" in out  # feedback after each answer in a drill
    assert "of 2 scored questions correct" in out
    assert "Classification" in out
    resume = run_certprep("exam", "--mode", "drill", env=env)
    assert resume.returncode == 2
    assert "a drill needs a domain or a task statement" in resume.stderr


def test_the_practice_timer_and_option_order_are_checked_with_one_sentence(client: TestClient) -> None:
    timed = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick", "count": 3, "minutes": 20})
    assert timed.status_code == 201
    state = client.get(f"/api/v1/exams/{timed.json()['id']}").json()
    assert 19 * 60 < state["remaining_seconds"] <= 20 * 60
    refusals: dict[str, tuple[dict[str, object], str]] = {
        "minutes on a full exam": ({"mode": "full", "minutes": 30}, "keeps the exam's own time"),
        "zero minutes": ({"mode": "quick", "minutes": 0}, "between 1 and 300 minutes"),
        "too many minutes": ({"mode": "custom", "minutes": 301}, "between 1 and 300 minutes"),
        "minutes as words": ({"mode": "quick", "minutes": "half an hour"}, "minutes"),
        "shuffle as words": ({"mode": "quick", "shuffle_options": "sometimes"}, "shuffle_options"),
    }
    for case, (body, sentence) in refusals.items():
        refused = client.post("/api/v1/exams", json={"pack": "tiny", **body})
        assert refused.status_code == 422, case
        assert sentence in str(refused.json()["detail"]), (case, refused.json())
    # A shuffled practice session shows the letters A, B, C... in order, over the options in an order of its own.
    shuffled = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "custom", "count": 5, "seed": 3})
    shown = client.get(f"/api/v1/exams/{shuffled.json()['id']}").json()["questions"]
    assert all([o["id"] for o in q["options"]] == sorted(o["id"] for o in q["options"]) for q in shown)
    in_pack_order = [
        [o["text"] for o in q["options"]] == [o.text for o in TINY.question_by_code(q["code"]).options]  # type: ignore[union-attr]
        for q in shown
    ]
    assert not all(in_pack_order)
    plain = client.post(
        "/api/v1/exams", json={"pack": "tiny", "mode": "custom", "count": 5, "seed": 3, "shuffle_options": False}
    )
    kept = client.get(f"/api/v1/exams/{plain.json()['id']}").json()["questions"]
    assert all(
        [o["text"] for o in q["options"]] == [o.text for o in TINY.question_by_code(q["code"]).options]  # type: ignore[union-attr]
        for q in kept
    )


def test_cli_exam_refuses_a_bad_timer_in_one_line(tmp_path: Path) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": ""}
    for minutes, sentence in (("abc", "whole number of minutes, such as 30, not 'abc'"), ("0", "between 1 and 300")):
        run = run_certprep("exam", "--pack", "tiny", "--mode", "quick", "--minutes", minutes, env=env)
        assert run.returncode == 2, run.stdout
        assert sentence in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
        assert "Traceback" not in run.stderr
    exam = run_certprep("exam", "--pack", "tiny", "--mode", "full", "--minutes", "30", env=env)
    assert exam.returncode == 2
    assert "keeps the exam's own time" in exam.stderr
