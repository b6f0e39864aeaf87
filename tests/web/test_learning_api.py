"""The learning API and pages of the real app (in process, each test on a fresh database): cards, due questions,
weak spots, readiness, plan, dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from certprep.content import load_pack
from tests.conftest import TINY_PACK, dop_pack

TINY = load_pack(TINY_PACK)


def test_cards_due_and_review_over_the_api(client: TestClient) -> None:
    due = client.get("/api/v1/cards/due", params={"pack": "tiny"})
    assert due.status_code == 200
    data = due.json()
    assert data["counts"]["new"] == len(TINY.flashcards)
    assert data["cards"][0]["kind"] == "new"
    card = data["cards"][0]
    reviewed = client.post(f"/api/v1/cards/{card['id']}/review", json={"rating": 3})
    assert reviewed.status_code == 200
    result = reviewed.json()
    assert result["rating"] == 3
    assert result["interval"] == "10m"
    assert result["state"] == "learning"
    assert dt.datetime.fromisoformat(result["due"]) > dt.datetime.now(dt.UTC)
    after = client.get("/api/v1/cards/due", params={"pack": "tiny", "domain": card["domain"]}).json()
    assert after["counts"]["new"] == sum(1 for c in TINY.flashcards if c.domain == card["domain"]) - 1


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/api/v1/cards/tiny-fc-ls-a/review", {"rating": 5}, 422, "less than or equal to 4"),
        ("/api/v1/cards/tiny-fc-ls-a/review", {"rating": 3, "pack": "nope"}, 404, "No pack named 'nope'"),
        ("/api/v1/cards/no-such-card/review", {"rating": 3}, 404, "No flashcard 'no-such-card'"),
        ("/api/v1/learning/due-questions", {"pack": "tiny"}, 422, "no missed question is due"),
    ],
)
def test_bad_requests_get_a_4xx_with_a_clear_detail(
    client: TestClient, path: str, body: dict[str, object], status: int, message: str
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_readiness_and_mastery(client: TestClient) -> None:
    dop = dop_pack()
    several = client.get("/api/v1/readiness")
    assert several.status_code == 422
    assert "several packs" in several.json()["detail"]
    data = client.get("/api/v1/readiness", params={"pack": "dop-c02"}).json()
    assert set(data) >= {"scaled_score", "scaled_low", "scaled_high", "pass_probability", "domains"}
    assert 100 <= data["scaled_low"] <= data["scaled_score"] <= data["scaled_high"] <= 1000
    assert 0 <= data["pass_probability"] <= 1
    mastery = client.get("/api/v1/mastery", params={"pack": "dop-c02"}).json()
    assert [d["domain"] for d in mastery["domains"]] == [1, 2, 3, 4, 5, 6]
    assert len(mastery["tasks"]) == sum(len(d.tasks) for d in dop.blueprint.domains)


def test_plan_api_and_its_errors(client: TestClient) -> None:
    exam = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    plan = client.get("/api/v1/plan", params={"pack": "dop-c02", "exam_date": exam, "minutes_per_day": 90})
    assert plan.status_code == 200
    data = plan.json()
    assert data["kind"] == "intensive"
    assert len(data["days"]) == 8
    assert data["days"][-1]["focus"] == "Exam day"
    assert any(s["kind"] == "mock" for s in data["days"][5]["sessions"])
    past = client.get("/api/v1/plan", params={"pack": "dop-c02", "exam_date": "2020-01-01", "minutes_per_day": 60})
    assert past.status_code == 422
    assert "in the past" in past.json()["detail"]
    bad = client.get("/api/v1/plan", params={"pack": "dop-c02", "exam_date": "soon", "minutes_per_day": 60})
    assert bad.status_code == 422
    assert "exam_date" in bad.json()["detail"]
    few = client.get("/api/v1/plan", params={"pack": "dop-c02", "exam_date": exam, "minutes_per_day": 2})
    assert few.status_code == 422
    assert "minutes_per_day" in few.json()["detail"]


def test_weak_spots_then_due_questions_through_the_exam_api(client: TestClient) -> None:
    listed = client.get("/api/v1/learning/weak-spots", params={"pack": "tiny", "count": 3}).json()
    assert len(listed["questions"]) == 3
    assert all(q["reason"] for q in listed["questions"])
    started = client.post("/api/v1/learning/weak-spots", json={"pack": "tiny", "count": 3})
    assert started.status_code == 201
    attempt = started.json()["id"]
    state = client.get(f"/api/v1/exams/{attempt}").json()
    assert state["feedback"] is True
    assert state["question_count"] == 3
    # Answer the first one wrong and check it: it becomes a missed question, due tomorrow rather than now.
    first = state["questions"][0]
    question = TINY.question_by_code(first["code"])
    assert question is not None
    # Practice shows its options in an order of its own: pick wrong options by the texts beside the shown letters.
    key_texts = {o.text for o in question.options if o.correct}
    wrong = sorted(o["id"] for o in first["options"] if o["text"] not in key_texts)[: question.select]
    assert client.put(f"/api/v1/exams/{attempt}/answers/1", json={"selected": wrong}).status_code == 200
    assert client.post(f"/api/v1/exams/{attempt}/answers/1/check").status_code == 200
    assert client.get("/api/v1/questions/due", params={"pack": "tiny"}).json()["count"] == 0
    board = client.get("/packs/tiny/learn")
    assert board.status_code == 200
    assert "1 tracked" in board.text


def test_settings_api(client: TestClient) -> None:
    saved = client.put("/api/v1/learning/settings", json={"desired_retention": 0.85, "new_per_day": 15})
    assert saved.status_code == 200
    assert saved.json()["desired_retention"] == 0.85
    assert client.get("/api/v1/learning/settings").json()["new_per_day"] == 15
    bad = client.put("/api/v1/learning/settings", json={"desired_retention": 0.3})
    assert bad.status_code == 422
    assert "desired_retention" in bad.json()["detail"]
    assert client.put("/api/v1/learning/settings", json={"desired_retention": 0.9}).status_code == 200


def test_pages_render_and_forms_work(client: TestClient) -> None:
    assert client.get("/dashboard").status_code == 303
    board = client.get("/packs/dop-c02/learn")
    assert board.status_code == 200
    assert board.text.count('<svg class="chart"') == 4
    assert "Predicted score today" in board.text
    assert "style=" not in board.text
    assert "<script>" not in board.text
    cards = client.get("/packs/tiny/cards", params={"domain": 1})
    assert cards.status_code == 200
    assert 'id="reveal-box"' in cards.text
    card_id = cards.text.split('data-card="')[1].split('"')[0]
    rated = client.post(f"/packs/tiny/cards/{card_id}/review", data={"rating": "4", "domain": "1"})
    assert rated.status_code == 303
    assert rated.headers["location"] == "/packs/tiny/cards?domain=1"
    bad = client.post(f"/packs/tiny/cards/{card_id}/review", data={"rating": "9"})
    assert bad.status_code == 422
    assert "rating must be between 1 and 4" in bad.text
    weak = client.post("/packs/tiny/weak-spots", data={"count": "2"})
    assert weak.status_code == 303
    assert weak.headers["location"].endswith("/q/1")
    exam = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    saved = client.post("/packs/tiny/learn/settings", data={"exam_date": exam, "minutes_per_day": "45", "back": "plan"})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/packs/tiny/plan"
    plan = client.get("/packs/tiny/plan")
    assert plan.status_code == 200
    assert "30 days to the TINY-01 exam" in plan.text
    # The heading's days and the day cards agree: 30 study days numbered 1 to 30, then the exam day by name.
    assert "30 study days, then the exam on" in plan.text
    assert plan.text.count("<h3>Day ") == 30
    assert "<h3>Day 30 ·" in plan.text
    assert "<h3>Day 31" not in plan.text
    assert "<h3>Exam day ·" in plan.text
    assert "data-print" in plan.text
    past = client.post("/packs/tiny/learn/settings", data={"exam_date": "2001-01-01"})
    assert past.status_code == 422
    assert "in the past" in past.text
    ics = client.get("/packs/tiny/plan.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    events = list(Calendar.from_ical(ics.content).walk("VEVENT"))
    assert len(events) == 31


def test_the_plan_api_plans_to_the_saved_exam_date(client: TestClient) -> None:
    unsaved = client.get("/api/v1/plan", params={"pack": "tiny"})
    assert unsaved.status_code == 422
    assert unsaved.json()["detail"] == (
        "exam_date: give the exam date (YYYY-MM-DD), or save it on the study plan page first."
    )
    exam = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    saved = client.post("/packs/tiny/learn/settings", data={"exam_date": exam, "minutes_per_day": "45", "back": "plan"})
    assert saved.status_code == 303
    plan = client.get("/api/v1/plan", params={"pack": "tiny"})
    assert plan.status_code == 200, plan.text
    data = plan.json()
    assert (data["exam_date"], data["minutes_per_day"], data["days_left"]) == (exam, 45, 30)
    page = client.get("/packs/tiny/plan")
    assert "30 days to the TINY-01 exam" in page.text  # the page and the API plan the same days
    other = client.get("/api/v1/plan", params={"pack": "tiny", "minutes_per_day": 90})
    assert (other.json()["exam_date"], other.json()["minutes_per_day"]) == (exam, 90)  # what is given wins
