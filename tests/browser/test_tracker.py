"""The certification tracker in Chromium with JavaScript switched off: booking, the result page, removal (#24 item 9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import Server


@pytest.fixture
def no_script_page(browser: Any) -> Iterator[Any]:
    """A page that runs no JavaScript: every step of the tracker must work as plain HTML forms and links."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_a_future_booking_offers_no_result_form_and_removal_asks_first(server: Server, no_script_page: Any) -> None:
    page = no_script_page
    day = (dt.date.today() + dt.timedelta(days=45)).isoformat()
    page.goto(server.url + "/certs/book")
    page.fill("input[name=date]", day)
    page.fill("input[name=time]", "09:30")
    page.click("button:has-text('Book')")
    page.wait_for_url(server.url + "/certs#attempts")
    row = page.locator("#attempts tbody tr", has_text=day)
    assert row.count() == 1
    assert row.locator("text=Enter result").count() == 0  # not offered before the day
    remove = row.locator("a:has-text('Remove')")
    target = remove.get_attribute("href")
    assert target is not None
    # Opened by its address, the result page says at once why there is no form yet.
    page.goto(server.url + target.replace("/delete", "/result"))
    assert page.locator("#result-not-yet").inner_text() == (
        f"This attempt is booked for {day}; enter its result after you have sat it."
    )
    assert page.locator("input[name=scaled_score]").count() == 0

    page.goto(server.url + "/certs")
    page.locator("#attempts tbody tr", has_text=day).locator("a:has-text('Remove')").click()
    assert page.locator("h1").inner_text() == "Remove your DOP-C02 booking?"
    page.click("#cancel-remove")  # keeping it changes nothing
    assert page.locator("#attempts tbody tr", has_text=day).count() == 1
    page.locator("#attempts tbody tr", has_text=day).locator("a:has-text('Remove')").click()
    page.click("#confirm-remove")
    page.wait_for_url(server.url + "/certs#attempts")
    assert page.locator("#attempts tbody tr", has_text=day).count() == 0


def test_the_path_recommends_dop_c02_with_its_usual_preparation(server: Server, page: Any) -> None:
    page.goto(server.url + "/certs/path")
    assert page.locator("#path-message").inner_text().startswith("Recommended next: DOP-C02 ")
    assert page.locator(".cert-step.recommended .badge").all_inner_texts() == ["DOP-C02"]
    assert page.locator(".cert-step.preparation .badge").all_inner_texts() == ["SAA-C03", "SOA-C03"]
