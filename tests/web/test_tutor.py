"""The tutor on the real server: the JSON API's exact shape, the chat page with and without streaming, clear 4xx
errors, the refusal during a running exam, and a configured model answering (or failing over)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from certprep.content import load_pack
from tests.conftest import TINY_PACK, Server
from tests.tutor.llm_server import ANSWER_PIECES, FakeLLM

TINY = load_pack(TINY_PACK)

ASK = "/api/v1/tutor/ask"


def _events(response: httpx.Response) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def test_ask_returns_exactly_the_documented_json(own_server: Server) -> None:
    response = httpx.post(own_server.url + ASK, json={"query": "What does an ASG warm pool do?"})
    assert response.status_code == 200
    assert response.headers["x-certprep-tutor"] == "retrieval"
    data = response.json()
    assert set(data) == {"mode", "answer", "passages"}
    assert data["mode"] == "ask"
    assert "[1]" in data["answer"]
    assert len(data["passages"]) == 5
    for passage in data["passages"]:
        assert set(passage) == {"id", "kind", "title", "text", "score", "url"}
        assert passage["url"] == f"/tutor/sources/dop-c02/{passage['id']}"
    assert "warm pool" in (data["passages"][0]["title"] + data["passages"][0]["text"]).lower()
    scores = [passage["score"] for passage in data["passages"]]
    assert scores == sorted(scores, reverse=True)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of these tests alone: on the shared one, other tests leave exams running that seal questions."""
    data_dir = tmp_path_factory.mktemp("tutor-server")
    running = Server(
        {
            "CERTPREP_DATA_DIR": str(data_dir),
            "CERTPREP_DATABASE_URL": "",
            "CERTPREP_PACKS": str(TINY_PACK),
            "CERTPREP_LLM_URL": "",
        }
    ).start()
    yield running
    running.stop()


def test_every_mode_over_the_api(own_server: Server) -> None:
    modes = {
        "compare CodeDeploy deployment strategies": "compare",
        "quiz me on StackSets": "quiz",
        "explain question tiny-change-home": "explain",
    }
    for query, mode in modes.items():
        body = {"query": query, "pack": "tiny"} if "tiny" in query else {"query": query}
        data = httpx.post(own_server.url + ASK, json=body).json()
        assert data["mode"] == mode, query
        assert data["passages"], query
    code = TINY.code("tiny-change-home")
    for reference in ("tiny-change-home", code, code.lower()):  # the public code, or an author's id
        cited = httpx.post(own_server.url + ASK, json={"query": f"explain question {reference}", "pack": "tiny"}).json()
        assert cited["passages"][0]["url"] == f"/tutor/sources/tiny/question-{code}"
        # Learners see the public code, never the authoring id (it often names the answer).
        assert "tiny-change-home" not in json.dumps(cited)


def test_a_citation_opens_its_source_in_context(own_server: Server) -> None:
    data = httpx.post(own_server.url + ASK, json={"query": "explain question tiny-change-home", "pack": "tiny"}).json()
    option = next(p for p in data["passages"] if p["kind"] == "option")
    page = httpx.get(own_server.url + option["url"])
    assert page.status_code == 200
    # The cited option's reason, and the rest of the same question around it (the question passage itself).
    assert option["title"] in page.text
    assert 'class="panel source is-cited"' in page.text
    assert page.text.count('class="panel source') > 1
    missing = httpx.get(own_server.url + "/tutor/sources/tiny/no-such-passage")
    assert missing.status_code == 404
    assert "no-such-passage" in missing.text


def test_bad_requests_get_a_clear_4xx(own_server: Server) -> None:
    empty = httpx.post(own_server.url + ASK, json={"query": "   "})
    assert empty.status_code == 422
    assert empty.json() == {"detail": "query: ask something; the query is empty."}
    missing = httpx.post(own_server.url + ASK, json={})
    assert missing.status_code == 422
    assert "query" in missing.json()["detail"]
    long = httpx.post(own_server.url + ASK, json={"query": "x" * 2001})
    assert long.status_code == 422
    assert "at most 2000" in long.json()["detail"]
    pack = httpx.post(own_server.url + ASK, json={"query": "SCP", "pack": "nope"})
    assert pack.status_code == 404
    assert pack.json() == {"detail": "No pack named 'nope' is installed."}
    garbage = httpx.post(own_server.url + ASK, content=b"not json", headers={"Content-Type": "application/json"})
    assert garbage.status_code == 422
    assert "detail" in garbage.json()


def test_the_api_is_in_the_openapi_document(own_server: Server) -> None:
    schema = httpx.get(own_server.url + "/api/v1/openapi.json").json()
    assert "post" in schema["paths"][ASK]


def test_the_chat_page_without_javascript_renders_a_cited_answer(own_server: Server) -> None:
    empty = httpx.get(own_server.url + "/tutor")
    assert empty.status_code == 200
    assert 'id="tutor-form"' in empty.text
    assert "tutor.js" in empty.text
    assert 'href="/tutor"' in empty.text
    assert "<script>" not in empty.text
    assert "style=" not in empty.text
    page = httpx.get(own_server.url + "/tutor", params={"q": "compare nested stacks vs modules"})
    assert page.status_code == 200
    assert "Answered by the retrieval tutor" in page.text
    assert '<a class="cite" href="#source-1">[1]</a>' in page.text
    assert 'id="source-1"' in page.text
    assert "<table>" in page.text
    assert httpx.get(own_server.url + "/tutor", params={"q": "SCP", "pack": "nope"}).status_code == 404


def test_the_stream_sends_events_in_order(own_server: Server) -> None:
    response = httpx.post(own_server.url + "/tutor/stream", json={"query": "SQS DLQ vs Lambda destinations"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    events = _events(response)
    assert events[0]["event"] == "start"
    assert events[0]["mode"] == "compare"
    assert events[0]["source"] == "retrieval"
    assert events[0]["passages"]
    assert "retrieval tutor" in events[0]["label"]
    whole = httpx.post(own_server.url + ASK, json={"query": "SQS DLQ vs Lambda destinations"}).json()
    assert "".join(e["text"] for e in events if e["event"] == "delta") == whole["answer"]
    assert events[-1]["event"] == "end"
    assert events[-1]["refused"] is False
    bad = httpx.post(own_server.url + "/tutor/stream", json={"query": ""})
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("query:")


def test_a_running_exam_is_off_limits_until_submitted(own_server: Server) -> None:
    started = httpx.post(own_server.url + "/api/v1/exams", json={"pack": "tiny", "mode": "full", "seed": 11})
    assert started.status_code == 201
    exam = started.json()
    first = exam["questions"][0]["code"]
    try:
        # A timed exam is a sealed room: the tutor answers nothing at all while it runs, and says for how long.
        for query in (f"explain question {first}", "explain question 1", "hidden files ls"):
            refused = httpx.post(own_server.url + ASK, json={"query": query, "pack": "tiny"}).json()
            assert refused["passages"] == []
            assert "You have a timed exam running for 20 more minutes" in refused["answer"]
        page = httpx.get(own_server.url + "/tutor", params={"q": f"explain question {first}", "pack": "tiny"})
        assert "You have a timed exam running" in page.text
        stream = _events(
            httpx.post(own_server.url + "/tutor/stream", json={"query": "explain question 1", "pack": "tiny"})
        )
        assert stream[-1]["refused"] is True
        sealed = httpx.get(own_server.url + f"/tutor/sources/tiny/question-{first}")
        assert sealed.status_code == 409
        assert "You have a timed exam running" in sealed.text
    finally:
        assert httpx.post(own_server.url + f"/api/v1/exams/{exam['id']}/submit").status_code == 200
    explained = httpx.post(own_server.url + ASK, json={"query": f"explain question {first}", "pack": "tiny"}).json()
    assert explained["passages"]
    assert "Why the key wins" in explained["answer"]


def test_a_configured_model_answers_and_a_broken_one_falls_back(tmp_path: Path) -> None:
    fake = FakeLLM().start()
    running = Server(
        {
            "CERTPREP_DATA_DIR": str(tmp_path),
            "CERTPREP_DATABASE_URL": "",
            "CERTPREP_PACKS": str(TINY_PACK),
            "CERTPREP_LLM_URL": fake.url,
            "CERTPREP_LLM_MODEL": "tiny-model",
            "CERTPREP_LLM_TIMEOUT": "5",
        }
    ).start()
    try:
        query = {"query": "Which deployment strategies exist for CodeDeploy?"}
        answer = httpx.post(running.url + ASK, json=query, timeout=30)
        assert answer.headers["x-certprep-tutor"] == "llm"
        assert answer.json()["answer"] == "".join(ANSWER_PIECES)
        assert answer.json()["passages"]
        events = _events(httpx.post(running.url + "/tutor/stream", json=query, timeout=30))
        assert events[0]["source"] == "llm"
        assert "tiny-model" in events[0]["label"]
        assert [e["text"] for e in events if e["event"] == "delta"] == ANSWER_PIECES
        page = httpx.get(running.url + "/tutor", params={"q": query["query"]}, timeout=30)
        assert "Answered by the model tiny-model" in page.text
        fake.behaviour = "error"
        fallback = httpx.post(running.url + ASK, json=query, timeout=30)
        assert fallback.status_code == 200
        assert fallback.headers["x-certprep-tutor"] == "retrieval"
        page = httpx.get(running.url + "/tutor", params={"q": query["query"]}, timeout=30)
        assert "Answered by the retrieval tutor" in page.text
        assert "The model was not used: the model endpoint answered HTTP 500" in page.text
        events = _events(httpx.post(running.url + "/tutor/stream", json=query, timeout=30))
        assert any(e["event"] == "reset" for e in events)
        assert events[-1]["source"] == "retrieval"
    finally:
        running.stop()
        fake.stop()
