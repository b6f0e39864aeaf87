"""The practice page starts what its choices say (the real app in process)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_a_drill_on_a_task_statement_of_any_domain_starts(client: TestClient) -> None:
    page = client.get("/packs/dop-c02/practice")
    drill = page.text.split('data-mode="drill"', 1)[1].split("</form>", 1)[0]
    # The domain list starts at "Any domain", so picking only a task statement (here one of Domain 6) works.
    first = re.search(r'<select name="domain"><option value="([^"]*)" selected>([^<]+)</option>', drill)
    assert first is not None, drill
    assert first[1] == ""
    assert first[2].startswith("Any domain")
    started = client.post("/packs/dop-c02/practice", data={"mode": "drill", "domain": "", "task": "6.1", "count": "5"})
    assert started.status_code == 303, started.text
    attempt_id = started.headers["location"].split("/attempts/")[1].split("/")[0]
    state = client.get(f"/api/v1/exams/{attempt_id}").json()
    assert len(state["questions"]) == 5
    assert {q["task"] for q in state["questions"]} == {"6.1"}


def test_tagging_a_missed_question_keeps_the_filtered_view(client: TestClient) -> None:
    exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick", "count": 3}).json()
    client.post(f"/api/v1/exams/{exam['id']}/submit")  # nothing answered: every question is missed
    domain = client.get(f"/api/v1/exams/{exam['id']}").json()["questions"][0]["domain"]
    view = client.get(f"/attempts/{exam['id']}/results?show=incorrect&domain={domain}")
    assert view.status_code == 200
    form = re.search(r'action="/attempts/[^"]+/items/(\d+)/tag"', view.text)
    assert form is not None, view.text
    saved = client.post(
        f"/attempts/{exam['id']}/items/{form[1]}/tag",
        data={"tag": "knowledge", "show": "incorrect", "domain": str(domain)},
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/attempts/{exam['id']}/results?show=incorrect&domain={domain}#item-{form[1]}"
    assert 'name="show" value="incorrect"' in view.text


def test_an_address_with_an_impossible_part_is_a_styled_not_found_page(client: TestClient) -> None:
    exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick", "count": 3}).json()
    page = client.get(f"/attempts/{exam['id']}/q/abc", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "<html" in page.text.lower()
    assert "There is no such page: &#39;abc&#39; is not a valid position here." in page.text
    assert "Input should be" not in page.text
    api = client.put(f"/api/v1/exams/{exam['id']}/answers/abc", json={"selected": ["A"]})
    assert api.status_code == 422  # the API keeps its precise sentence for clients
