"""The first visit (in process): the hub asks for the exam date or "not booked yet", offers the 20-question
diagnostic, then shows today's plan item (which opens what it names), the cards due and a readiness figure only
once there is evidence for one; the dashboard says plainly when there is not."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from certprep.engine.forms import DIAGNOSTIC_TITLE
from certprep.learning.readiness import MIN_PREDICTION_ANSWERS
from tests.conftest import runtime_of


def _card(hub: str, pack: str) -> str:
    found = re.search(rf'<section class="hub-status panel" id="start-{pack}".*?</section>', hub, re.S)
    assert found, f"no status card for {pack}"
    return found[0]


def test_a_first_visit_leads_from_the_exam_date_through_the_diagnostic_to_the_plan(client: TestClient) -> None:
    card = _card(client.get("/").text, "dop-c02")
    assert "Start here" in card and 'name="exam_date"' in card and "Not booked yet" in card
    assert "chance to pass" not in card
    # A date in the past, or none, is one sentence.
    past = client.post("/packs/dop-c02/start", data={"exam_date": "2001-01-01"})
    assert past.status_code == 422 and "in the past" in past.text
    assert client.post("/packs/dop-c02/start", data={}).status_code == 422
    exam_day = dt.date.today() + dt.timedelta(days=30)
    set_date = client.post("/packs/dop-c02/start", data={"exam_date": exam_day.isoformat()}, follow_redirects=False)
    assert set_date.status_code == 303 and set_date.headers["location"] == "/#start-dop-c02"
    card = _card(client.get("/").text, "dop-c02")
    assert exam_day.strftime("%d %b %Y") in card and "Take the 20-question diagnostic" in card
    dashboard = client.get("/packs/dop-c02/learn").text
    assert 'id="no-prediction"' in dashboard and 'id="predicted-score"' not in dashboard

    started = client.post("/packs/dop-c02/diagnostic", follow_redirects=False)
    assert started.status_code == 303
    attempt = started.headers["location"].split("/")[2]
    runtime = runtime_of(client)
    state = runtime.exams.state(runtime.local_user_id, attempt)
    assert state.label == DIAGNOSTIC_TITLE and state.question_count == MIN_PREDICTION_ANSWERS
    assert len({q.domain for q in state.questions}) == 6  # across every domain
    pack = runtime.packs["dop-c02"]
    for item in state.questions:
        question = pack.question(item.question_id)
        assert question is not None
        shown_key = [o.id for o in item.options if o.text in {k.text for k in question.options if k.correct}]
        runtime.exams.answer(runtime.local_user_id, attempt, item.position, selected=shown_key)
        runtime.exams.check(runtime.local_user_id, attempt, item.position)
    assert client.post(f"/attempts/{attempt}/submit").status_code == 303
    results = client.get(f"/attempts/{attempt}/results").text
    assert 'id="diagnostic-next"' in results and 'href="/packs/dop-c02/plan"' in results

    card = _card(client.get("/").text, "dop-c02")
    assert "Today" in card and "Start here" not in card
    assert re.search(r"\d+ \(likely \d+–\d+\), \d+% chance to pass", card), card
    assert 'href="/packs/dop-c02/cards"' in card
    assert 'id="predicted-score"' in client.get("/packs/dop-c02/learn").text


def test_not_booked_yet_plans_six_weeks_out_and_every_plan_item_opens_something(client: TestClient) -> None:
    assert client.post("/packs/tiny/start", data={"unbooked": "1"}, follow_redirects=False).status_code == 303
    card = _card(client.get("/").text, "tiny")
    assert "not booked yet" in card and "No prediction yet" not in card  # the diagnostic step comes first
    plan = client.get("/packs/tiny/plan").text
    assert 'id="provisional-plan"' in plan
    expected = dt.date.today() + dt.timedelta(weeks=6)
    assert expected.strftime("%a %d %b %Y") in plan
    sessions = re.findall(r'<li><span class="session-kind kind-([\w-]+)">.*?</li>', plan, re.S)
    opens = re.findall(r'data-plan-open="([\w-]+)"', plan)
    assert sessions and len(opens) >= len([kind for kind in sessions if kind != "rest"])
    # The doors work: a drill starts a drill of the session's domain, a review opens the deck.
    drill = re.search(
        r'action="/packs/tiny/practice">.*?name="mode" value="drill"><input type="hidden" name="domain" '
        r'value="(\d+)"><input type="hidden" name="count" value="(\d+)">',
        plan,
    )
    assert drill, "no drill in the plan opens a drill"
    started = client.post(
        "/packs/tiny/practice", data={"mode": "drill", "domain": drill[1], "count": drill[2]}, follow_redirects=False
    )
    assert started.status_code == 303 and "/q/1" in started.headers["location"]
    assert client.get("/packs/tiny/cards").status_code == 200
    # Setting a date later ends the provisional plan.
    later = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    client.post("/packs/tiny/start", data={"exam_date": later})
    assert 'id="provisional-plan"' not in client.get("/packs/tiny/plan").text
