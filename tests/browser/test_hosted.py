"""Hosted mode in Chromium: sign in, take a quiz with autosave (exam.js sends the CSRF header), admin and preview."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Server
from tests.web.hosted import ADMIN_EMAIL, ADMIN_PASSWORD, start_hosted

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_hosted(tmp_path_factory.mktemp("hosted-browser"))
    yield server
    server.stop()


def test_sign_in_and_answer_with_autosave(hosted: Server, page: Any, tmp_path: Path) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(hosted.url + "/packs/tiny/practice")
    page.wait_for_url("**/login?next=%2Fpacks%2Ftiny%2Fpractice")
    page.screenshot(path=str(tmp_path / "login.png"))
    page.fill("input[name=email]", ADMIN_EMAIL)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/packs/tiny/practice")
    page.click("form[data-mode='full'] button[type=submit]")
    page.wait_for_url("**/q/1")
    page.locator(".option input").first.click()
    expect(page.locator("#save-status")).to_have_text("Saved")  # the PUT carried X-CSRF-Token
    page.reload()
    assert page.locator(".option input").first.is_checked()
    page.click("button[name=action][value=next]")  # a plain form post with the hidden csrf_token
    page.wait_for_url("**/q/2")
    page.goto(hosted.url + "/admin/users")
    expect(page.locator("h1")).to_have_text("Users")
    page.fill("input[name=email]", "new.learner@example.com")
    page.click("form[action='/admin/invites'] button")
    expect(page.locator("#invite-link")).to_contain_text("/register?invite=")
    page.screenshot(path=str(tmp_path / "admin.png"), full_page=True)
    page.click("header .account-menu button")  # sign out
    page.wait_for_url(hosted.url + "/")
    expect(page.locator("header .account-menu a")).to_have_text("Sign in")
    assert errors == []


def test_guest_preview_quiz_in_the_browser(hosted: Server, page: Any, tmp_path: Path) -> None:
    page.goto(hosted.url + "/preview/tiny")
    page.locator(".preview-card summary").first.click()
    expect(page.locator(".preview-card .card-back").first).to_be_visible()
    page.click("text=Take the")
    page.wait_for_url("**/preview/tiny/quiz/1")
    page.locator(".option input").first.click()
    page.click("button[type=submit]")
    expect(page.locator("#feedback")).to_be_visible()
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "preview-phone.png"), full_page=True)
    page.goto(hosted.url + "/login")
    page.screenshot(path=str(tmp_path / "login-phone.png"))
