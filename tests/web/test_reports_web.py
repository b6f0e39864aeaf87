"""Reporting a problem with a question through the real app (in process): the form under a practice question and
each result, "My reports", one-sentence refusals, the authors' queue in hosted mode (403 for learners), the reply
the learner reads, withdrawal from new forms, and `certprep pack reports` / `pack stats` on the same database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from certprep.content import load_pack
from tests.conftest import TINY_PACK, run_certprep
from tests.web.hosted import ADMIN_EMAIL, ADMIN_PASSWORD, hosted_app, register_learner

TINY = load_pack(TINY_PACK)


def _practice(client: TestClient, count: int = 3) -> str:
    started = client.post("/packs/tiny/practice", data={"mode": "quick", "count": str(count)})
    assert started.status_code == 303
    return str(started.headers["location"].split("/")[2])


def test_a_practice_question_and_its_results_carry_the_report_form(client: TestClient) -> None:
    attempt = _practice(client)
    page = client.get(f"/attempts/{attempt}/q/1")
    code = re.search(r"/packs/tiny/questions/(Q-[0-9A-Z]{6})/report", page.text)
    assert code, "no report form under the practice question"
    assert 'name="reason"' in page.text and "The answer key is wrong" in page.text
    sent = client.post(
        f"/packs/tiny/questions/{code[1]}/report",
        data={"reason": "key-wrong", "text": "Option B is right as well.", "back": f"/attempts/{attempt}/q/1"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    mine = client.get(sent.headers["location"])
    assert mine.status_code == 200
    assert "your report is with the authors" in mine.text
    assert f'href="/attempts/{attempt}/q/1"' in mine.text  # back to where the learner was
    assert code[1] in mine.text and "Option B is right as well." in mine.text
    assert TINY.question_by_code(code[1]).id not in mine.text  # type: ignore[union-attr]
    # A link to another site is not followed back.
    away = client.post(
        f"/packs/tiny/questions/{code[1]}/report",
        data={"reason": "typo", "text": "A typo in the second line.", "back": "//evil.example/"},
        follow_redirects=False,
    )
    assert "evil" not in away.headers["location"]
    assert client.post(f"/attempts/{attempt}/submit").status_code == 303
    results = client.get(f"/attempts/{attempt}/results")
    assert results.text.count('class="report-problem"') == 3


def test_bad_reports_are_one_sentence_and_a_timed_exam_shows_no_form(client: TestClient) -> None:
    code = TINY.code(TINY.questions[0].id)
    cases = {
        "an unknown reason": ({"reason": "boring", "text": "A long enough sentence."}, 422, "Choose what is wrong"),
        "too short": ({"reason": "typo", "text": "bad"}, 422, "10 characters"),
    }
    for case, (data, status, sentence) in cases.items():
        refused = client.post(f"/packs/tiny/questions/{code}/report", data=data)
        assert refused.status_code == status, case
        assert sentence in refused.text, case
    unknown = client.post("/packs/tiny/questions/Q-NOPE00/report", data={"reason": "typo", "text": "x" * 20})
    assert unknown.status_code == 404
    api = client.post("/api/v1/reports", json={"pack": "tiny", "code": code, "reason": "typo", "text": "tiny"})
    assert api.status_code == 422 and "10 characters" in api.json()["detail"]
    exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "full", "seed": 3}).json()["id"]
    page = client.get(f"/attempts/{exam}/q/1")
    assert page.status_code == 200 and 'class="report-problem"' not in page.text
    assert client.get("/reports").status_code == 409  # replies may explain keys: closed while the exam runs


def test_authors_answer_in_the_queue_and_withdraw_a_question(tmp_path: Path, pack_cache: Path) -> None:
    with hosted_app(f"sqlite:///{tmp_path / 'certprep.db'}", pack_cache) as hosted:
        admin = hosted.browser()
        assert admin.login(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303
        learner = register_learner(admin, "lea@example.com", "lea-password-1")
        question = next(q for q in TINY.questions if q.status == "live")
        code = TINY.code(question.id)
        filed = learner.api(
            "POST",
            "/api/v1/reports",
            json={"pack": "tiny", "code": code, "reason": "outdated", "text": "The feature was renamed."},
        )
        assert filed.status_code == 201, filed.text
        assert learner.page("/admin/reports").status_code == 403
        queue = admin.page("/admin/reports?pack=tiny")
        assert queue.status_code == 200
        assert f"{code} · {question.id}" in queue.text and "lea@example.com" in queue.text
        report_id = filed.json()["id"]
        assert admin.form(f"/admin/reports/{report_id}/decide", {"status": "accepted", "reply": ""}).status_code == 422
        decided = admin.form(
            f"/admin/reports/{report_id}/decide", {"status": "accepted", "reply": "Renamed in the next release."}
        )
        assert decided.status_code == 303
        assert learner.api("GET", "/api/v1/reports").json()[0]["reply"] == "Renamed in the next release."
        assert learner.api("GET", "/api/v1/reports").json()[0]["status"] == "accepted"
        assert learner.form(f"/admin/questions/tiny/{code}/withdraw").status_code == 403
        assert admin.form(f"/admin/questions/tiny/{code}/withdraw").status_code == 303
        assert code in admin.page("/admin/reports?pack=tiny&status=all").text
        for seed in range(5):
            started = learner.api("POST", "/api/v1/exams", json={"pack": "tiny", "mode": "custom", "seed": seed})
            shown = learner.api("GET", f"/api/v1/exams/{started.json()['id']}").json()["questions"]
            assert code not in {q["code"] for q in shown}
        assert admin.form(f"/admin/questions/tiny/{code}/restore").status_code == 303
        assert f"Restore {code}" not in admin.page("/admin/reports?pack=tiny&status=all").text


@pytest.mark.parametrize("output_format", ["markdown", "yaml"])
def test_certprep_pack_reports_exports_and_pack_stats_counts(tmp_path: Path, output_format: str) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_DATABASE_URL": "", "CERTPREP_PACKS": str(TINY_PACK)}
    assert "No reports on tiny." in run_certprep("pack", "reports", "tiny", env=env).stdout
    from certprep.config import Settings
    from certprep.runtime import Runtime

    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        runtime = Runtime.start(Settings())
    try:
        first, second = TINY.questions[0], TINY.questions[1]
        for question, reason in ((first, "typo"), (first, "unclear"), (second, "key-wrong")):
            runtime.reports.file(
                runtime.local_user_id, "tiny", TINY.code(question.id), reason, f"{reason}: see the docs"
            )
    finally:
        runtime.close()
    listed = run_certprep("pack", "reports", "tiny", "--status", "open", env={**env, "COLUMNS": "200"})
    assert listed.returncode == 0 and first.id in listed.stdout and "key-wrong" in listed.stdout
    out = tmp_path / f"reports.{output_format}"
    exported = run_certprep("pack", "reports", "tiny", "--format", output_format, "-o", str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    text = out.read_text()
    if output_format == "yaml":
        patch_request = yaml.safe_load(text)
        assert [q["id"] for q in patch_request["questions"]] == [first.id, second.id]
    else:
        assert f"## {TINY.code(first.id)} · {first.id}" in text
    bad = run_certprep("pack", "reports", "tiny", "--status", "maybe", env=env)
    assert bad.returncode == 2 and "not 'maybe'" in bad.stderr
    stats = run_certprep("pack", "stats", str(TINY_PACK), "--json", env=env)
    counted = json.loads(stats.stdout)["reports"]
    assert counted["total"] == 3 and counted["open"] == 3
    assert counted["questions"][0] == {"id": first.id, "code": TINY.code(first.id), "total": 2, "open": 2}
