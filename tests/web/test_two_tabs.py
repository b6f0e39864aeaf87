"""Two browser tabs answering the same exam at once leave one consistent attempt, on SQLite and on PostgreSQL (the
real app in process)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient


def test_two_tabs_answering_and_submitting_the_same_exam(storage_client: TestClient) -> None:
    # The app in process serves both tabs at once as under certprep serve: one event loop, its handlers in threads.
    tabs = [storage_client, TestClient(storage_client.app, follow_redirects=False)]
    exam = tabs[0].post("/api/v1/exams", json={"pack": "tiny", "mode": "full", "seed": 5}).json()
    exam_id, total = exam["id"], len(exam["questions"])

    # Both tabs answer every question, each its own choice, in opposite orders, many rounds, at the same time.
    def answer(tab: int) -> list[int]:
        statuses = []
        order = range(1, total + 1) if tab == 0 else range(total, 0, -1)
        for round_ in range(6):
            for position in order:
                choice = ["A", "B", "C"][(tab + round_ + position) % 3]
                response = tabs[tab].put(
                    f"/api/v1/exams/{exam_id}/answers/{position}", json={"selected": [choice], "flagged": tab == 1}
                )
                statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(4) as pool:
        answering = [pool.submit(answer, tab) for tab in (0, 1)]
        statuses = [code for future in answering for code in future.result()]
    assert set(statuses) == {200}

    # Now one tab submits while the other is still answering.
    def late_answers() -> list[int]:
        return [
            tabs[1].put(f"/api/v1/exams/{exam_id}/answers/{1 + n % total}", json={"selected": ["C"]}).status_code
            for n in range(40)
        ]

    with ThreadPoolExecutor(4) as pool:
        late = pool.submit(late_answers)
        submits = [pool.submit(tabs[n].post, f"/api/v1/exams/{exam_id}/submit") for n in (0, 1)]
        late_codes = late.result()
        results = [future.result() for future in submits]
    assert set(late_codes) <= {200, 409}  # saved before the submission, or refused after it: never a 500
    assert [r.status_code for r in results] == [200, 200]
    assert results[0].json() == results[1].json()  # submitted once; the second submit returns the same result

    state = tabs[0].get(f"/api/v1/exams/{exam_id}").json()
    result = results[0].json()
    assert state["status"] == "submitted"
    graded = {item["position"]: item["selected"] for item in result["items"]}
    stored = {q["position"]: q["selected"] for q in state["questions"]}
    assert graded == stored  # no answer changed after it was graded
    assert result["answered"] == sum(1 for selected in stored.values() if selected) == total
    again = tabs[1].put(f"/api/v1/exams/{exam_id}/answers/1", json={"selected": ["B"]})
    assert again.status_code == 409
    assert "submitted" in again.json()["detail"]
