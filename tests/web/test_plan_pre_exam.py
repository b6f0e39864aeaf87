"""The study plan shows the pre-exam reviews: on the page, in the .ics and in the API, on the days the due queue
will hold them, and the flashcard page shows such a card as a pre-exam review on its day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar

from certprep.clock import FixedClock
from tests.conftest import web_app

CARDS = ("tiny-fc-ls-a", "tiny-fc-vi-x")
EXAM = dt.date(2027, 1, 15)


def noon(day: dt.date) -> dt.datetime:
    """Midday UTC: the same date in every time zone the machine running the tests may be in."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def test_the_plan_shows_the_pre_exam_reviews_of_cards_due_after_the_exam(tmp_path: Path, pack_cache: Path) -> None:
    clock = FixedClock(noon(dt.date(2026, 11, 23)))
    with web_app(f"sqlite:///{tmp_path / 'certprep.db'}", pack_cache, clock=clock) as client:
        # Two cards rated Easy twice (23 November, then when due on 1 December): FSRS next shows them in February.
        for day in (dt.date(2026, 11, 23), dt.date(2026, 12, 1)):
            clock.at = noon(day)
            for card_id in CARDS:
                rated = client.post(f"/packs/tiny/cards/{card_id}/review", data={"rating": "4"})
                assert rated.status_code == 303
        clock.at = noon(dt.date(2027, 1, 2))
        saved = client.post(
            "/packs/tiny/learn/settings", data={"exam_date": EXAM.isoformat(), "minutes_per_day": "60", "back": "plan"}
        )
        assert saved.status_code == 303

        page = client.get("/packs/tiny/plan")
        assert page.status_code == 200
        days = {article.split("<h3>")[1].split("</h3>")[0]: article for article in page.text.split("<article")[1:]}
        with_pre_exam = sorted(heading for heading, article in days.items() if "pre-exam review" in article)
        assert with_pre_exam == ["Day 12 · Wed 13 Jan", "Day 13 · Thu 14 Jan"]
        assert "(about 1 item, including 1 pre-exam review)" in days["Day 12 · Wed 13 Jan"]

        events = Calendar.from_ical(client.get("/packs/tiny/plan.ics").content).walk("VEVENT")
        described = {event.decoded("dtstart"): str(event.get("description")) for event in events}
        assert [day for day, text in sorted(described.items()) if "pre-exam review" in text] == [
            dt.date(2027, 1, 13),
            dt.date(2027, 1, 14),
        ]

        plan = client.get("/api/v1/plan", params={"pack": "tiny", "exam_date": EXAM.isoformat(), "minutes_per_day": 60})
        pre_exam = {
            day["date"]: [session["pre_exam"] for session in day["sessions"] if session["kind"] == "review"]
            for day in plan.json()["days"]
        }
        assert (pre_exam["2027-01-12"], pre_exam["2027-01-13"], pre_exam["2027-01-14"]) == ([0], [1], [1])

        # On its day the flashcard page shows the card as a pre-exam review, before any new card.
        clock.at = noon(dt.date(2027, 1, 13))
        cards = client.get("/packs/tiny/cards", params={"domain": 1})
        assert f'data-card="{CARDS[0]}"' in cards.text
        assert "pre-exam" in cards.text
