"""Refresh docs/screenshots/: start certprep with a throwaway database, take a DOP-C02 exam in Chromium, capture pages.

Run: python scripts/screenshots.py   (needs Debian's chromium; ./scripts/test installs it)

The dashboard and flashcard pictures need two weeks of study history, which the browser test builds: refresh them
with  CERTPREP_SCREENSHOTS=1 python -m pytest tests/browser/test_learning.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.conftest import Server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        server = Server({"CERTPREP_DATA_DIR": data, "CERTPREP_DATABASE_URL": "", "CERTPREP_PACKS": ""}).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(server.url + "/")
                page.screenshot(path=str(OUT / "hub.png"))
                page.goto(server.url + "/packs/dop-c02")
                page.screenshot(path=str(OUT / "overview.png"))
                page.goto(server.url + "/packs/dop-c02/study/tasks/1.4")  # before any exam: study closes during one
                page.screenshot(path=str(OUT / "study-task.png"))
                start = {"pack": "dop-c02", "mode": "full", "seed": 2026}
                exam = httpx.post(server.url + "/api/v1/exams", json=start).json()
                for position in range(1, 76):
                    if position % 4:
                        httpx.put(
                            f"{server.url}/api/v1/exams/{exam['id']}/answers/{position}",
                            json={
                                "selected": ["A", "B"][: exam["questions"][position - 1]["select"]],
                                "flagged": position % 9 == 0,
                            },
                        )
                page.goto(f"{server.url}/attempts/{exam['id']}/q/3")
                page.screenshot(path=str(OUT / "exam-question.png"))
                page.goto(f"{server.url}/attempts/{exam['id']}/review")
                page.screenshot(path=str(OUT / "exam-review.png"))
                httpx.post(f"{server.url}/api/v1/exams/{exam['id']}/submit")
                page.goto(f"{server.url}/attempts/{exam['id']}/results")
                page.screenshot(path=str(OUT / "exam-results.png"))
                drill = httpx.post(
                    server.url + "/api/v1/exams", json={"pack": "dop-c02", "mode": "drill", "domain": 1, "seed": 7}
                ).json()
                httpx.put(f"{server.url}/api/v1/exams/{drill['id']}/answers/1", json={"selected": ["B"][:1]})
                httpx.post(f"{server.url}/api/v1/exams/{drill['id']}/answers/1/check")
                page.goto(f"{server.url}/attempts/{drill['id']}/q/1")
                page.screenshot(path=str(OUT / "practice-feedback.png"), full_page=True)
                phone = browser.new_page(viewport={"width": 390, "height": 844})
                phone.goto(f"{server.url}/attempts/{exam['id']}/results")
                phone.screenshot(path=str(OUT / "results-phone.png"))
                browser.close()
        finally:
            server.stop()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
