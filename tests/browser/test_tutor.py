"""A learner asks the tutor in Chromium: the answer streams into the page with its cited sources, at desktop and
phone width, with no script errors or CSP violations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TINY_PACK, Server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tutor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own: on the shared one, a timed exam another test left running would seal the tutor."""
    data = tmp_path_factory.mktemp("tutor-browser")
    running = Server({"CERTPREP_DATA_DIR": str(data), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": ""})
    yield running.start()
    running.stop()


def test_asking_streams_an_answer_with_sources(tutor_server: Server, page: Any, tmp_path: Path) -> None:
    server = tutor_server
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(server.url + "/tutor")
    page.fill("#tutor-query", "compare CodeDeploy deployment strategies")
    page.click("#tutor-ask")
    page.wait_for_selector("#source-list li")
    # Locator waits, not wait_for_function: the CSP forbids the eval that a string predicate needs.
    page.locator("#tutor-source", has_text="retrieval tutor").wait_for()
    assert page.locator("#tutor-mode").inner_text() == "compare"
    # The comparison table comes as a list that wraps on a phone (issue #25), never as a pipe table.
    assert page.locator("#tutor-text table").count() == 0
    assert page.locator("#tutor-text li").count() >= 3
    assert page.locator("#tutor-text a.cite").count() >= 2
    assert "q=compare" in page.url  # the address can be bookmarked or shared
    page.click("#tutor-text a.cite >> nth=0")
    assert page.url.endswith("#source-1")
    page.screenshot(path=str(tmp_path / "tutor-desktop.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    page.click(".tutor-example >> nth=4")  # "quiz me on Systems Manager"
    page.locator("#tutor-mode", has_text="quiz").wait_for()
    page.locator("#tutor-text", has_text="Answers:").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    page.screenshot(path=str(tmp_path / "tutor-phone.png"), full_page=True)
    assert errors == []


def test_practise_this_opens_the_cited_questions_as_a_session(tutor_server: Server, page: Any) -> None:
    page.goto(tutor_server.url + "/tutor")
    page.fill("#tutor-query", "When should I use CodeDeploy canary vs linear for Lambda?")
    page.click("#tutor-ask")
    page.locator("#tutor-source", has_text="retrieval tutor").wait_for()
    button = page.locator("#tutor-practise-button")
    button.wait_for(state="visible")
    count = page.locator("#tutor-practise input[name=codes]").count()
    assert count >= 1
    assert button.inner_text() == ("Practise this question" if count == 1 else f"Practise these {count} questions")
    button.click()
    page.wait_for_url("**/attempts/*/q/1")
    assert page.locator("input[name=selected]").count() >= 4  # the question to answer, not its explanation
