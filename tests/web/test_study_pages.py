"""Study pages (web/pages/study.py): the real app in process on SQLite, with the DOP-C02 and tiny packs."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from certprep.content.study import study_guide
from tests.conftest import dop_pack

DOP = dop_pack()
GUIDE = study_guide(DOP)
_ANCHOR = re.compile(r'id="([^"]+)"')


def _page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    return str(response.text)


def test_a_domain_page_shows_its_cards_tables_patterns_and_a_drill_per_task(client: TestClient) -> None:
    html = _page(client, "/packs/dop-c02/study/domains/1")
    assert "<h1>Domain 1: SDLC Automation</h1>" in html
    for heading in ("Service cards", "Comparison tables", "Key exam patterns", "Quick reference"):
        assert f">{heading}</h2>" in html
    assert 'id="d1-service-aws-codepipeline"' in html and "<table>" in html
    # A drill of every task statement of the domain, posted to the practice page's drill.
    for task in DOP.blueprint.domain(1).tasks:  # type: ignore[union-attr]
        assert f'name="task" value="{task.id}"' in html
    assert 'action="/packs/dop-c02/practice"' in html and 'name="mode" value="drill"' in html
    # Flashcards with the answer inside a closed <details>: shown only when the learner opens it.
    card = GUIDE.cards_in("d1-service-aws-codepipeline")[0]
    assert f'<details class="flip" data-card="{card.id}">' in html


def test_a_task_page_shows_what_the_task_asks_its_sections_and_cards(client: TestClient) -> None:
    html = _page(client, "/packs/dop-c02/study/tasks/1.4")
    task = DOP.blueprint.task("1.4")
    assert task is not None
    assert "What this task statement asks" in html
    assert all(unescape(skill) in unescape(html) for skill in task.skills)
    sections = GUIDE.task_sections("1.4")
    assert sections and f'id="{sections[0].anchor}"' in html
    assert '<input type="hidden" name="task" value="1.4">' in html
    cards = [card for section in sections for card in GUIDE.cards_in(section.anchor, "1.4")]
    assert cards and all(card.task == "1.4" for card in cards)
    assert f'data-card="{cards[0].id}"' in html


def test_the_quick_reference_holds_every_domains_patterns_and_tables(client: TestClient) -> None:
    html = _page(client, "/packs/dop-c02/study/quick-reference")
    for domain in DOP.blueprint.domains:
        assert f'id="domain-{domain.id}"' in html
        notes = GUIDE.domains[domain.id]
        for section in notes.of_kind("comparison"):
            assert unescape(f"<h3>{section.title}</h3>") in unescape(html)
        assert f'id="quick-{notes.of_kind("pattern")[0].anchor}"' in html


def _form_fields(html: str, marker: str) -> dict[str, str]:
    """The hidden fields of the form in ``html`` whose button carries ``marker``."""
    form = next(part for part in html.split("<form")[1:] if marker in part.split("</form>")[0])
    return dict(re.findall(r'<input type="hidden" name="(mode|task|count)" value="([^"]*)">', form))


def test_the_task_pages_drill_starts_a_drill_of_that_task(client: TestClient) -> None:
    fields = _form_fields(_page(client, "/packs/dop-c02/study/tasks/2.1"), 'data-drill="2.1"')
    assert fields == {"mode": "drill", "task": "2.1", "count": "20"}
    response = client.post("/packs/dop-c02/practice", data=fields)
    assert response.status_code == 303
    attempt_id = response.headers["location"].split("/")[2]
    attempt = client.get(f"/api/v1/exams/{attempt_id}").json()
    assert len(attempt["questions"]) == 20 and {q["task"] for q in attempt["questions"]} == {"2.1"}


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        ("/packs/dop-c02/study/domains/9", "has no domain '9'"),
        ("/packs/dop-c02/study/domains/x", "has no domain 'x'"),
        ("/packs/dop-c02/study/tasks/7.7", "has no task statement '7.7'"),
        ("/packs/nope/study", "No pack named 'nope'"),
    ],
)
def test_an_unknown_domain_or_task_is_the_styled_404(client: TestClient, path: str, sentence: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert 'class="panel error-panel"' in response.text and sentence in unescape(response.text)


def test_study_is_in_the_navigation_and_on_the_hub(client: TestClient) -> None:
    hub = _page(client, "/")
    assert '<a href="/study"' in hub and 'href="/packs/dop-c02/study"' in hub
    page = _page(client, "/packs/dop-c02/study")
    assert '<a href="/study" aria-current="true">Study</a>' in page
    assert client.get("/study").status_code == 200  # two packs installed: a choice


def test_study_pages_close_while_a_timed_exam_runs(client: TestClient) -> None:
    exam = client.post("/api/v1/exams", json={"pack": "dop-c02", "mode": "mock100", "seed": 3})
    assert exam.status_code == 201, exam.text
    for path in (
        "/packs/dop-c02/study",
        "/packs/dop-c02/study/domains/1",
        "/packs/dop-c02/study/tasks/1.1",
        "/packs/dop-c02/study/quick-reference",
    ):
        response = client.get(path)
        assert response.status_code == 409, path
        assert "Study pages are closed while a timed exam runs" in response.text
    client.post(f"/api/v1/exams/{exam.json()['id']}/submit")
    assert client.get("/packs/dop-c02/study/domains/1").status_code == 200


def test_the_dashboards_task_rows_link_to_their_study_pages(client: TestClient) -> None:
    html = _page(client, "/packs/dop-c02/learn")
    for domain in DOP.blueprint.domains:
        for task in domain.tasks:
            assert f'<a href="/packs/dop-c02/study/tasks/{task.id}" data-study-task="{task.id}">study</a>' in html
