"""A learner reviews flashcards with the keyboard in Chromium, and the dashboard is photographed for the docs."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from certprep.config import Settings
from certprep.engine.forms import FormRequest
from certprep.runtime import Runtime
from tests.browser.conftest import screenshot_path
from tests.conftest import Server


def _study_history(data_dir: Path) -> None:
    """Two weeks of a learner getting better: a practice quiz and a few flashcards a day, then today's readiness.

    Written through the real services with past timestamps, before the server starts, so the charts have a history.
    """
    runtime = Runtime.start(Settings(database_url=f"sqlite:///{data_dir / 'certprep.db'}", extra_packs=()))
    try:
        user = runtime.local_user_id
        pack = runtime.packs["dop-c02"]
        rng = random.Random(7)
        now = dt.datetime.now(dt.UTC)
        cards = [card.id for card in pack.flashcards[::9]]
        for day in range(14, 0, -1):
            moment = now - dt.timedelta(days=day, hours=2)
            if day in (9, 4):
                continue  # a day off or two: the streak starts after the last one
            skill = 0.45 + 0.03 * (14 - day)
            attempt = runtime.exams.start(
                user, "dop-c02", FormRequest(mode="quick", count=15, shuffle_options=False), now=moment
            )
            for item in runtime.exams.state(user, attempt, now=moment).questions:
                question = pack.question(item.question_id)
                assert question is not None
                right = rng.random() < skill
                options = (
                    sorted(question.correct_ids)
                    if right
                    else [o.id for o in question.options if not o.correct][: question.select]
                )
                moment += dt.timedelta(minutes=2)
                runtime.exams.answer(user, attempt, item.position, selected=options, now=moment)
                runtime.exams.check(user, attempt, item.position, now=moment)
            for card in cards[day % 3 :: 3]:
                moment += dt.timedelta(seconds=20)
                runtime.learning.cards.review_card(user, "dop-c02", card, rng.choice([1, 3, 3, 4]), moment)
            runtime.learning.progress.readiness(user, "dop-c02", moment)
        runtime.learning.records.set_exam_date(user, "dop-c02", (now + dt.timedelta(days=24)).date())
    finally:
        runtime.close()


@pytest.fixture(scope="module")
def learner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("learning-browser")
    _study_history(data)
    running = Server({"CERTPREP_DATA_DIR": str(data), "CERTPREP_DATABASE_URL": "", "CERTPREP_PACKS": ""}).start()
    yield running
    running.stop()


def test_review_a_flashcard_with_the_keyboard_then_see_the_dashboard(
    learner: Server, page: Any, tmp_path: Path
) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    before = httpx.get(learner.url + "/api/v1/cards/due", params={"domain": 2}).json()
    page.goto(learner.url + "/packs/dop-c02/cards?domain=2")
    card_id = page.locator("#flashcard").get_attribute("data-card")
    assert card_id == before["cards"][0]["id"]
    back = page.locator("#card-back")
    expect(back).to_be_hidden()
    page.keyboard.press("3")  # rating before the answer is shown does nothing
    assert page.locator("#flashcard").get_attribute("data-card") == card_id
    page.keyboard.press("Space")
    expect(back).to_be_visible()
    page.screenshot(path=screenshot_path(tmp_path, "flashcard.png"))
    page.keyboard.press("4")  # Easy
    page.wait_for_load_state("load")
    expect(page.locator("#flashcard")).not_to_have_attribute("data-card", card_id)
    log = httpx.get(learner.url + "/api/v1/cards/due", params={"domain": 2}).json()
    assert log["new_today"] + log["reviews_today"] == before["new_today"] + before["reviews_today"] + 1
    assert card_id not in [card["id"] for card in log["cards"]]

    page.goto(learner.url + "/dashboard")
    expect(page.locator("#predicted-score")).to_be_visible()
    assert page.locator("svg.chart").count() == 4
    assert page.locator("svg.chart polyline.chart-line").count() == 1  # the readiness history is drawn
    assert "Today's plan" in page.content()
    page.screenshot(path=screenshot_path(tmp_path, "dashboard.png"), full_page=True)
    phone = page.context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(learner.url + "/packs/dop-c02/learn")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard scrolls sideways on a phone ({width}px)"
    phone.close()
    assert errors == []
