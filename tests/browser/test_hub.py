"""A learner opens certprep in Chromium, picks the DOP-C02 exam and sees its overview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Server


def test_hub_to_dop_c02_overview(server: Server, page: Any, tmp_path: Path) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(server.url + "/")
    assert page.title() == "certprep — choose an exam"
    page.screenshot(path=str(tmp_path / "hub.png"), full_page=True)
    page.click("a[data-pack='dop-c02']")
    page.wait_for_url(server.url + "/packs/dop-c02")
    assert page.locator("h1").inner_text() == "AWS Certified DevOps Engineer - Professional"
    assert page.locator(".domain-table tbody tr").count() == 6
    # The first domain's task statements are open, the others fold until clicked.
    assert page.locator("text=Implement CI/CD pipelines").is_visible()
    page.click("summary:has-text('Domain 6: Security and Compliance')")
    assert page.locator("text=Implement security monitoring and auditing solutions").is_visible()
    shot = tmp_path / "dop-c02-overview.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert errors == []  # no CSP violations or script errors
