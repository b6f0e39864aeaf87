"""The first visit and the plan in Chromium: "Not booked yet" on the hub, the diagnostic it offers, plan items that
open what they name, the dashboard's trend by domain on a phone, and axe-core on the hub's start panel and the plan
(light and dark, 1280 and 390 px)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import check_first_practice_answer, screenshot_path
from tests.browser.test_accessibility import PHONE, require_axe, violations_in_every_look
from tests.conftest import Server

pytestmark = pytest.mark.browser


def test_not_booked_yet_leads_to_the_diagnostic_and_plan_items_open_sessions(
    own_server: Server, browser: Any, tmp_path: Path
) -> None:
    context = browser.new_context(base_url=own_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto("/")
        start = page.locator("#start-dop-c02")
        assert "When is your DOP-C02 exam?" in start.inner_text()
        start.screenshot(path=screenshot_path(tmp_path, "first-visit.png"))
        start.get_by_role("button", name="Not booked yet").click()
        page.wait_for_url("**/#start-dop-c02")
        start = page.locator("#start-dop-c02")
        assert "not booked yet; plans assume six weeks" in start.inner_text()
        start.locator("a[href='/packs/dop-c02/plan']").click()
        assert page.locator("#provisional-plan").is_visible()
        page.locator("[data-plan-open='drill']").first.click()  # a drill of the day's domain starts
        page.wait_for_url("**/q/1")
        assert "Question 1 of" in page.inner_text("h1")
        page.goto("/")
        page.click("[data-diagnostic='dop-c02']")
        page.wait_for_url("**/q/1")
        assert "Question 1 of 20" in page.inner_text("h1")
    finally:
        context.close()


def test_the_trend_by_domain_reads_on_a_phone_without_sideways_scrolling(own_server: Server, browser: Any) -> None:
    context = browser.new_context(base_url=own_server.url, viewport=PHONE)
    page = context.new_page()
    try:
        check_first_practice_answer(page)
        page.goto("/packs/tiny/learn")
        assert page.locator("#no-prediction").is_visible()  # one answer is no evidence for a score
        trend = page.locator("#domain-trend")
        assert trend.is_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    finally:
        context.close()


@pytest.mark.parametrize("where", ["/", "/packs/tiny/plan"])
def test_axe_finds_no_serious_violation_on_the_start_panel_and_the_plan(
    where: str, own_server: Server, browser: Any
) -> None:
    require_axe()
    context = browser.new_context(base_url=own_server.url, bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    try:
        if where != "/":
            page.goto("/")
            page.locator("#start-tiny").get_by_role("button", name="Not booked yet").click()
            page.wait_for_url("**/#start-tiny")
        page.goto(where)
        found = violations_in_every_look(page)
    finally:
        context.close()
    assert not found, f"axe on {where}:\n" + "\n".join(found)
