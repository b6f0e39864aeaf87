"""Nothing a learner chose is lost while the database is away: in Chromium, answers given during a real PostgreSQL
outage are kept in the page (and in the browser's storage), retried with backoff, and stored once it is back, even
after the tab was closed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_ADMIN_URL, TINY_PACK, Server, _postgres_database


@pytest.fixture
def postgres_server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    databases = _postgres_database()
    url = next(databases)
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": url}
    server = Server(env).start()
    try:
        yield server, url.rsplit("/", 1)[1]
    finally:
        server.stop()
        databases.close()


def _connections(database: str, allowed: bool) -> None:
    """Start or end a real outage: PostgreSQL refuses new connections to the database and drops the open ones."""
    admin = create_engine(
        POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
            if not allowed:
                connection.execute(
                    text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")
                )
    finally:
        admin.dispose()


def _selected(server: Server, attempt_id: str, index: int) -> list[str]:
    state = httpx.get(f"{server.url}/api/v1/exams/{attempt_id}").json()
    selected: list[str] = state["questions"][index]["selected"]
    return selected


def _checked(page: Any) -> list[str]:
    """The options the page shows as chosen (question 1 may be single or multiple answer)."""
    values: list[str] = page.eval_on_selector_all(".option input:checked", "inputs => inputs.map(input => input.value)")
    return sorted(values)


def test_answers_given_during_an_outage_are_stored_when_the_database_is_back(
    postgres_server: tuple[Server, str], browser: Any
) -> None:
    server, database = postgres_server
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server.url + "/packs/tiny/practice")
    page.click("form[data-mode='full'] button[type=submit]")
    page.wait_for_url("**/q/1")
    attempt_id = page.url.split("/attempts/")[1].split("/")[0]
    options = page.locator(".option input")
    options.nth(0).click()
    expect(page.locator("#save-status")).to_have_text("Saved")

    _connections(database, allowed=False)
    try:
        options.nth(1).click()
        expect(page.locator("#save-status")).to_contain_text("Offline", timeout=15_000)
    finally:
        _connections(database, allowed=True)
    expect(page.locator("#save-status")).to_have_text("Saved", timeout=30_000)  # the retry got through
    chosen = _checked(page)
    assert "B" in chosen
    assert _selected(server, attempt_id, 0) == chosen

    # An answer whose tab is closed during the outage is sent by the next page of that question.
    _connections(database, allowed=False)
    try:
        if options.nth(0).get_attribute("type") == "checkbox":
            options.nth(0).click()  # a "Choose TWO" question already has A and B: make room for C
        options.nth(2).click()
        expect(page.locator("#save-status")).to_contain_text("Offline", timeout=15_000)
        latest = _checked(page)
        page.close()
    finally:
        _connections(database, allowed=True)
    assert "C" in latest
    assert _selected(server, attempt_id, 0) == chosen  # not stored yet: the tab was closed during the outage
    again = context.new_page()
    again.goto(f"{server.url}/attempts/{attempt_id}/q/1")
    expect(again.locator("#save-status")).to_have_text("Saved", timeout=30_000)
    assert _checked(again) == latest
    assert _selected(server, attempt_id, 0) == latest
    context.close()
