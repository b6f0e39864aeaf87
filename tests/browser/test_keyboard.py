"""Every action of a timed exam and of a practice session works from the keyboard alone (issue #24, accessibility).

The tests press only keys: Tab to move, Enter or Space to press what has the focus, and the screen's own shortcuts.
Each element reached by Tab must show where the focus is, or a keyboard user cannot see what Enter will press.
"""

from __future__ import annotations

import contextlib
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.conftest import Server

FOCUSED_MATCHES = "selector => document.activeElement !== null && document.activeElement.matches(selector)"
# A visible focus indicator: an outline, or (for the skip link and similar) a box shadow.
FOCUS_SHOWN = """() => {
  const style = getComputedStyle(document.activeElement);
  return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
}"""


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user would, and check that the
    focus can be seen there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_MATCHES, selector):
            assert page.evaluate(FOCUS_SHOWN), f"{selector} has the focus but shows no focus indicator"
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def start_by_keyboard(server: Server, page: Any, mode: str) -> None:
    page.goto(server.url + "/packs/tiny/practice")
    tab_to(page, f"form[data-mode='{mode}'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/1")


def test_a_timed_exam_can_be_taken_and_submitted_with_the_keyboard_alone(own_server: Server, page: Any) -> None:
    page.goto(own_server.url + "/")
    page.keyboard.press("Tab")  # the first Tab reaches the skip link, shown only while it has the focus
    assert page.evaluate(FOCUSED_MATCHES, "a.skip-link")
    assert page.evaluate(FOCUS_SHOWN)
    start_by_keyboard(own_server, page, "full")
    bar = page.locator(".exambar-progress")
    total = bar.inner_text().split(" of ")[1].split(" ")[0]

    # Question 1: answer with a shortcut, strike another option out, flag it, each by keys.
    page.keyboard.press("1")
    expect(page.locator(".option").nth(0).locator("input")).to_be_checked()
    expect(page.locator("#save-status")).to_have_text("Saved")
    tab_to(page, ".option:nth-child(3) button.strike")
    page.keyboard.press("Enter")
    expect(page.locator(".option").nth(1)).to_have_class("option struck")  # nth-child counts the legend
    tab_to(page, "#flag")
    page.keyboard.press("Space")
    expect(bar).to_have_text(f"1 of {total} answered · 1 flagged")
    expect(page.locator("#save-status")).to_have_text("Saved")

    # Question 2: Tab to the options and choose one with Space; move on with the Next button.
    page.keyboard.press("n")
    page.wait_for_url("**/q/2")
    tab_to(page, ".option input")
    page.keyboard.press("Space")
    expect(page.locator(".option input:checked")).to_have_count(1)
    expect(page.locator("#save-status")).to_have_text("Saved")
    expect(bar).to_have_text(f"2 of {total} answered · 1 flagged")
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/3")

    # "Next flagged" goes back to question 1; the review screen opens with R.
    tab_to(page, "#next-flagged")
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/1")
    expect(page.locator(".option").nth(1)).to_have_class("option struck")  # the strike was saved
    page.keyboard.press("r")
    page.wait_for_url("**/review**")
    tab_to(page, "a[href*='show=flagged']")
    page.keyboard.press("Enter")
    page.wait_for_url("**show=flagged**")
    expect(page.locator(".cell")).to_have_count(1)

    # Submit through the confirmation page, which lists what is unanswered and flagged.
    tab_to(page, "#go-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit**")
    expect(page.locator("main")).to_contain_text("Flagged for review: 1")
    tab_to(page, "#confirm-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/results**")
    expect(page.locator("h1")).to_contain_text("Results")


def test_a_practice_session_can_be_answered_checked_and_finished_with_the_keyboard_alone(
    own_server: Server, page: Any
) -> None:
    start_by_keyboard(own_server, page, "quick")
    total = int(page.locator("#question-form").get_attribute("data-total"))
    for position in range(1, total + 1):
        tab_to(page, ".option input")
        page.keyboard.press("Space")
        expect(page.locator("#save-status")).to_have_text("Saved")
        if page.locator(".hint").count():  # "Select 2 answers": the second choice by its shortcut
            page.keyboard.press("2")
            expect(page.locator("#save-status")).to_have_text("Saved")
        tab_to(page, "button[value=check]")
        page.keyboard.press("Enter")
        expect(page.locator("#feedback")).to_be_visible()
        # The answer is final now: the reveal stays when the question is opened again (a save still in flight when
        # the answer was checked must not undo it).
        page.reload()
        expect(page.locator("#feedback")).to_be_visible()
        expect(page.locator("#save-status")).not_to_contain_text("Not saved")
        page.keyboard.press("Enter")  # Enter moves on once the answer is checked
        if position < total:
            page.wait_for_url(f"**/q/{position + 1}")
    page.wait_for_url("**/review**")
    tab_to(page, "#go-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit**")
    tab_to(page, "#confirm-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/results**")
    expect(page.locator("h1")).to_contain_text("Results")


def test_checking_an_answer_before_its_autosave_lands_keeps_the_answer_final(own_server: Server, page: Any) -> None:
    """Choose and press Enter at once, as fast typists do: the check's form post and the choice's autosave race.

    The autosave is held back on the way (a slow network), so that the check always wins the race and the page
    leaves with the save still unsent."""
    start_by_keyboard(own_server, page, "quick")

    def slow_save(route: Any) -> None:
        page.wait_for_timeout(700)
        with contextlib.suppress(PlaywrightError):  # the page that sent it has gone, and the request with it
            route.continue_()

    page.route("**/api/v1/exams/*/answers/*", slow_save)
    for position in range(1, 4):
        page.keyboard.press("1")
        page.keyboard.press("Enter")
        expect(page.locator("#feedback")).to_be_visible()
        expect(page.locator(".option").nth(0).locator("input")).to_be_checked()
        page.reload()
        expect(page.locator("#feedback")).to_be_visible()
        expect(page.locator(".option").nth(0).locator("input")).to_be_checked()
        page.wait_for_timeout(1500)  # time for a stale save to come back and be refused
        expect(page.locator("#save-status")).not_to_contain_text("Not saved")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/q/{position + 1}")
