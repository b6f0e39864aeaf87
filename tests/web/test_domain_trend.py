"""The dashboard's trend by domain (learning.trend through the real app): a point per timed exam and per practice
week, in words beside each line, and a plain sentence before there is any."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from certprep.engine.forms import FormRequest
from tests.conftest import runtime_of


def test_the_dashboard_shows_each_domains_share_per_exam_and_practice_week(client: TestClient) -> None:
    page = client.get("/packs/tiny/learn")
    assert 'id="no-trend"' in page.text
    runtime = runtime_of(client)
    exams, user, pack = runtime.exams, runtime.local_user_id, runtime.packs["tiny"]
    now = runtime.clock()
    # Two practice sessions this week, every answer right, then a full exam with every answer wrong.
    for _ in range(2):
        practice = exams.start(user, "tiny", FormRequest(mode="custom", count=20, shuffle_options=False), now=now)
        for item in exams.state(user, practice, now=now).questions:
            question = pack.question(item.question_id)
            assert question is not None
            exams.answer(user, practice, item.position, selected=sorted(question.correct_ids), now=now)
            exams.check(user, practice, item.position, now=now)
    exam = exams.start(user, "tiny", FormRequest(mode="full"), now=now)
    for item in exams.state(user, exam, now=now).questions:
        question = pack.question(item.question_id)
        assert question is not None
        wrong = [o.id for o in question.options if not o.correct][: question.select]
        exams.answer(user, exam, item.position, selected=wrong, now=now)
    exams.submit(user, exam, now=now + dt.timedelta(minutes=5))

    page = client.get("/packs/tiny/learn")
    assert page.status_code == 200 and 'id="no-trend"' not in page.text
    rows = dict(re.findall(r'<tr data-trend-domain="(\d+)">(.*?)</tr>', page.text, re.S))
    assert set(rows) == {str(domain.id) for domain in pack.blueprint.domains}
    for row in rows.values():
        exam_cell = re.search(r'data-label="Timed exams">(.*?)</td>', row, re.S)
        practice_cell = re.search(r'data-label="Practice, by week">(.*?)</td>', row, re.S)
        assert exam_cell and practice_cell
        assert "0%" in exam_cell[1] and "(1 exam)" in exam_cell[1]
        assert "100%" in practice_cell[1] and "answers)" in practice_cell[1]
        assert '<svg class="spark"' in practice_cell[1]
        assert "—" in row  # one exam and one week: no change to show yet
