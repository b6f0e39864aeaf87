"""Explanations link to the study sections that cover their question's services and tags: every link of every
DOP-C02 question resolves to a section on its study page, and the links appear only once the answer is final and
never while a timed exam runs (the real app in process, SQLite)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from certprep.content.study import study_guide
from certprep.web.pages.study import study_url
from tests.conftest import dop_pack

DOP = dop_pack()
GUIDE = study_guide(DOP)
_IDS = re.compile(r'\bid="([^"]+)"')
_STUDY_HREFS = re.compile(r'<div class="study-links" data-study-links>(.*?)</div>', re.S)


def _study_hrefs(html: str) -> list[str]:
    block = _STUDY_HREFS.search(html)
    return re.findall(r'href="([^"]+)"', block.group(1)) if block else []


def test_every_questions_study_links_resolve_to_a_section_on_its_page(client: TestClient) -> None:
    anchors: dict[str, set[str]] = {}
    for domain in DOP.blueprint.domains:
        path = f"/packs/dop-c02/study/domains/{domain.id}"
        page = client.get(path)
        assert page.status_code == 200
        anchors[path] = set(_IDS.findall(page.text))
    usable = [question for question in DOP.questions if question.status != "retired"]
    for question in usable:
        links = GUIDE.links(question)
        assert links, f"{question.id} links to no study section"
        for section in links:
            url = urlsplit(study_url("dop-c02", section))
            assert url.fragment in anchors[url.path], f"{question.id}: {url.path}#{url.fragment} is no section"
            # A link shares a service or a tag with its question: it is about what the question tests.
            assert section.services & set(question.services) or section.tags & set(question.tags)


def _start(client: TestClient, mode: str, **request: object) -> dict[str, object]:
    started = client.post("/api/v1/exams", json={"pack": "dop-c02", "mode": mode, **request})
    assert started.status_code == 201, started.text
    body: dict[str, object] = started.json()
    return body


def _expected(client: TestClient, attempt_id: object, position: int = 1) -> list[str]:
    code = client.get(f"/api/v1/exams/{attempt_id}").json()["questions"][position - 1]["code"]
    question = DOP.question_by_code(code)
    assert question is not None
    return [study_url("dop-c02", section) for section in GUIDE.links(question)]


def test_practice_feedback_links_to_study_sections_only_after_the_check(client: TestClient) -> None:
    attempt = _start(client, "quick", count=2, seed=5)
    page = f"/attempts/{attempt['id']}/q/1"
    assert "data-study-links" not in client.get(page).text  # before the answer is final: no key, no links
    client.post(page, data={"action": "check", "selected": "A"})
    assert _study_hrefs(client.get(page).text) == _expected(client, attempt["id"])


def test_results_link_to_study_sections_but_not_while_a_timed_exam_runs(client: TestClient) -> None:
    practice = _start(client, "quick", count=2, seed=9)
    client.post(f"/api/v1/exams/{practice['id']}/submit")
    results = f"/attempts/{practice['id']}/results"
    assert _study_hrefs(client.get(results).text) == _expected(client, practice["id"])

    exam = _start(client, "mock100", seed=4)
    sealed = {question["code"] for question in exam["questions"]}  # type: ignore[attr-defined]
    assert not sealed & {q["code"] for q in client.get(f"/api/v1/exams/{practice['id']}").json()["questions"]}
    # The practice questions are not the exam's, so their keys stay shown; the study pages are closed: no links.
    page = client.get(results).text
    assert 'class="explanation"' in page and "data-study-links" not in page
    client.post(f"/api/v1/exams/{exam['id']}/submit")
    assert _study_hrefs(client.get(results).text) == _expected(client, practice["id"])
