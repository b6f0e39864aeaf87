"""The test centre's review flow in Chromium (issue #24 item 16): flag with the keyboard, "Next flagged" round the
flagged questions, the review screen's views and its way back, then History in the learner's time zone, where the
exam is abandoned after a confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _serious_violations
from tests.conftest import TINY_PACK, Server


@pytest.fixture
def tokyo_page(browser: Any) -> Iterator[Any]:
    """A learner in Tokyo (UTC+9), so local times differ from UTC; CSP bypassed to inject axe-core."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, timezone_id="Asia/Tokyo", locale="en-US", bypass_csp=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def review_server(tmp_path: Path) -> Iterator[Server]:
    """A server of its own: the timed exam this test runs would keep its questions out of other tests' practice."""
    server = Server({"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": ""})
    yield server.start()
    server.stop()


def _cells(page: Any) -> list[str]:
    return [
        str(n) for n in page.locator(".review-grid .cell").evaluate_all("cells => cells.map(c => c.dataset.position)")
    ]


def test_review_views_next_flagged_and_history_in_local_time(review_server: Server, tokyo_page: Any) -> None:
    page = tokyo_page
    page.goto(review_server.url + "/packs/tiny/practice")
    page.click("form[data-mode='full'] button[type=submit]")
    page.wait_for_url("**/q/1")
    page.keyboard.press("a")  # question 1 answered
    expect(page.locator("#save-status")).to_have_text("Saved")
    for position, flag in ((1, False), (2, True), (3, False), (4, True)):
        if flag:
            page.keyboard.press("m")
            expect(page.locator("#save-status")).to_have_text("Saved")
        page.keyboard.press("n")
        page.wait_for_url(f"**/q/{position + 1}")
    page.click("#next-flagged")
    page.wait_for_url("**/q/2")
    page.click("#next-flagged")
    page.wait_for_url("**/q/4")
    page.click("button[value=review]")
    page.wait_for_url("**/review?from=4")
    assert len(_cells(page)) == 6
    page.click("[data-view=flagged]")
    expect(page.locator("[data-view=flagged]")).to_have_attribute("aria-current", "page")
    assert _cells(page) == ["2", "4"]
    assert _serious_violations(page) == []
    page.click("[data-view=incomplete]")
    assert _cells(page) == ["2", "3", "4", "5", "6"]
    page.click("#review-back")
    page.wait_for_url("**/q/4")

    page.goto(review_server.url + "/attempts")
    started = page.locator("time[data-local]").first
    moment = dt.datetime.fromisoformat(str(started.get_attribute("datetime"))).astimezone(ZoneInfo("Asia/Tokyo"))
    expect(started).to_contain_text("GMT+9")
    expect(started).to_contain_text(moment.strftime("%I:%M"))
    expect(page.locator(".time-left")).to_contain_text("min left")
    page.click(".delete-attempt")
    assert _serious_violations(page) == []  # the confirmation page
    page.click("#confirm-delete-button")
    expect(page.locator("#deleted")).to_be_visible()
    expect(page.locator(".delete-attempt")).to_have_count(0)
