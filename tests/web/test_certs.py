"""The certification tracker in the real app (in process): the JSON API under /api/v1/certs and the pages under /certs."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from dateutil.relativedelta import relativedelta
from fastapi.testclient import TestClient

from tests.conftest import web_app

TODAY = dt.date.today()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, pack_cache: Path) -> Iterator[TestClient]:
    """An app of its own (the DOP-C02 pack alone), so that the learner's certification records start empty."""
    database = f"sqlite:///{tmp_path_factory.mktemp('certs') / 'certprep.db'}"
    with web_app(database, pack_cache, extra_packs=()) as client:
        yield client


def _api(app: TestClient) -> TestClient:
    """A client of the same app whose paths start under /api/v1/certs."""
    return TestClient(app.app, base_url="http://testserver/api/v1/certs", follow_redirects=False)


def _days(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def test_the_api_tracks_credentials_bookings_results_and_exports(app: TestClient) -> None:
    api = _api(app)
    exams = api.get("/exams").json()
    assert [
        (e["exam_code"], e["fee"], e["voucher_fee"], e["retake_wait_days"], e["validity_years"]) for e in exams
    ] == [("DOP-C02", 300.0, 150.0, 14, 3)]
    assert api.get("/voucher").json()["eligible"] is False
    refused = api.post("/attempts", json={"date": _days(-20), "time": "09:30", "delivery": "online", "voucher": True})
    assert refused.status_code == 422
    assert "active AWS certification" in refused.json()["detail"]

    saa = api.post(
        "/credentials",
        json={
            "credential_id": "SAA-C03-1",
            "earned_on": _days(-400),
            "exam_code": "SAA-C03",
            "verification_url": "https://www.credly.com/badges/saa",
        },
    )
    assert saa.status_code == 201, saa.text
    body = saa.json()
    assert body["title"] == "AWS Certified Solutions Architect - Associate"
    assert body["expires_on"] == (dt.date.fromisoformat(_days(-400)) + relativedelta(years=3)).isoformat()
    assert body["renewal"]["state"] == "active"
    assert len(body["renewal"]["reminder_dates"]) == 2
    duplicate = api.post(
        "/credentials", json={"credential_id": " saa-c03-1", "earned_on": _days(-10), "exam_code": "SAA-C03"}
    )
    assert duplicate.status_code == 422
    assert (
        duplicate.json()["detail"]
        == "You already have a credential with the id 'saa-c03-1'; credential ids must be unique."
    )
    for bad, message in [
        ({"earned_on": "2024-02-30"}, "is not a valid date earned"),
        ({"earned_on": _days(3)}, "is in the future"),
        ({"verification_url": "javascript:alert(1)"}, "is not a valid verification URL"),
        ({"expires_on": _days(-500)}, "must come after the date earned"),
    ]:
        answer = api.post(
            "/credentials", json={"credential_id": "NEW-1", "earned_on": _days(-30), "exam_code": "CLF-C02", **bad}
        )
        assert answer.status_code == 422, answer.text
        assert message in answer.json()["detail"], answer.text
    assert (
        api.post("/credentials", json={"credential_id": "Z", "earned_on": _days(-1), "colour": "red"}).status_code
        == 422
    )

    assert [c["credential_id"] for c in api.get("/voucher").json()["credentials"]] == ["SAA-C03-1"]
    booked = api.post("/attempts", json={"date": _days(-20), "time": "09:30", "delivery": "online", "voucher": True})
    assert booked.status_code == 201, booked.text
    attempt = booked.json()
    assert (attempt["fee"], attempt["fee_text"], attempt["delivery"], attempt["status"]) == (
        150.0,
        "150 USD",
        "Online proctored exam",
        "awaiting_result",
    )
    result = api.post(
        f"/attempts/{attempt['id']}/result",
        json={"result": "fail", "scaled_score": 712, "sections": {"1": "needs improvement", "4": "meets competencies"}},
    )
    assert result.status_code == 200, result.text
    assert [(s["domain"], s["label"]) for s in result.json()["sections"]] == [
        (1, "Needs improvement"),
        (4, "Meets competencies"),
    ]
    assert (
        api.post(f"/attempts/{attempt['id']}/result", json={"result": "pass", "scaled_score": 700}).status_code == 422
    )

    earliest = _days(-6)
    too_soon = api.post("/attempts", json={"date": _days(-7), "time": "09:30", "delivery": "test centre"})
    assert too_soon.status_code == 422
    assert f"the earliest retake date is {earliest}" in too_soon.json()["detail"]
    assert api.get("/readiness").json()["earliest_retake"] == earliest
    retake = api.post("/attempts", json={"date": _days(30), "time": "14:00", "delivery": "test centre"})
    assert retake.status_code == 201
    assert retake.json()["fee"] == 300.0
    assert retake.json()["status"] == "scheduled"
    moved = api.patch(f"/attempts/{retake.json()['id']}", json={"date": _days(-8), "time": "14:00"})
    assert moved.status_code == 422
    assert earliest in moved.json()["detail"]
    early_result = api.post(f"/attempts/{retake.json()['id']}/result", json={"result": "pass"})
    assert early_result.status_code == 422
    assert "after you have sat it" in early_result.json()["detail"]

    readiness = api.get("/readiness", params={"date": _days(30)}).json()
    assert set(readiness) >= {"pass_probability", "scaled_score", "scaled_low", "scaled_high", "plan_date", "advice"}
    assert readiness["advice"]["headline"]
    assert api.get("/readiness", params={"date": "soon"}).status_code == 422

    path = api.get("/path").json()
    assert path["recommended"] == ["DOP-C02"]
    assert [s["state"] for s in path["tiers"][1]] == ["held", "not_held"]

    resume = api.get("/export/jsonresume").json()
    assert resume == {
        "certificates": [
            {
                "name": "AWS Certified Solutions Architect - Associate",
                "date": _days(-400),
                "issuer": "Amazon Web Services",
                "url": "https://www.credly.com/badges/saa",
            }
        ]
    }
    archive = api.get("/export/markdown")
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        assert files.namelist() == ["saa-c03.md"]
        front = yaml.safe_load(files.read("saa-c03.md").decode().split("---\n")[1])
    assert front["date"] == dt.date.fromisoformat(_days(-400)).strftime("%d.%m.%Y")
    assert api.get("/credentials/999").status_code == 404
    assert api.get("/attempts/999").json()["detail"] == "No such exam booking."
    assert api.get("/path", params={"pack": "nope"}).status_code == 404


def test_reminders_fall_due_six_months_and_one_month_before_expiry(app: TestClient) -> None:
    api = _api(app)
    soon = api.post(
        "/credentials", json={"credential_id": "CLF-OLD", "exam_code": "CLF-C02", "earned_on": _days(-3 * 365 + 20)}
    )
    assert soon.status_code == 201, soon.text
    assert soon.json()["renewal"]["state"] == "renew_now"
    reminders = api.get("/reminders").json()
    assert [(r["credential_id"], r["kind"]) for r in reminders] == [("CLF-OLD", "1 month")]
    assert "renew it before then" in reminders[0]["message"]
    page = app.get("/certs")
    assert "Renewal reminders" in page.text
    assert "CLF-OLD" in page.text
    assert api.delete(f"/credentials/{soon.json()['id']}").status_code == 204
    assert api.get("/reminders").json() == []


def test_the_pages_add_edit_book_and_export(app: TestClient) -> None:
    web = app
    home = web.get("/certs")
    assert home.status_code == 200
    assert "Your certifications" in home.text
    form = web.get("/certs/credentials/new")
    assert form.status_code == 200
    assert 'name="csrf_token"' in form.text
    bad = web.post(
        "/certs/credentials",
        data={
            "credential_id": "DOP-9",
            "exam_code": "DOP-C02",
            "earned_on": "2024-02-30",
            "verification_url": "https://example.com/v",
        },
    )
    assert bad.status_code == 422
    assert "&#39;2024-02-30&#39; is not a valid date earned" in bad.text
    assert 'value="DOP-9"' in bad.text
    assert 'value="https://example.com/v"' in bad.text  # nothing typed is lost
    made = web.post(
        "/certs/credentials",
        data={"credential_id": "DOP-9", "exam_code": "DOP-C02", "earned_on": _days(-5), "skills": "CI/CD, IaC"},
    )
    assert made.status_code == 303
    assert made.headers["location"] == "/certs#credentials"
    listing = web.get("/certs").text
    assert "AWS Certified DevOps Engineer - Professional" in listing
    assert "DOP-9" in listing
    credentials = app.get("/api/v1/certs/credentials").json()
    row = next(c["id"] for c in credentials if c["credential_id"] == "DOP-9")
    assert f'href="/certs/credentials/{row}/edit"' in listing
    edit = web.get(f"/certs/credentials/{row}/edit")
    assert 'value="CI/CD, IaC"' in edit.text
    saved = web.post(
        f"/certs/credentials/{row}",
        data={"credential_id": "DOP-9b", "exam_code": "DOP-C02", "earned_on": _days(-5), "logo": "/logos/dop.png"},
    )
    assert saved.status_code == 303
    markdown = web.get(f"/certs/credentials/{row}/markdown")
    assert 'credentialId: "DOP-9b"' in markdown.text
    assert 'logo: "/logos/dop.png"' in markdown.text
    assert web.post("/certs/credentials/9999", data={"credential_id": "X", "earned_on": _days(-1)}).status_code == 404

    booking = web.get("/certs/book", params={"date": _days(40)})
    assert booking.status_code == 200
    assert "Are you ready?" in booking.text
    assert "300 USD" in booking.text
    assert "You qualify through" in booking.text  # the DOP-C02 credential is active
    booked = web.post(
        "/certs/attempts",
        data={
            "pack": "dop-c02",
            "date": _days(40),
            "time": "08:15",
            "delivery": "Pearson VUE test centre",
            "voucher": "on",
        },
    )
    assert booked.status_code == 303
    assert "150 USD" in web.get("/certs").text
    bad_time = web.post(
        "/certs/attempts", data={"pack": "dop-c02", "date": _days(41), "time": "25:00", "delivery": "online"}
    )
    assert bad_time.status_code == 422
    assert "is not a valid exam time" in bad_time.text

    path = web.get("/certs/path")
    assert path.status_code == 200
    assert "Your path to DOP-C02" in path.text
    download = web.get("/certs/export/jsonresume")
    assert download.headers["content-disposition"] == 'attachment; filename="certificates.json"'
    assert "DOP-9b" not in download.text
    assert "AWS Certified DevOps Engineer - Professional" in download.text


def test_a_failed_sitting_entered_on_the_result_page_blocks_an_early_retake(app: TestClient) -> None:
    web = app
    api = _api(app)
    for attempt in api.get("/attempts").json():  # start from a clean slate of bookings
        api.delete(f"/attempts/{attempt['id']}")
    sat = api.post("/attempts", json={"date": _days(-3), "time": "10:00", "delivery": "online"}).json()
    page = web.get(f"/certs/attempts/{sat['id']}/result")
    assert page.status_code == 200
    assert "SDLC Automation" in page.text
    wrong = web.post(f"/certs/attempts/{sat['id']}/result", data={"result": "fail", "scaled_score": "eight hundred"})
    assert wrong.status_code == 422
    assert "is not a scaled score" in wrong.text
    done = web.post(
        f"/certs/attempts/{sat['id']}/result",
        data={"result": "fail", "scaled_score": "705", "section_1": "needs_improvement", "section_2": "meets"},
    )
    assert done.status_code == 303
    listing = web.get("/certs").text
    assert "Failed" in listing
    assert "1. SDLC Automation: Needs improvement" in listing
    refused = web.post(
        "/certs/attempts", data={"pack": "dop-c02", "date": _days(5), "time": "09:00", "delivery": "online"}
    )
    assert refused.status_code == 422
    assert f"the earliest retake date is {_days(11)}" in refused.text
    assert f"earliest retake date is <strong>{_days(11)}</strong>" in refused.text


@pytest.mark.parametrize("url", ["/certs", "/certs/book", "/certs/path", "/certs/credentials/new"])
def test_pages_have_no_inline_script_or_style(app: TestClient, url: str) -> None:
    html = app.get(url).text
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert re.search(r'<a href="/certs"[^>]*>Certifications</a>', html)  # the nav link may carry aria-current


def _clear_tracker(app: TestClient) -> None:
    """Remove every booking and credential of the module's learner, so a test starts from an empty tracker."""
    api = _api(app)
    for attempt in api.get("/attempts").json():
        api.delete(f"/attempts/{attempt['id']}")
    for credential in api.get("/credentials").json():
        api.delete(f"/credentials/{credential['id']}")


def test_the_result_form_of_a_future_booking_says_at_once_why_there_is_none_yet(app: TestClient) -> None:
    # #24 item 9: the form used to open for a booking whose day has not come and refuse only once filled in.
    _clear_tracker(app)
    booked = _api(app).post("/attempts", json={"date": _days(30), "time": "09:00", "delivery": "online"}).json()
    listing = app.get("/certs").text
    assert f'href="/certs/attempts/{booked["id"]}/result"' not in listing  # not offered from the list either
    page = app.get(f"/certs/attempts/{booked['id']}/result")
    assert page.status_code == 200
    assert f"This attempt is booked for {_days(30)}; enter its result after you have sat it." in page.text
    assert 'name="result"' not in page.text and 'name="scaled_score"' not in page.text
    assert f'href="/certs/attempts/{booked["id"]}/edit"' in page.text  # the way on: move the booking
    posted = app.post(f"/certs/attempts/{booked['id']}/result", data={"result": "pass", "scaled_score": "800"})
    assert posted.status_code == 422
    assert "enter its result after you have sat it" in posted.text
    sat = _api(app).post("/attempts", json={"date": _days(-1), "time": "09:00", "delivery": "online"}).json()
    assert 'name="scaled_score"' in app.get(f"/certs/attempts/{sat['id']}/result").text


def test_removing_a_booking_a_result_or_a_credential_asks_first_without_javascript(app: TestClient) -> None:
    # #24 item 9: Remove used to delete at once. Now it opens a page that says what goes, and only its form removes.
    _clear_tracker(app)
    api = _api(app)
    failed = api.post("/attempts", json={"date": _days(-20), "time": "10:00", "delivery": "online"}).json()
    api.post(f"/attempts/{failed['id']}/result", json={"result": "fail", "scaled_score": 690})
    listing = app.get("/certs").text
    assert f'<a href="/certs/attempts/{failed["id"]}/delete">Remove</a>' in listing
    assert f'action="/certs/attempts/{failed["id"]}/delete"' not in listing  # no one-click removal on the list
    confirm = app.get(f"/certs/attempts/{failed['id']}/delete")
    assert confirm.status_code == 200
    assert "Remove your DOP-C02 attempt and its result?" in confirm.text
    assert "Its result (failed with 690) and the retake wait it set go with it." in confirm.text
    assert f'action="/certs/attempts/{failed["id"]}/delete"' in confirm.text
    assert 'name="csrf_token"' in confirm.text
    assert 'href="/certs#attempts"' in confirm.text  # keep it
    assert [a["id"] for a in api.get("/attempts").json()] == [failed["id"]]  # asking removed nothing
    removed = app.post(f"/certs/attempts/{failed['id']}/delete")
    assert removed.status_code == 303
    assert api.get("/attempts").json() == []

    booking = api.post("/attempts", json={"date": _days(30), "time": "09:00", "delivery": "online"}).json()
    assert "Remove your DOP-C02 booking?" in app.get(f"/certs/attempts/{booking['id']}/delete").text

    credential = api.post(
        "/credentials", json={"credential_id": "SAA-RM", "exam_code": "SAA-C03", "earned_on": _days(-30)}
    ).json()
    edit = app.get(f"/certs/credentials/{credential['id']}/edit").text
    assert f'href="/certs/credentials/{credential["id"]}/delete"' in edit
    assert f'action="/certs/credentials/{credential["id"]}/delete"' not in edit
    ask = app.get(f"/certs/credentials/{credential['id']}/delete")
    assert "Remove AWS Certified Solutions Architect - Associate?" in ask.text
    assert f"Credential ID SAA-RM, earned {_days(-30)}" in ask.text
    assert len(api.get("/credentials").json()) == 1
    assert app.post(f"/certs/credentials/{credential['id']}/delete").status_code == 303
    assert api.get("/credentials").json() == []
    assert app.get("/certs/attempts/99999/delete").status_code == 404


DOTTED_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")


def test_the_tracker_writes_every_date_as_yyyy_mm_dd(app: TestClient) -> None:
    # #24 item 9: the reminders wrote 10.03.2027 beside the tables' 2027-03-10. Only the portfolio front matter keeps
    # DD.MM.YYYY, the format the portfolio themes read (issue 13); the page says so.
    _clear_tracker(app)
    api = _api(app)
    earned = TODAY - relativedelta(years=3) + dt.timedelta(days=20)  # expires in 20 days: a reminder is due
    made = api.post("/credentials", json={"credential_id": "CLF-D", "exam_code": "CLF-C02", "earned_on": str(earned)})
    assert made.status_code == 201, made.text
    expires = made.json()["expires_on"]
    api.post("/attempts", json={"date": _days(30), "time": "09:00", "delivery": "online"})
    journey = app.get("/certs").text
    assert f"expires on {expires}, in 20 days" in journey
    for url in ("/certs", "/certs/path", "/certs/book", f"/certs/credentials/{made.json()['id']}/delete"):
        text = app.get(url).text.replace("date as DD.MM.YYYY", "")
        assert not DOTTED_DATE.search(text), (url, DOTTED_DATE.findall(text))
    markdown = app.get(f"/certs/credentials/{made.json()['id']}/markdown").text
    _, front, body = markdown.split("---\n", 2)
    assert DOTTED_DATE.search(front)  # the themes' format, as issue 13 fixed it
    assert not DOTTED_DATE.search(body)
    assert f"- **Valid until:** {expires}" in body


def test_the_path_page_points_a_dop_c02_learner_at_dop_c02_not_the_foundational_exam(app: TestClient) -> None:
    # #24 item 9: with no credentials the path used to recommend CLF-C02 to someone preparing for DOP-C02.
    _clear_tracker(app)
    page = app.get("/certs/path").text
    assert "Recommended next: DOP-C02 (AWS Certified DevOps Engineer - Professional)" in page
    assert "recommended as preparation: SAA-C03" in page
    assert page.count("Recommended preparation</span>") == 2  # SAA-C03 and SOA-C03
    assert page.count("Recommended next</span>") == 1
    assert "Next on your path" in (journey := app.get("/certs").text)
    assert "Recommended next: DOP-C02" in journey
    api_path = _api(app).get("/path").json()
    assert api_path["recommended"] == ["DOP-C02"]
    assert api_path["preparation"] == ["SAA-C03", "SOA-C03"]
