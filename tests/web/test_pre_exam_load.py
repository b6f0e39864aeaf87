"""Pre-exam reviews through the real app, stored on SQLite and PostgreSQL: with an exam date, every card FSRS would
next show after the exam is shown once in the last week before it, no day above the learner's reviews per day, the
plan (``GET /api/v1/plan`` and ``certprep plan``) shows them on those days, and none is left for after the exam."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.clock import FixedClock
from certprep.config import Settings
from certprep.runtime import Runtime
from tests.conftest import TINY_PACK, run_certprep, web_app

PACK = "dop-c02"
EXAM = dt.date(2027, 1, 15)
WINDOW = [EXAM - dt.timedelta(days=n) for n in range(7, 0, -1)]  # 8 .. 14 January


def at(day: dt.date, hour: int) -> dt.datetime:
    """A moment of ``day`` in UTC, far enough from midnight to be the same date in any time zone of a test machine."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _learn_well(client: TestClient, clock: FixedClock, cards: list[str]) -> None:
    """Each card rated Easy on 23 November and again when due: FSRS then puts it after the 15 January exam."""
    for card_id in cards:
        clock.at = at(dt.date(2026, 11, 23), 12)
        first = client.post(f"/api/v1/cards/{card_id}/review", json={"rating": 4, "pack": PACK})
        assert first.status_code == 200, first.text
        clock.at = max(dt.datetime.fromisoformat(first.json()["due"]), clock.at)
        again = client.post(f"/api/v1/cards/{card_id}/review", json={"rating": 4, "pack": PACK})
        assert dt.datetime.fromisoformat(again.json()["due"]).date() > EXAM


def _planned(client: TestClient) -> dict[dt.date, tuple[int, int]]:
    """From ``GET /api/v1/plan``: each day's (items of its review session, pre-exam reviews among them)."""
    plan = client.get("/api/v1/plan", params={"pack": PACK})
    assert plan.status_code == 200, plan.text
    days = {}
    for day in plan.json()["days"]:
        reviews = [session for session in day["sessions"] if session["kind"] == "review"]
        cards = sum(session["cards"] for session in reviews)
        days[dt.date.fromisoformat(day["date"])] = (cards, sum(session["pre_exam"] for session in reviews))
    return days


def _due_reviews(client: TestClient) -> dict[str, str]:
    """The reviews in the learner's queue now (new cards left out), card id to kind."""
    due = client.get("/api/v1/cards/due", params={"pack": PACK, "limit": 500})
    assert due.status_code == 200, due.text
    return {card["id"]: card["kind"] for card in due.json()["cards"] if card["kind"] != "new"}


def test_cards_due_after_the_exam_are_each_reviewed_once_in_the_last_week_within_the_daily_load(
    migrated_database_url: str, pack_cache: Path
) -> None:
    clock = FixedClock(at(dt.date(2026, 11, 23), 12))
    with web_app(migrated_database_url, pack_cache, clock=clock) as client:
        due = client.get("/api/v1/cards/due", params={"pack": PACK, "limit": 10}).json()["cards"]
        cards = [card["id"] for card in due]
        assert len(cards) == 10
        _learn_well(client, clock, cards)
        clock.at = at(dt.date(2027, 1, 2), 12)
        assert client.put("/api/v1/learning/settings", json={"reviews_per_day": 2}).status_code == 200
        # Without an exam date the plan cannot be asked for and no review falls before February.
        assert client.get("/api/v1/plan", params={"pack": PACK}).status_code == 422
        assert _due_reviews(client) == {}
        saved = client.post(f"/packs/{PACK}/learn/settings", data={"exam_date": EXAM.isoformat(), "back": "plan"})
        assert saved.status_code == 303

        # Ten cards, two a day at most: spread over the last week, the odd ones on the days nearest the exam.
        planned = _planned(client)
        pre_exam = {day: extra for day, (_, extra) in planned.items() if extra}
        assert set(pre_exam) <= set(WINDOW)
        assert sum(pre_exam.values()) == 10
        assert all(planned[day][0] <= 2 for day in WINDOW)  # the day's whole review session, within the load
        assert [pre_exam.get(day, 0) for day in WINDOW] == [1, 1, 1, 1, 2, 2, 2]
        # The plan page says the same.
        page = client.get(f"/packs/{PACK}/plan")
        assert page.text.count("including 2 pre-exam reviews") == 3

        # A load of one a day cannot hold ten cards in seven days: seven are planned, one a day; the three with the
        # highest predicted recall on exam day go without.
        assert client.put("/api/v1/learning/settings", json={"reviews_per_day": 1}).status_code == 200
        tight = _planned(client)
        assert [tight[day] for day in WINDOW] == [(1, 1)] * 7
        assert client.put("/api/v1/learning/settings", json={"reviews_per_day": 2}).status_code == 200

        # The learner studies each evening: every card comes up once, in the window, never more than two a day.
        shown: Counter[str] = Counter()
        day = dt.date(2027, 1, 2)
        while day < EXAM:
            clock.at = at(day, 19)
            queue = _due_reviews(client)
            assert len(queue) <= 2, (day, queue)
            assert not queue or day in WINDOW, (day, queue)
            assert set(queue.values()) <= {"pre-exam"}
            for card_id in queue:
                reviewed = client.post(f"/api/v1/cards/{card_id}/review", json={"rating": 3, "pack": PACK})
                assert reviewed.status_code == 200
                shown[card_id] += 1
            assert _due_reviews(client) == {}  # done for the day: nothing comes back before the exam
            day += dt.timedelta(days=1)
        assert shown == Counter(dict.fromkeys(cards, 1))
        clock.at = at(EXAM, 7)
        assert _due_reviews(client) == {}


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_DATABASE_URL": "", "CERTPREP_PACKS": str(TINY_PACK)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def test_certprep_plan_shows_the_pre_exam_reviews(cli_env: dict[str, str]) -> None:
    # The command line runs on the machine's clock: the tiny pack's three cards learned well weeks ago, so that FSRS
    # next shows them after an exam ten days from now.
    now = dt.datetime.now(dt.UTC)
    runtime = Runtime.start(Settings())
    try:
        user, cards = runtime.local_user_id, runtime.learning.cards
        for card in runtime.learning.records.pack("tiny").flashcards:
            first = cards.review_card(user, "tiny", card.id, 4, now - dt.timedelta(days=20))
            again = cards.review_card(user, "tiny", card.id, 4, dt.datetime.fromisoformat(first.due))
            assert dt.datetime.fromisoformat(again.due) > now + dt.timedelta(days=11)
    finally:
        runtime.close()
    today = now.astimezone().date()
    exam = (today + dt.timedelta(days=10)).isoformat()
    planned = run_certprep("plan", "--pack", "tiny", "--exam-date", exam, "--json", env=cli_env)
    assert planned.returncode == 0, planned.stderr
    days = json.loads(planned.stdout)["days"]
    pre_exam = {day["date"]: sum(s["pre_exam"] for s in day["sessions"] if s["kind"] == "review") for day in days}
    window = {(today + dt.timedelta(days=n)).isoformat() for n in range(3, 10)}
    assert sum(pre_exam.values()) == 3
    assert {day for day, count in pre_exam.items() if count} <= window
    table = run_certprep("plan", "--pack", "tiny", "--exam-date", exam, env={**cli_env, "COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    # The table may wrap a cell over lines (its width is the terminal's, fixed when the console first printed in
    # this worker), so count the words each pre-exam review adds rather than the whole phrase.
    assert table.stdout.count("pre-exam") == 3
