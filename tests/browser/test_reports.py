"""Reporting a problem with a question in Chromium: from the practice feedback to "My reports" and back, the
answer in the review queue that the learner then reads, and axe-core on both pages, light and dark, 1280 and 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import check_first_practice_answer, screenshot_path
from tests.browser.test_accessibility import require_axe, violations_in_every_look
from tests.conftest import Server

pytestmark = pytest.mark.browser


def _report_from_feedback(page: Any) -> str:
    """Start a practice quiz, check the first answer and report a problem from its feedback; return the code."""
    check_first_practice_answer(page)
    report = page.locator("details.report-problem")
    code = str(report.get_attribute("id")).removeprefix("report-")
    report.locator("summary").click()
    page.select_option(f"#report-reason-{code}", "explanation-wrong")
    page.fill(f"#report-text-{code}", "The reason given for option B names the wrong default.")
    return code


def test_a_learner_reports_from_the_feedback_and_reads_the_authors_reply(
    own_server: Server, browser: Any, tmp_path: Path
) -> None:
    context = browser.new_context(base_url=own_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        code = _report_from_feedback(page)
        page.locator(f"#report-{code}").screenshot(path=screenshot_path(tmp_path, "report-problem.png"))
        question_url = page.url
        page.click(f"#report-{code} button[type='submit']")
        page.wait_for_url("**/reports?**")
        assert "your report is with the authors" in page.inner_text("#report-filed")
        item = page.locator(".report-item").first
        assert code in item.inner_text() and "wrong default" in item.inner_text()
        page.click("#report-filed a")  # back to the question, the feedback still shown
        page.wait_for_url(question_url)
        assert page.locator("#feedback").is_visible()

        page.goto("/admin/reports?pack=tiny")  # local mode: the one user is the author
        entry = page.locator("article.report-item").first
        assert code in entry.inner_text()
        entry.locator("textarea").fill("Fixed: the reason now names the right default. Thank you!")
        entry.locator("button[value='accepted']").click()
        page.wait_for_url("**/admin/reports?pack=tiny")
        assert page.locator("section.panel h2").first.inner_text() == "0 open report(s)"
        page.goto("/reports")
        reply = page.locator(".report-reply").first
        assert "the reason now names the right default" in reply.inner_text()
        assert "accepted" in page.locator(".report-item").first.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("where", ["/reports", "/admin/reports?pack=tiny&status=all", "feedback"])
def test_axe_finds_no_serious_violation_on_the_report_pages(where: str, own_server: Server, browser: Any) -> None:
    require_axe()
    context = browser.new_context(base_url=own_server.url, bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    try:
        code = _report_from_feedback(page)  # the form open and filled in, as a learner leaves it
        if where != "feedback":
            page.click(f"#report-{code} button[type='submit']")
            page.wait_for_url("**/reports?**")
            page.goto(where)
        found = violations_in_every_look(page)
    finally:
        context.close()
    assert not found, f"axe on {where}:\n" + "\n".join(found)
