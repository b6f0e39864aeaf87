"""A timed exam is a sealed room: while it runs, no other door shows a key of its questions (the real app, in
process, on SQLite). Each door below was found open by a security tester in hosted mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.engine.forms import preview_question_ids
from tests.conftest import dop_pack, web_app

DOP = dop_pack()
SEALED = "You have a timed exam running"
KEY_DOWNLOADS = [
    "/packs/dop-c02/downloads/questions.csv",
    "/packs/dop-c02/downloads/questions.gift",
    "/packs/dop-c02/downloads/questions.xml",
    "/packs/dop-c02/downloads/questions.pdf?count=5",
    "/packs/dop-c02/downloads/anki.apkg?questions=1",
    "/downloads/backup.json",
]


@pytest.fixture
def client(tmp_path: Path, pack_cache: Path) -> Iterator[TestClient]:
    """The shared app with the DOP-C02 pack alone (tests/conftest.py web_app)."""
    with web_app(f"sqlite:///{tmp_path / 'certprep.db'}", pack_cache, extra_packs=()) as client:
        yield client


def _start(client: TestClient, **request: object) -> dict[str, object]:
    response = client.post("/api/v1/exams", json={"pack": "dop-c02", **request})
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _ids(attempt: dict[str, object]) -> set[str]:
    """The public codes of an attempt's questions (the API never shows authoring ids)."""
    return {question["code"] for question in attempt["questions"]}  # type: ignore[attr-defined]


def _ask(client: TestClient, query: str) -> str:
    response = client.post("/api/v1/tutor/ask", json={"query": query})
    assert response.status_code == 200, response.text
    answer: str = response.json()["answer"]
    return answer


def test_every_door_is_closed_while_the_exam_runs_and_opens_after(client: TestClient) -> None:
    exam = _start(client, mode="full", seed=7)
    first = next(iter(sorted(_ids(exam))))
    assert SEALED in _ask(client, f"explain question {first}")
    assert SEALED in _ask(client, "When should I use CodeDeploy canary vs linear for Lambda?")
    for path in KEY_DOWNLOADS:
        response = client.get(path)
        assert response.status_code == 409, path
        assert SEALED in response.text, path
        assert "minutes" in response.text, path  # a page with the one sentence
    source = client.get(f"/tutor/sources/dop-c02/question-{first}")
    assert source.status_code == 409
    assert SEALED in source.text

    client.post(f"/api/v1/exams/{exam['id']}/submit")
    assert SEALED not in _ask(client, f"explain question {first}")
    for path in KEY_DOWNLOADS:
        assert client.get(path).status_code == 200, path


def test_practice_during_the_exam_never_meets_its_questions(client: TestClient) -> None:
    # A drill started before the exam may hold one of its questions: checking it is refused meanwhile.
    exam_preview = _start(client, mode="full", seed=11)
    target = sorted(_ids(exam_preview))[0]
    client.post(f"/api/v1/exams/{exam_preview['id']}/submit")
    task = DOP.question_by_code(target).task  # type: ignore[union-attr]
    early = _start(client, mode="drill", task=task, count=200)
    exam = _start(client, mode="full", seed=11)  # same seed, same form: the drill shares its questions
    shared = _ids(exam) & _ids(early)
    assert shared
    position = next(q["position"] for q in early["questions"] if q["code"] in shared)  # type: ignore[attr-defined]
    client.put(f"/api/v1/exams/{early['id']}/answers/{position}", json={"selected": ["A"]})
    checked = client.post(f"/api/v1/exams/{early['id']}/answers/{position}/check")
    assert checked.status_code == 409
    assert SEALED in checked.json()["detail"]

    # A drill of the same task started now, as large as allowed, leaves the exam's questions out.
    drill = _start(client, mode="drill", task=task, count=200)
    assert not _ids(drill) & _ids(exam)

    # A past exam's review shows no key of a question the running exam also has.
    past = client.get(f"/api/v1/exams/{exam_preview['id']}").json()
    sealed = [q for q in past["questions"] if q["code"] in _ids(exam)]
    assert sealed
    assert all("correct_options" not in q and q.get("sealed") for q in sealed)
    assert all(item["correct_options"] is None for item in past["result"]["items"] if item["code"] in _ids(exam))


def test_the_tutor_seals_every_unsubmitted_attempt_however_many_there_are(client: TestClient) -> None:
    practice = _start(client, mode="quick", count=5, seed=1)
    hidden = sorted(_ids(practice))[0]
    for seed in range(60):  # more recent attempts than the tutor used to look at
        _start(client, mode="quick", count=1, seed=100 + seed)
    answer = _ask(client, f"explain question {hidden}")
    assert "not submitted yet" in answer
    assert DOP.question_by_code(hidden).explanation.strip().splitlines()[0] not in answer  # type: ignore[union-attr]


def test_exams_never_draw_the_guest_previews_public_questions(client: TestClient) -> None:
    preview = {DOP.code(question_id) for question_id in preview_question_ids(DOP)}
    assert len(preview) == 10
    for seed in range(5):
        for mode in ("full", "mock100"):
            attempt = _start(client, mode=mode, seed=seed)
            assert not _ids(attempt) & preview
            client.post(f"/api/v1/exams/{attempt['id']}/submit")


def test_every_running_timed_exam_is_sealed_not_only_the_newest(client: TestClient) -> None:
    older = _start(client, mode="full", seed=21)
    newer = _start(client, mode="mock100", seed=22)
    task = DOP.question_by_code(sorted(_ids(older))[0]).task  # type: ignore[union-attr]
    drill = _start(client, mode="drill", task=task, count=200)
    assert not _ids(drill) & (_ids(older) | _ids(newer))
    client.post(f"/api/v1/exams/{newer['id']}/submit")
    assert SEALED in _ask(client, "what is a CodeDeploy deployment group")  # the older exam still runs
    client.post(f"/api/v1/exams/{older['id']}/submit")
    assert SEALED not in _ask(client, "what is a CodeDeploy deployment group")
