"""The test centre's review screen and History's running attempts, as plain pages (the real app in process; issue
#24 item 16): the review views, "Next flagged", the way back, the end-exam confirmation, time left, abandon and
delete, and times that carry their UTC moment."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from certprep.content import load_pack
from certprep.services.exams import ExamNotFound
from certprep.store.schema import Attempt, AttemptItem
from tests.conftest import TINY_PACK

TINY = load_pack(TINY_PACK)


def _exam(client: TestClient, mode: str = "full") -> str:
    """A tiny-pack attempt with question 1 answered and questions 2 and 4 flagged."""
    attempt_id = str(client.post("/api/v1/exams", json={"pack": "tiny", "mode": mode, "count": 6}).json()["id"])
    client.put(f"/api/v1/exams/{attempt_id}/answers/1", json={"selected": ["A"]})
    client.put(f"/api/v1/exams/{attempt_id}/answers/2", json={"flagged": True})
    client.put(f"/api/v1/exams/{attempt_id}/answers/4", json={"flagged": True, "selected": ["B"]})
    return attempt_id


def _cells(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="cell[^"]*" href="[^"]+"\s+data-position="(\d+)"', html)]


def _post(client: TestClient, attempt_id: str, position: int, action: str) -> str:
    response = client.post(f"/attempts/{attempt_id}/q/{position}", data={"action": action}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_the_review_screen_shows_all_incomplete_or_flagged_questions_by_plain_links(client: TestClient) -> None:
    attempt_id = _exam(client)
    page = client.get(f"/attempts/{attempt_id}/review")
    assert _cells(page.text) == [1, 2, 3, 4, 5, 6]
    assert re.search(r'aria-current="page" data-view="all">Review all \(6\)', page.text)
    assert "Review incomplete (4)" in page.text and "Review flagged (2)" in page.text
    assert _cells(client.get(f"/attempts/{attempt_id}/review?show=incomplete").text) == [2, 3, 5, 6]
    flagged = client.get(f"/attempts/{attempt_id}/review?show=flagged")
    assert _cells(flagged.text) == [2, 4]
    assert re.search(r'aria-current="page" data-view="flagged"', flagged.text)
    unknown = client.get(f"/attempts/{attempt_id}/review?show=nonsense&from=%C2%B2")  # "²": a digit, no number
    assert unknown.status_code == 200 and _cells(unknown.text) == [1, 2, 3, 4, 5, 6]
    client.put(f"/api/v1/exams/{attempt_id}/answers/2", json={"flagged": False})
    client.put(f"/api/v1/exams/{attempt_id}/answers/4", json={"flagged": False})
    empty = client.get(f"/attempts/{attempt_id}/review?show=flagged")
    assert _cells(empty.text) == [] and "No question is flagged." in empty.text


def test_the_review_screen_leads_back_to_the_question_the_learner_came_from(client: TestClient) -> None:
    attempt_id = _exam(client)
    review = _post(client, attempt_id, 3, "review")
    assert review == f"/attempts/{attempt_id}/review?from=3"
    page = client.get(review).text
    assert f'href="/attempts/{attempt_id}/q/3" id="review-back">Back to question 3<' in page
    # Every view and the end-exam page keep the way back.
    assert f'href="/attempts/{attempt_id}/review?show=flagged&amp;from=3"' in page
    assert f'href="/attempts/{attempt_id}/submit?from=3"' in page
    submit = client.get(f"/attempts/{attempt_id}/submit?from=3").text
    assert f'href="/attempts/{attempt_id}/review?from=3" id="back-to-review"' in submit
    # "Next" on the last question opens the review screen with the way back to it; a position past the end is none.
    assert _post(client, attempt_id, 6, "next") == f"/attempts/{attempt_id}/review?from=6"
    assert "Back to question 1<" in client.get(f"/attempts/{attempt_id}/review?from=99").text


def test_next_flagged_goes_round_the_flagged_questions(client: TestClient) -> None:
    practice = _exam(client, mode="quick")  # first: a running timed exam keeps its questions out of practice
    attempt_id = _exam(client)
    question = client.get(f"/attempts/{attempt_id}/q/1").text
    assert 'value="next-flagged" id="next-flagged">Next flagged<' in question
    assert _post(client, attempt_id, 1, "next-flagged") == f"/attempts/{attempt_id}/q/2"
    assert _post(client, attempt_id, 3, "next-flagged") == f"/attempts/{attempt_id}/q/4"
    assert _post(client, attempt_id, 5, "next-flagged") == f"/attempts/{attempt_id}/q/2"  # round to the start
    # The form's own flag counts: unflagging question 2 as it moves on leaves question 4 alone.
    response = client.post(
        f"/attempts/{attempt_id}/q/2", data={"action": "next-flagged", "selected": ["A"]}, follow_redirects=False
    )
    assert response.headers["location"] == f"/attempts/{attempt_id}/q/4"
    # With no other question flagged, the review screen's flagged view says so.
    assert _post(client, attempt_id, 4, "next-flagged") == f"/attempts/{attempt_id}/review?show=flagged&from=4"
    assert 'id="next-flagged"' not in client.get(f"/attempts/{practice}/q/1").text


def test_the_end_exam_confirmation_lists_unanswered_and_flagged_questions_with_links(client: TestClient) -> None:
    attempt_id = _exam(client)
    page = client.get(f"/attempts/{attempt_id}/submit").text
    unanswered = page.split("unanswered question", 1)[1].split("</p>", 1)[0]
    assert "4 unanswered questions" in page
    assert re.findall(r'href="/attempts/[^/]+/q/(\d+)"', unanswered) == ["2", "3", "5", "6"]
    flagged = page.split("Flagged for review:", 1)[1].split("</p>", 1)[0]
    assert re.findall(r'href="/attempts/[^/]+/q/(\d+)"', flagged) == ["2", "4"]
    assert 'id="confirm-submit"' in page


def _history_row(client: TestClient, attempt_id: str) -> str:
    page = client.get("/attempts").text
    return str(page.split(f'data-attempt="{attempt_id}"', 1)[1].split("</tr>", 1)[0])


def test_history_shows_the_time_left_of_a_running_timed_exam_and_utc_times(client: TestClient) -> None:
    practice = _exam(client, mode="quick")
    exam = _exam(client)
    left = client.get(f"/api/v1/exams/{exam}").json()["remaining_seconds"]
    row = _history_row(client, exam)
    assert f'in progress · <span class="time-left">{-(-left // 60)} min left</span>' in row
    assert "left" not in _history_row(client, practice)  # untimed
    started = client.get(f"/api/v1/exams/{exam}").json()["started_at"]
    assert f'<time datetime="{started}" data-local>{started[:16].replace("T", " ")} UTC</time>' in row
    client.post(f"/api/v1/exams/{exam}/submit")
    assert "left" not in _history_row(client, exam)


def test_abandoning_a_running_exam_deletes_it_after_a_confirmation_and_shows_no_key(client: TestClient) -> None:
    attempt_id = _exam(client)
    assert f'href="/attempts/{attempt_id}/delete" class="delete-attempt">Abandon' in _history_row(client, attempt_id)
    confirm = client.get(f"/attempts/{attempt_id}/delete")
    assert confirm.status_code == 200
    assert "Abandon this Full exam" in confirm.text and "never scored" in confirm.text
    assert client.get(f"/api/v1/exams/{attempt_id}").status_code == 200  # the confirmation page changed nothing
    codes = [q["code"] for q in client.get(f"/api/v1/exams/{attempt_id}").json()["questions"]]
    done = client.post(f"/attempts/{attempt_id}/delete", follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/attempts?deleted=1")
    history = client.get("/attempts?deleted=1").text
    assert "Deleted, with its answers." in history and attempt_id not in history
    for url in (f"/api/v1/exams/{attempt_id}", f"/api/v1/exams/{attempt_id}/review", f"/attempts/{attempt_id}/results"):
        assert client.get(url).status_code == 404, url
    # Nothing was scored: no explanation of the abandoned questions appears anywhere the learner looks.
    explanations = [TINY.question_by_code(code).explanation.strip()[:40] for code in codes]  # type: ignore[union-attr]
    assert not [text for text in explanations if text in history + confirm.text]
    assert client.post(f"/attempts/{attempt_id}/delete").status_code == 404


def test_a_submitted_attempt_is_deleted_from_history_and_only_its_owner_can_delete(client: TestClient) -> None:
    attempt_id = _exam(client, mode="quick")
    client.post(f"/api/v1/exams/{attempt_id}/submit")
    assert f'href="/attempts/{attempt_id}/delete" class="delete-attempt">Delete' in _history_row(client, attempt_id)
    assert "Delete this" in client.get(f"/attempts/{attempt_id}/delete").text
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with pytest.raises(ExamNotFound):  # another learner's delete finds nothing and removes nothing
        runtime.exams.delete(runtime.local_user_id + 1, attempt_id)
    assert client.get(f"/api/v1/exams/{attempt_id}").status_code == 200
    client.post(f"/attempts/{attempt_id}/delete")
    assert client.get(f"/api/v1/exams/{attempt_id}").status_code == 404


def test_abandoning_removes_the_attempt_and_its_answers_from_the_database(storage_client: TestClient) -> None:
    attempt_id = _exam(storage_client)
    runtime = storage_client.app.state.runtime  # type: ignore[attr-defined]
    assert storage_client.post(f"/attempts/{attempt_id}/delete").status_code == 303
    with runtime.sessions() as session:
        left = session.scalar(select(func.count()).select_from(AttemptItem).where(AttemptItem.attempt_id == attempt_id))
        assert (left, session.get(Attempt, attempt_id)) == (0, None)
    # No running exam seals its questions any more.
    assert runtime.exams.seal(runtime.local_user_id) is None
