"""The ESL accommodation setting, the practice timer and timed domain sections from the pages (#24 item 17)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient


def _attempt(started_location: str) -> str:
    return started_location.split("/attempts/")[1].split("/")[0]


def _allowed_minutes(state: dict[str, Any]) -> float:
    """The time the attempt was given, from its stored start and deadline (the clock runs during the test)."""
    ends, started = dt.datetime.fromisoformat(state["ends_at"]), dt.datetime.fromisoformat(state["started_at"])
    return (ends - started).total_seconds() / 60


def _card(page: str, mode: str) -> str:
    return page.split(f'data-mode="{mode}"', 1)[1].split("</form>", 1)[0]


def test_the_esl_setting_is_saved_from_the_settings_form_and_gives_30_more_minutes(client: TestClient) -> None:
    learn = client.get("/packs/dop-c02/learn").text
    assert "ESL accommodation: +30 minutes on timed exams" in learn
    assert re.search(r'name="esl_accommodation" value="on" +>', learn)  # off for a new learner
    # The form sends the hidden "off" and, ticked, "on".
    saved = client.post("/packs/dop-c02/learn/settings", data={"esl_accommodation": ["off", "on"]})
    assert saved.status_code == 303
    assert 'name="esl_accommodation" value="on" checked' in client.get("/packs/dop-c02/learn").text
    assert client.get("/api/v1/learning/settings").json()["esl_accommodation"] is True
    # The plan page's form, which has no such field, leaves it on.
    client.post("/packs/dop-c02/learn/settings", data={"minutes_per_day": "45", "back": "plan"})
    assert client.get("/api/v1/learning/settings").json()["esl_accommodation"] is True

    practice = client.get("/packs/dop-c02/practice").text
    assert "+30 minutes with your ESL accommodation." in _card(practice, "full")
    started = client.post("/packs/dop-c02/practice", data={"mode": "full"})
    attempt = _attempt(started.headers["location"])
    question = client.get(f"/attempts/{attempt}/q/1").text
    assert "(+30 min ESL accommodation)" in question
    assert _allowed_minutes(client.get(f"/api/v1/exams/{attempt}").json()) == 180 + 30
    client.post(f"/api/v1/exams/{attempt}/submit")

    client.post("/packs/dop-c02/learn/settings", data={"esl_accommodation": "off"})
    assert "ESL accommodation." not in client.get("/packs/dop-c02/practice").text


def test_the_esl_setting_through_the_api(client: TestClient) -> None:
    assert client.put("/api/v1/learning/settings", json={"esl_accommodation": True}).json()["esl_accommodation"]
    refused = client.put("/api/v1/learning/settings", json={"esl_accommodation": "maybe"})
    assert refused.status_code == 422


def test_a_practice_session_with_a_timer_shows_the_time_left(client: TestClient) -> None:
    practice = client.get("/packs/dop-c02/practice").text
    for mode in ("quick", "drill", "review", "custom"):
        assert 'name="minutes"' in _card(practice, mode), mode
    for mode in ("full", "mock100"):
        assert 'name="minutes"' not in _card(practice, mode), mode
    started = client.post("/packs/dop-c02/practice", data={"mode": "quick", "minutes": "15"})
    attempt = _attempt(started.headers["location"])
    page = client.get(f"/attempts/{attempt}/q/1").text
    assert re.search(r'id="timer"[^>]*>0:1[45]:\d\d<', page), page
    untimed = client.post("/packs/dop-c02/practice", data={"mode": "quick", "minutes": ""})
    assert 'id="timer"' not in client.get(f"/attempts/{_attempt(untimed.headers['location'])}/q/1").text


def test_a_timer_that_cannot_be_is_a_sentence_not_an_error(client: TestClient) -> None:
    for minutes in ("0", "abc", "9999"):
        refused = client.post(
            "/packs/dop-c02/practice", data={"mode": "quick", "minutes": minutes}, headers={"Accept": "text/html"}
        )
        assert refused.status_code in (400, 422), minutes
        assert "<html" in refused.text.lower()


def test_a_timed_section_starts_from_the_practice_page(client: TestClient) -> None:
    section = _card(client.get("/packs/dop-c02/practice").text, "section")
    assert "1. SDLC Automation: 17 questions, 41 minutes" in section
    started = client.post("/packs/dop-c02/practice", data={"mode": "section", "domain": "3"})
    assert started.status_code == 303, started.text
    state = client.get(f"/api/v1/exams/{_attempt(started.headers['location'])}").json()
    assert {question["domain"] for question in state["questions"]} == {3}
    assert (len(state["questions"]), _allowed_minutes(state), state["label"]) == (11, 26, "Timed domain section")
    page = client.get(started.headers["location"]).text
    assert "Timed domain section" in page and 'id="timer"' in page


def test_a_review_session_shows_the_key_and_explanation_after_each_question_untimed(client: TestClient) -> None:
    missed = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick", "count": 3}).json()
    client.post(f"/api/v1/exams/{missed['id']}/submit")  # nothing answered: three missed questions
    review_card = _card(client.get("/packs/tiny/practice").text, "review")
    assert "3 questions you last answered wrong." in review_card
    started = client.post("/packs/tiny/practice", data={"mode": "review"})
    attempt = _attempt(started.headers["location"])
    before = client.get(f"/api/v1/exams/{attempt}").json()
    assert (before["remaining_seconds"], before["feedback"], len(before["questions"])) == (None, True, 3)
    assert before["questions"][0].get("explanation") is None  # nothing before the answer is final
    client.post(f"/attempts/{attempt}/q/1", data={"action": "check", "selected": "A"})
    after = client.get(f"/api/v1/exams/{attempt}").json()["questions"][0]
    assert after["explanation"] and after["correct_options"]
    assert after["explanation"].split()[0] in client.get(f"/attempts/{attempt}/q/1").text
    assert 'id="timer"' not in client.get(f"/attempts/{attempt}/q/1").text
