"""Study pages in Chromium: a task's page on a phone and a desktop (a card revealed, a drill started), the print
layout, and axe-core on every kind of study page, light and dark, at 1280 and 390 px."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_accessibility import PHONE, require_axe, violations_in_every_look
from tests.conftest import Server

pytestmark = pytest.mark.browser

TASK_PAGE = "/packs/dop-c02/study/tasks/1.4"
STUDY_PAGES = {
    "study index": "/packs/dop-c02/study",
    "domain": "/packs/dop-c02/study/domains/3",
    "task": TASK_PAGE,
    "quick reference": "/packs/dop-c02/study/quick-reference",
}


def _sideways(page: Any) -> int:
    """How many pixels the page is wider than the window (0: it scrolls only downwards)."""
    width: int = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    return width


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_a_task_page_reveals_a_card_and_starts_a_drill(width: int, own_server: Server, browser: Any) -> None:
    context = browser.new_context(base_url=own_server.url, viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        page.goto(TASK_PAGE)
        assert _sideways(page) <= 0
        cards = page.locator(".study-cards").first
        cards.locator("summary").first.click()  # the section's flashcards
        card = cards.locator("details.flip").first
        back = card.locator(".flip-back")
        assert not back.is_visible()  # the answer stays hidden until the learner asks for it
        card.locator("summary").click()
        assert back.is_visible() and back.inner_text().strip()
        assert _sideways(page) <= 0
        page.click("button[data-drill='1.4']")
        page.wait_for_url("**/q/1")
        assert "Question 1 of 20" in page.inner_text("h1")
    finally:
        context.close()


def test_the_printout_leaves_out_navigation_and_buttons(own_server: Server, browser: Any) -> None:
    context = browser.new_context(base_url=own_server.url)
    page = context.new_page()
    try:
        page.goto(TASK_PAGE)
        page.emulate_media(media="print")
        for hidden in (".topbar", ".crumbs", ".study-print", "button[data-drill]", ".study-extras", ".footer"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator(".study-section").first.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("name", STUDY_PAGES)
def test_axe_finds_no_serious_violation_on_study_pages(name: str, own_server: Server, browser: Any) -> None:
    require_axe()
    context = browser.new_context(base_url=own_server.url, bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    try:
        page.goto(STUDY_PAGES[name])
        page.locator("details").evaluate_all("(all) => all.forEach((d) => { d.open = true; })")  # cards shown too
        found = violations_in_every_look(page)
    finally:
        context.close()
    assert not found, f"axe on {name}:\n" + "\n".join(found)
