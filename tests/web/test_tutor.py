"""The tutor in the real app (in process): the JSON API's exact shape, the chat page with and without streaming, clear 4xx
errors, the refusal during a running exam, and a configured model answering (or failing over)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from certprep.content import load_pack
from certprep.tutor.facts import FACTS
from tests.conftest import TINY_PACK, web_app
from tests.tutor.llm_server import ANSWER_PIECES, FakeLLM

TINY = load_pack(TINY_PACK)

ASK = "/api/v1/tutor/ask"


def _events(response: httpx.Response) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def test_ask_returns_exactly_the_documented_json(client: TestClient) -> None:
    response = client.post(ASK, json={"query": "What does an ASG warm pool do?"})
    assert response.status_code == 200
    assert response.headers["x-certprep-tutor"] == "retrieval"
    data = response.json()
    assert set(data) == {"mode", "answer", "passages"}
    assert data["mode"] == "ask"
    assert "[1]" in data["answer"]
    assert 5 <= len(data["passages"]) <= 5 + FACTS  # five retrieved, then those of the key facts they leave out
    for passage in data["passages"]:
        assert set(passage) == {"id", "kind", "title", "text", "score", "url"}
        assert passage["url"] == f"/tutor/sources/dop-c02/{passage['id']}"
    assert "warm pool" in (data["passages"][0]["title"] + data["passages"][0]["text"]).lower()
    scores = [passage["score"] for passage in data["passages"]]
    assert scores == sorted(scores, reverse=True)


def test_every_mode_over_the_api(client: TestClient) -> None:
    modes = {
        "compare CodeDeploy deployment strategies": "compare",
        "quiz me on StackSets": "quiz",
        "explain question tiny-change-home": "explain",
    }
    for query, mode in modes.items():
        body = {"query": query, "pack": "tiny"} if "tiny" in query else {"query": query}
        data = client.post(ASK, json=body).json()
        assert data["mode"] == mode, query
        assert data["passages"], query
    code = TINY.code("tiny-change-home")
    for reference in ("tiny-change-home", code, code.lower()):  # the public code, or an author's id
        cited = client.post(ASK, json={"query": f"explain question {reference}", "pack": "tiny"}).json()
        assert cited["passages"][0]["url"] == f"/tutor/sources/tiny/question-{code}"
        # Learners see the public code, never the authoring id (it often names the answer).
        assert "tiny-change-home" not in json.dumps(cited)


def test_a_citation_opens_its_source_in_context(client: TestClient) -> None:
    data = client.post(ASK, json={"query": "explain question tiny-change-home", "pack": "tiny"}).json()
    option = next(p for p in data["passages"] if p["kind"] == "option")
    page = client.get(option["url"])
    assert page.status_code == 200
    # The cited option's reason, and the rest of the same question around it (the question passage itself).
    assert option["title"] in page.text
    assert 'class="panel source is-cited"' in page.text
    assert page.text.count('class="panel source') > 1
    missing = client.get("/tutor/sources/tiny/no-such-passage")
    assert missing.status_code == 404
    assert "no-such-passage" in missing.text


def test_bad_requests_get_a_clear_4xx(client: TestClient) -> None:
    empty = client.post(ASK, json={"query": "   "})
    assert empty.status_code == 422
    assert empty.json() == {"detail": "query: ask something; the query is empty."}
    missing = client.post(ASK, json={})
    assert missing.status_code == 422
    assert "query" in missing.json()["detail"]
    long = client.post(ASK, json={"query": "x" * 2001})
    assert long.status_code == 422
    assert "at most 2000" in long.json()["detail"]
    pack = client.post(ASK, json={"query": "SCP", "pack": "nope"})
    assert pack.status_code == 404
    assert pack.json() == {"detail": "No pack named 'nope' is installed."}
    garbage = client.post(ASK, content=b"not json", headers={"Content-Type": "application/json"})
    assert garbage.status_code == 422
    assert "detail" in garbage.json()


def test_the_api_is_in_the_openapi_document(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "post" in schema["paths"][ASK]


def test_the_chat_page_without_javascript_renders_a_cited_answer(client: TestClient) -> None:
    empty = client.get("/tutor")
    assert empty.status_code == 200
    assert 'id="tutor-form"' in empty.text
    assert "tutor.js" in empty.text
    assert 'href="/tutor"' in empty.text
    assert "<script>" not in empty.text
    assert "style=" not in empty.text
    page = client.get("/tutor", params={"q": "compare nested stacks vs modules"})
    assert page.status_code == 200
    assert "Answered by the retrieval tutor" in page.text
    assert '<a class="cite" href="#source-1">[1]</a>' in page.text
    assert 'id="source-1"' in page.text
    assert "<table>" in page.text
    assert client.get("/tutor", params={"q": "SCP", "pack": "nope"}).status_code == 404


def test_the_stream_sends_events_in_order(client: TestClient) -> None:
    response = client.post("/tutor/stream", json={"query": "SQS DLQ vs Lambda destinations"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    events = _events(response)
    assert events[0]["event"] == "start"
    assert events[0]["mode"] == "compare"
    assert events[0]["source"] == "retrieval"
    assert events[0]["passages"]
    assert "retrieval tutor" in events[0]["label"]
    whole = client.post(ASK, json={"query": "SQS DLQ vs Lambda destinations"}).json()
    assert "".join(e["text"] for e in events if e["event"] == "delta") == whole["answer"]
    assert events[-1]["event"] == "end"
    assert events[-1]["refused"] is False
    bad = client.post("/tutor/stream", json={"query": ""})
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("query:")


def test_a_running_exam_is_off_limits_until_submitted(client: TestClient) -> None:
    started = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "full", "seed": 11})
    assert started.status_code == 201
    exam = started.json()
    first = exam["questions"][0]["code"]
    try:
        # A timed exam is a sealed room: the tutor answers nothing at all while it runs, and says for how long.
        for query in (f"explain question {first}", "explain question 1", "hidden files ls"):
            refused = client.post(ASK, json={"query": query, "pack": "tiny"}).json()
            assert refused["passages"] == []
            assert "You have a timed exam running for 20 more minutes" in refused["answer"]
        page = client.get("/tutor", params={"q": f"explain question {first}", "pack": "tiny"})
        assert "You have a timed exam running" in page.text
        stream = _events(client.post("/tutor/stream", json={"query": "explain question 1", "pack": "tiny"}))
        assert stream[-1]["refused"] is True
        sealed = client.get(f"/tutor/sources/tiny/question-{first}")
        assert sealed.status_code == 409
        assert "You have a timed exam running" in sealed.text
    finally:
        assert client.post(f"/api/v1/exams/{exam['id']}/submit").status_code == 200
    explained = client.post(ASK, json={"query": f"explain question {first}", "pack": "tiny"}).json()
    assert explained["passages"]
    assert "Why the key wins" in explained["answer"]


def test_a_configured_model_answers_and_a_broken_one_falls_back(
    tmp_path: Path, pack_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeLLM().start()
    # An app of its own, made once the model is configured: the tutor reads these settings as it starts.
    monkeypatch.setenv("CERTPREP_LLM_URL", fake.url)
    monkeypatch.setenv("CERTPREP_LLM_MODEL", "tiny-model")
    monkeypatch.setenv("CERTPREP_LLM_TIMEOUT", "5")
    try:
        with web_app(f"sqlite:///{tmp_path / 'certprep.db'}", pack_cache) as running:
            query = {"query": "Which deployment strategies exist for CodeDeploy?"}
            answer = running.post(ASK, json=query)
            assert answer.headers["x-certprep-tutor"] == "llm"
            assert answer.json()["answer"] == "".join(ANSWER_PIECES)
            assert answer.json()["passages"]
            events = _events(running.post("/tutor/stream", json=query))
            assert events[0]["source"] == "llm"
            assert "tiny-model" in events[0]["label"]
            assert [e["text"] for e in events if e["event"] == "delta"] == ANSWER_PIECES
            page = running.get("/tutor", params={"q": query["query"]})
            assert "Answered by the model tiny-model" in page.text
            fake.behaviour = "error"
            fallback = running.post(ASK, json=query)
            assert fallback.status_code == 200
            assert fallback.headers["x-certprep-tutor"] == "retrieval"
            page = running.get("/tutor", params={"q": query["query"]})
            assert "Answered by the retrieval tutor" in page.text
            assert "The model was not used: the model endpoint answered HTTP 500" in page.text
            events = _events(running.post("/tutor/stream", json=query))
            assert any(e["event"] == "reset" for e in events)
            assert events[-1]["source"] == "retrieval"
    finally:
        fake.stop()


def _practise_codes(page: str) -> list[str]:
    form = page.split('id="tutor-practise"', 1)[1].split("</form>", 1)[0]
    return [chunk.split('"', 1)[0] for chunk in form.split('name="codes" value="')[1:]]


def test_practise_this_starts_a_session_of_the_cited_questions_answered_before_explained(client: TestClient) -> None:
    page = client.get("/tutor", params={"q": "When should I use CodeDeploy canary vs linear for Lambda?"}).text
    codes = _practise_codes(page)
    assert 1 <= len(codes) <= 5
    assert all(code.startswith("Q-") for code in codes)  # public codes, never authoring ids
    assert 'class="tutor-practise" id="tutor-practise"' in page  # shown, not hidden
    started = client.post("/packs/dop-c02/practice", data={"mode": "review", "codes": codes})
    assert started.status_code == 303
    first = client.get(started.headers["location"])
    assert first.status_code == 200
    state = client.get(f"/api/v1/exams/{started.headers['location'].split('/')[2]}").json()
    assert [question["code"] for question in state["questions"]] == codes
    # Practice: the key and the explanation wait until the learner's answer is final.
    assert all(not question.get("correct_options") for question in state["questions"])


def test_practising_a_code_that_is_no_question_is_a_4xx_with_a_sentence(client: TestClient) -> None:
    response = client.post("/packs/dop-c02/practice", data={"mode": "review", "codes": ["Q-NOPE00"]})
    assert 400 <= response.status_code < 500
    assert "Q-NOPE00&#39; is not the code of a question of this pack" in response.text
