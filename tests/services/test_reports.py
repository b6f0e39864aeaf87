"""Question reports (SQLite and PostgreSQL): a learner files one by public code and sees only their own, an author's
reply stays hidden while the question's key is, and a withdrawn question leaves new forms until it is restored."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from certprep.content.feedback import ReportError, ReportStatus, reports_markdown, reports_yaml
from certprep.engine.forms import FormRequest
from certprep.services.exams import ExamService
from certprep.services.reports import REPLY_HIDDEN, ReportNotFound, ReportService
from tests.conftest import Learners
from tests.services.test_exams import PACKS, T0

TINY = PACKS["tiny"]


def _service(learners: Learners) -> ReportService:
    return ReportService(learners.sessions, PACKS, ExamService(learners.sessions, PACKS))


def test_a_report_is_filed_by_code_and_seen_by_its_learner_only(learners: Learners) -> None:
    reports = _service(learners)
    question = TINY.questions[0]
    code = TINY.code(question.id)
    report_id = reports.file(learners.alice, "tiny", code.lower(), "key-wrong", "  B is also right since ... ", now=T0)
    mine = reports.mine(learners.alice)
    assert [(r.id, r.code, r.reason.value, r.text, r.status) for r in mine] == [
        (report_id, code, "key-wrong", "B is also right since ...", ReportStatus.OPEN)
    ]
    assert mine[0].stem_start and question.id not in repr(mine[0])  # the learner never sees the authoring id
    assert reports.mine(learners.bob) == []
    refusals = {
        ("nope", "key-wrong", "a real sentence here"): (ReportNotFound, "no question"),
        (code, "boring", "a real sentence here"): (ReportError, "Choose what is wrong"),
        (code, "typo", "short"): (ReportError, "10 characters"),
        (code, "typo", "x" * 2001): (ReportError, "under 2000"),
    }
    for (asked, reason, text), (error, sentence) in refusals.items():
        with pytest.raises(error, match=sentence):
            reports.file(learners.alice, "tiny", asked, reason, text)


def test_the_reply_waits_until_the_learner_may_see_the_key(learners: Learners) -> None:
    reports = _service(learners)
    exams = reports.exams
    attempt = exams.start(learners.alice, "tiny", FormRequest(mode="quick", count=3), seed=5, now=T0)
    first = exams.state(learners.alice, attempt, now=T0).questions[0]
    report_id = reports.file(learners.alice, "tiny", first.code, "explanation-wrong", "The reason for C is wrong.")
    with pytest.raises(ReportError, match="reply"):
        reports.decide(report_id, learners.bob, "accepted", "  ")
    decided = reports.decide(report_id, learners.bob, "rejected", "C is right: the key is C because ...", now=T0)
    assert decided.status is ReportStatus.REJECTED
    assert reports.mine(learners.alice)[0].reply == REPLY_HIDDEN  # the practice answer is not checked yet
    exams.answer(learners.alice, attempt, 1, selected=["A"], now=T0)
    exams.check(learners.alice, attempt, 1, now=T0)
    assert reports.mine(learners.alice)[0].reply == "C is right: the key is C because ..."
    assert [entry.report.id for entry in reports.queue("tiny", None)] == [report_id]
    assert reports.queue("tiny") == []  # no open report left
    with pytest.raises(ReportNotFound):
        reports.decide(9999, learners.bob, "accepted", "fixed")


def test_a_withdrawn_question_leaves_new_forms_until_restored(learners: Learners) -> None:
    reports = _service(learners)
    exams = reports.exams
    live = [q for q in TINY.questions if q.status == "live"]
    target = live[0]
    reports.withdraw("tiny", TINY.code(target.id), by=learners.bob, now=T0)
    assert reports.withdrawn("tiny") == {target.id}
    for seed in range(8):
        attempt = exams.start(learners.alice, "tiny", FormRequest(mode="custom", count=20), seed=seed, now=T0)
        assert target.id not in {q.question_id for q in exams.state(learners.alice, attempt, now=T0).questions}
    reports.restore("tiny", TINY.code(target.id))
    attempt = exams.start(learners.alice, "tiny", FormRequest(mode="custom", count=20), seed=1, now=T0)
    assert target.id in {q.question_id for q in exams.state(learners.alice, attempt, now=T0).questions}


def test_counts_and_the_two_exports_name_every_reported_question(learners: Learners) -> None:
    reports = _service(learners)
    one, two = TINY.questions[0], TINY.questions[1]
    for user, question, reason in ((learners.alice, one, "typo"), (learners.bob, one, "outdated")):
        reports.file(user, "tiny", TINY.code(question.id), reason, f"{reason}: something is off here", now=T0)
    reports.file(learners.bob, "tiny", TINY.code(two.id), "unclear", "Which Region is meant?", now=T0)
    counts = reports.counts("tiny")
    assert [(c.question_id, c.total, c.open) for c in counts] == [(one.id, 2, 2), (two.id, 1, 1)]
    everything = reports.reports("tiny")
    patch = yaml.safe_load(reports_yaml(TINY, everything, dt.date(2026, 12, 2)))
    assert [q["id"] for q in patch["questions"]] == [one.id, two.id]
    assert [r["reason"] for r in patch["questions"][0]["reports"]] == ["typo", "outdated"]
    assert patch["questions"][1]["code"] == TINY.code(two.id)
    text = reports_markdown(TINY, everything, dt.date(2026, 12, 2))
    assert "3 report(s) on 2 question(s)" in text
    assert f"## {TINY.code(one.id)} · {one.id}" in text and "Which Region is meant?" in text
