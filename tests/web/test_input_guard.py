"""Control characters in what a client sends get one 422 sentence on every route and both databases, never a 500
and never a stored NUL. The real app in process (TestClient)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.runtime import Runtime
from certprep.web.app import create_app
from certprep.web.input_guard import MESSAGE, holds_control_character
from tests.conftest import TINY_PACK


def _client(database_url: str, pack_cache: Path, hosted: bool) -> Iterator[tuple[TestClient, Runtime]]:
    settings = Settings(database_url=database_url, extra_packs=(TINY_PACK,), hosted=hosted, cache_dir=pack_cache)
    runtime = Runtime.start(settings)
    # https: hosted mode's session cookie is Secure.
    with TestClient(create_app(runtime), raise_server_exceptions=False, base_url="https://testserver") as client:
        yield client, runtime
    runtime.close()


@pytest.fixture
def local(migrated_database_url: str, pack_cache: Path) -> Iterator[tuple[TestClient, Runtime]]:
    yield from _client(migrated_database_url, pack_cache, hosted=False)


@pytest.fixture
def hosted(migrated_database_url: str, pack_cache: Path) -> Iterator[tuple[TestClient, Runtime]]:
    yield from _client(migrated_database_url, pack_cache, hosted=True)


def test_a_nul_in_an_answer_is_refused_and_the_saved_answer_kept(local: tuple[TestClient, Runtime]) -> None:
    client, _ = local
    exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick", "count": 3}).json()
    saved = client.put(f"/api/v1/exams/{exam['id']}/answers/1", json={"selected": ["A"]})
    assert saved.status_code == 200, saved.text
    refused = client.put(f"/api/v1/exams/{exam['id']}/answers/1", json={"selected": ["B\x00"]})
    assert refused.status_code == 422, refused.text
    assert refused.json() == {"detail": MESSAGE}
    state = client.get(f"/api/v1/exams/{exam['id']}").json()
    assert state["questions"][0]["selected"] == ["A"]


@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "esc\x1b[31m", "del\x7f", "c1\x85"])
def test_control_characters_in_text_fields_are_refused_on_every_route(
    local: tuple[TestClient, Runtime], text: str
) -> None:
    client, _ = local
    for method, path, body in (
        ("POST", "/api/v1/tutor/ask", {"query": text}),
        ("POST", "/api/v1/certs/credentials", {"credential_id": text, "earned_on": "2025-01-01"}),
        ("PUT", "/api/v1/exams/1/items/1/tag", {"tag": text}),
    ):
        response = client.request(method, path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert response.json() == {"detail": MESSAGE}, path


def test_a_control_character_in_the_query_or_a_form_gets_the_sentence_on_a_page(
    local: tuple[TestClient, Runtime],
) -> None:
    client, _ = local
    query = client.get("/tutor?q=canary%00linear", headers={"Accept": "text/html"})
    assert query.status_code == 422, query.text
    assert "<html" in query.text.lower()
    assert "control character" in query.text
    form = client.post("/certs/credentials/new", data={"credential_id": "x\x00y", "earned_on": "2025-01-01"})
    assert form.status_code == 422, form.text
    assert "control character" in form.text


def test_tabs_and_line_breaks_are_ordinary_text(local: tuple[TestClient, Runtime]) -> None:
    client, _ = local
    response = client.post("/api/v1/tutor/ask", json={"query": "canary\tversus\nlinear\r\nfor Lambda"})
    assert response.status_code == 200, response.text


def test_hosted_mode_refuses_a_nul_at_login_without_signing_in(hosted: tuple[TestClient, Runtime]) -> None:
    client, runtime = hosted
    runtime.accounts.create_user("ana@example.com", "correct horse battery staple")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None, page.text
    response = client.post(
        "/login",
        data={"email": "ana\x00@example.com", "password": "correct horse battery staple", "csrf_token": token[1]},
        follow_redirects=False,
    )
    assert response.status_code == 422, response.text
    assert "control character" in response.text
    assert client.get("/api/v1/exams").status_code == 401  # not signed in


def test_a_deeply_nested_document_is_walked_without_exhausting_the_stack() -> None:
    document: object = "fine"
    for _ in range(100_000):
        document = [document]
    assert holds_control_character(document) is False
    assert holds_control_character({"deep": [document, {"key\x00": 1}]}) is True


def test_saves_sent_out_of_order_keep_the_newest(local: tuple[TestClient, Runtime]) -> None:
    client, _ = local
    exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "full", "count": 3}).json()
    url = f"/api/v1/exams/{exam['id']}/answers/1"
    newest = client.put(url, json={"selected": ["B"], "seq": 20})
    late = client.put(url, json={"selected": ["A"], "seq": 19})
    assert (newest.json()["applied"], late.json()["applied"]) == (True, False)
    assert (late.json()["selected"], late.json()["seq"]) == (["B"], 20)
    assert client.get(f"/api/v1/exams/{exam['id']}").json()["questions"][0]["selected"] == ["B"]
    assert client.put(url, json={"selected": ["A"], "seq": -1}).status_code == 422


def test_sessions_are_named_as_the_learner_started_them(local: tuple[TestClient, Runtime]) -> None:
    client, _ = local
    quick = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick"}).json()
    assert client.get(f"/api/v1/exams/{quick['id']}").json()["label"] == "Quick 10-question quiz"
    weak = client.post("/api/v1/learning/weak-spots", json={"pack": "tiny", "count": 2})
    assert weak.status_code in (200, 201), weak.text
    page = client.get(weak.json()["url"], headers={"Accept": "text/html"}, follow_redirects=True)
    assert "Practise my weak spots" in page.text
    history = client.get("/attempts", headers={"Accept": "text/html"})
    assert "Practise my weak spots" in history.text
    assert "Quick 10-question quiz" in history.text
