"""A learner takes a full exam in Chromium: answers, flags, strikes out, reviews, submits and reads the results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import Server


def test_full_exam_in_the_browser(server: Server, page: Any, tmp_path: Path) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(server.url + "/packs/tiny/practice")
    page.click("form[data-mode='full'] button[type=submit]")
    page.wait_for_url("**/q/1")
    attempt_id = page.url.split("/attempts/")[1].split("/")[0]
    assert page.locator("h1.question-number").inner_text() == "Question 1 of 6"
    assert page.locator("#timer").inner_text().startswith("0:19:") or page.locator("#timer").inner_text() == "0:20:00"

    # Answer question 1 by clicking; autosave stores it without leaving the page.
    page.locator(".option input").first.click()
    expect(page.locator("#save-status")).to_have_text("Saved")
    state = httpx.get(f"{server.url}/api/v1/exams/{attempt_id}").json()
    assert state["questions"][0]["selected"] == ["A"]
    page.screenshot(path=str(tmp_path / "question.png"), full_page=True)

    # Next with the keyboard, flag question 2 with M, strike out an option of question 2.
    page.keyboard.press("n")
    page.wait_for_url("**/q/2")
    page.keyboard.press("m")
    expect(page.locator("#save-status")).to_have_text("Saved")
    page.locator("button.strike").first.click()
    expect(page.locator("#save-status")).to_have_text("Saved")
    assert page.locator(".option.struck").count() == 1
    state = httpx.get(f"{server.url}/api/v1/exams/{attempt_id}").json()
    assert state["questions"][1]["flagged"] is True
    assert state["questions"][1]["struck"] == ["A"]

    # Change the answer of question 1 after coming back to it.
    page.keyboard.press("p")
    page.wait_for_url("**/q/1")
    page.locator(".option input").nth(1).click()
    expect(page.locator("#save-status")).to_have_text("Saved")

    # Review screen: one answered, one flagged, jump to question 4.
    page.click("button[name=action][value=review]")
    page.wait_for_url("**/review?from=1")  # its "Back" returns to question 1
    assert page.locator(".cell.answered").count() == 1
    assert page.locator(".cell.flagged").count() == 1
    page.click(".cell[data-position='4']")
    page.wait_for_url("**/q/4")
    page.locator(".option input").first.click()
    expect(page.locator("#save-status")).to_have_text("Saved")
    page.click("button[name=action][value=review]")

    # Submit: the confirmation lists the unanswered questions.
    page.click("#go-submit")
    page.wait_for_url("**/submit?from=4")
    assert "4 unanswered questions" in page.locator(".warning").inner_text()
    page.click("#confirm-submit")
    page.wait_for_url("**/results")
    assert page.locator(".score-number").inner_text().isdigit()
    assert page.locator(".section-table tbody tr").count() == 2
    assert page.locator(".result-item").count() == 6
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
    page.select_option("select[name=show]", "flagged")
    page.click(".filters button")
    page.wait_for_url("**/results?show=flagged*")  # the filter is a plain GET form: wait for its page
    expect(page.locator(".result-item")).to_have_count(1)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/attempts/{attempt_id}/results")
    page.screenshot(path=str(tmp_path / "results-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scrolling on a phone
    assert errors == []
