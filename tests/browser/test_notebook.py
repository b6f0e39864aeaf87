"""Bookmarks, notes and search in Chromium: star a practice question, write a note, find both by search with the
match highlighted, open the question's own page from the result, and axe-core on the bookmarks and search pages
(light and dark, 1280 and 390 px)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from certprep.content import load_pack
from tests.browser.conftest import check_first_practice_answer, screenshot_path
from tests.browser.test_accessibility import require_axe, violations_in_every_look
from tests.conftest import TINY_PACK, Server

pytestmark = pytest.mark.browser
TINY = load_pack(TINY_PACK)


def _star_and_note(page: Any) -> str:
    """Practise one question, check it, bookmark it and write a note; return its code."""
    check_first_practice_answer(page)
    star = page.locator("[data-bookmark]")
    code = str(star.get_attribute("data-bookmark"))
    star.click()
    page.wait_for_selector("text=★ Bookmarked")
    page.locator(f"#mark-{code} .note-box summary").click()
    page.fill(f"#note-{code}", "Wombat rule: dot files need -a")
    page.locator(f"#mark-{code} .note-box button[type='submit']").click()
    page.wait_for_url("**/q/1")
    return code


def test_a_starred_question_and_its_note_are_found_by_search(own_server: Server, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(base_url=own_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        code = _star_and_note(page)
        page.goto("/packs/tiny/bookmarks")
        assert code in page.inner_text(f"#mark-{code}") and "Wombat rule" in page.inner_text(f"#mark-{code}")
        question = TINY.question_by_code(code)
        assert question is not None
        word = max((w for w in question.stem.split() if w.isalpha()), key=len)  # a word of the question's own
        page.goto("/packs/tiny/search")
        page.fill("#search-q", word)
        page.press("#search-q", "Enter")
        page.wait_for_selector("#search-count")
        assert page.locator(".search-hit mark").count() >= 1
        page.screenshot(path=screenshot_path(tmp_path, "search.png"), full_page=False)
        page.locator(f".search-hit.kind-question a[href$='{code}']").first.click()
        page.wait_for_url(f"**/questions/{code}")
        assert page.locator(".is-correct").count() >= 1  # the key, which the learner has already seen
        page.goto("/packs/tiny/search?q=wombat")
        assert "your note" in page.inner_text(".search-hits")
    finally:
        context.close()


@pytest.mark.parametrize("where", ["/packs/tiny/bookmarks", "/packs/tiny/search?q=dot"])
def test_axe_finds_no_serious_violation_on_bookmarks_and_search(where: str, own_server: Server, browser: Any) -> None:
    require_axe()
    context = browser.new_context(base_url=own_server.url, bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    try:
        _star_and_note(page)
        page.goto(where)
        found = violations_in_every_look(page)
    finally:
        context.close()
    assert not found, f"axe on {where}:\n" + "\n".join(found)
