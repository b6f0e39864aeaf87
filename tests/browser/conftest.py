"""Playwright driving Debian's Chromium (/usr/bin/chromium); no browser is ever downloaded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, TINY_PACK, Server

CHROMIUM = Path(os.environ.get("CERTPREP_CHROMIUM", "/usr/bin/chromium"))
# Without these flags Chromium keeps trying to reach Google's services from a machine with no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CERTPREP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing; ./scripts/test installs Debian's chromium")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Server]:
    """A server of its own: a timed exam left running elsewhere would keep its questions out of practice."""
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": ""}
    server = Server(env).start()
    yield server
    server.stop()


def screenshot_path(tmp_path: Path, name: str) -> str:
    """Where a screenshot goes: docs/screenshots/ when refreshing the docs (CERTPREP_SCREENSHOTS=1), else the test's
    own folder, so an ordinary test run leaves the working tree unchanged."""
    folder = ROOT / "docs" / "screenshots" if os.environ.get("CERTPREP_SCREENSHOTS") == "1" else tmp_path
    return str(folder / name)


def check_first_practice_answer(page: Any, pack: str = "tiny") -> None:
    """Start a quick practice quiz of ``pack`` and check an answer to its first question: its feedback is shown."""
    page.goto(f"/packs/{pack}/practice")
    page.click("form[data-mode='quick'] button[type='submit']")
    page.wait_for_url("**/q/1")
    page.locator(".option input").first.check()
    page.click("button[value='check']")
    page.wait_for_selector("#feedback")
