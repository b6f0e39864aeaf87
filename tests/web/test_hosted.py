"""Hosted mode in the real app (in process; several workers on a real server): sign-in, sessions, CSRF, rate
limits, roles, invitations and the guest preview."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from certprep.content import load_pack
from tests.conftest import TINY_PACK, _postgres_database, run_certprep, runtime_of
from tests.web.hosted import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    Browser,
    HostedApp,
    hosted_app,
    hosted_env,
    register_learner,
    start_hosted,
)

TINY = load_pack(TINY_PACK)


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory, pack_cache: Path) -> Iterator[HostedApp]:
    with hosted_app(f"sqlite:///{tmp_path_factory.mktemp('hosted') / 'certprep.db'}", pack_cache) as app:
        yield app


def _attempts(hosted: HostedApp) -> int:
    """How many attempts the database holds, of any learner."""
    with runtime_of(hosted.client).engine.connect() as connection:
        return int(connection.execute(text("select count(*) from attempts")).scalar_one())


@pytest.fixture
def admin(hosted: HostedApp) -> Iterator[Browser]:
    browser = hosted.browser()
    assert browser.login(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303
    yield browser
    browser.close()


def test_nobody_signed_in_gets_the_login_page_or_a_401(hosted: HostedApp) -> None:
    guest = hosted.browser()
    page = guest.page("/attempts")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fattempts"
    api = guest.api("GET", "/api/v1/exams")
    assert api.status_code == 401
    assert api.json() == {"detail": "Sign in to use this."}
    login = guest.page("/login?next=/attempts")
    assert login.status_code == 200
    assert 'name="password"' in login.text
    assert "<script>" not in login.text
    # public pages stay public
    assert guest.page("/").status_code == 200
    assert guest.page("/packs/tiny").status_code == 200


def test_sign_in_sets_a_safe_session_cookie_and_sign_out_ends_it(hosted: HostedApp, admin: Browser) -> None:
    browser = hosted.browser()
    browser.page("/login")
    response = browser.form("/login", {"email": "ADMIN@example.com ", "password": ADMIN_PASSWORD, "next": "/attempts"})
    assert response.status_code == 303
    assert response.headers["location"] == "/attempts"
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "certprep_session=" in v)
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http here
    browser.page("/")
    assert browser.page("/attempts").status_code == 200
    stolen = dict(browser.client.cookies)
    assert browser.form("/logout").status_code == 303
    assert browser.page("/attempts").status_code == 303  # signed out
    thief = hosted.browser()
    thief.client.cookies.update(stolen)
    replay = thief.api("GET", "/api/v1/exams")
    assert replay.status_code == 401  # the old cookie is dead on the server, not just forgotten by the browser


def test_the_login_form_never_redirects_off_the_site(hosted: HostedApp) -> None:
    browser = hosted.browser()
    browser.page("/login")
    response = browser.form("/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "next": "//evil.example/x"})
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_wrong_password_and_unknown_email_get_the_same_answer(hosted: HostedApp) -> None:
    browser = hosted.browser()
    browser.page("/login")
    wrong = browser.form("/login", {"email": ADMIN_EMAIL, "password": "not-the-password"})
    unknown = browser.form("/login", {"email": "nobody@example.com", "password": "not-the-password"})
    assert wrong.status_code == unknown.status_code == 400
    assert "Wrong e-mail or password." in wrong.text
    assert "Wrong e-mail or password." in unknown.text


def test_every_unsafe_request_needs_the_csrf_token(hosted: HostedApp, admin: Browser) -> None:
    started = admin.api("POST", "/api/v1/exams", json={"pack": "tiny", "mode": "quick"})
    assert started.status_code == 201
    exam_id = started.json()["id"]
    attempts = [
        admin.api("POST", "/api/v1/exams", json={"pack": "tiny", "mode": "quick"}, token=False),
        admin.api("PUT", f"/api/v1/exams/{exam_id}/answers/1", json={"selected": ["A"]}, token=False),
        admin.api(
            "PUT",
            f"/api/v1/exams/{exam_id}/answers/1",
            json={"selected": ["A"]},
            headers={"X-CSRF-Token": "forged"},
            token=False,
        ),
        admin.form(f"/attempts/{exam_id}/submit", token=False),
        admin.form("/packs/tiny/practice", {"mode": "quick", "csrf_token": "forged"}, token=False),
        admin.form("/logout", token=False),
    ]
    for response in attempts:
        assert response.status_code == 403, response.request.url
        assert "did not come from this site" in response.text
    state = admin.api("GET", f"/api/v1/exams/{exam_id}").json()
    assert state["answered"] == 0
    assert state["status"] == "in_progress"  # nothing above changed anything
    # the same requests with the token work
    assert admin.api("PUT", f"/api/v1/exams/{exam_id}/answers/1", json={"selected": ["A"]}).status_code == 200
    assert admin.form(f"/attempts/{exam_id}/submit").status_code == 303
    # and a login form posted from elsewhere (no token cookie) is refused too: no login CSRF
    elsewhere = hosted.browser().client.post("/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert elsewhere.status_code == 403


def test_the_exam_page_carries_the_token_for_its_script(hosted: HostedApp, admin: Browser) -> None:
    admin.page("/packs/tiny/practice")
    started = admin.form("/packs/tiny/practice", {"mode": "quick"})
    assert started.status_code == 303
    page = admin.page(started.headers["location"])
    assert page.status_code == 200
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert meta
    assert len(meta.group(1)) > 20
    script = admin.page("/static/exam.js").text
    assert '"X-CSRF-Token": csrfToken' in script
    assert 'token.name = "csrf_token"' in script


def test_invitation_only_registration(hosted: HostedApp, admin: Browser) -> None:
    stranger = hosted.browser()
    page = stranger.page("/register")
    assert "by invitation only" in page.text
    refused = stranger.form("/register", {"email": "x@example.com", "password": "long-enough-pw"})
    assert refused.status_code == 400
    assert "by invitation only" in refused.text

    admin.page("/admin/users")
    invited = admin.form("/admin/invites", {"email": "Invited@Example.com", "role": "learner"})
    token = re.search(r"/register\?invite=([\w-]+)", invited.text).group(1)  # type: ignore[union-attr]
    learner = hosted.browser()
    learner.page(f"/register?invite={token}")
    wrong = learner.form("/register", {"email": "other@example.com", "password": "long-enough-pw", "invite": token})
    assert wrong.status_code == 400
    assert "for another e-mail address" in wrong.text
    short = learner.form("/register", {"email": "invited@example.com", "password": "short", "invite": token})
    assert short.status_code == 400
    assert "at least 10 characters" in short.text
    done = learner.form("/register", {"email": "invited@example.com", "password": "long-enough-pw", "invite": token})
    assert done.status_code == 303
    learner.page("/")
    assert learner.api("GET", "/api/v1/exams").json() == []
    again = hosted.browser()
    assert "not valid any more" in again.page(f"/register?invite={token}").text  # one use only


def test_admin_pages_are_for_admins_and_disabling_ends_sessions_at_once(hosted: HostedApp, admin: Browser) -> None:
    learner = register_learner(admin, "disable-me@example.com", "learner-password")
    assert learner.page("/admin/users").status_code == 403
    users = admin.page("/admin/users").text
    row = re.search(r'data-user="disable-me@example.com">.*?/admin/users/(\d+)/disable', users, re.S)
    assert row, users
    learner_id = row.group(1)
    assert learner.form(f"/admin/users/{learner_id}/disable").status_code == 403  # a learner cannot
    assert admin.form(f"/admin/users/{learner_id}/disable").status_code == 303
    assert learner.api("GET", "/api/v1/exams").status_code == 401  # the open session ended at once
    again = hosted.browser()
    again.page("/login")
    refused = again.form("/login", {"email": "disable-me@example.com", "password": "learner-password"})
    assert refused.status_code == 400
    assert "disabled" in refused.text
    assert admin.form(f"/admin/users/{learner_id}/enable").status_code == 303
    assert again.login("disable-me@example.com", "learner-password").status_code == 303


def test_guest_preview_needs_no_account_and_saves_nothing(hosted: HostedApp) -> None:
    before = _attempts(hosted)
    guest = hosted.browser()
    page = guest.page("/preview/tiny")
    assert page.status_code == 200
    assert "Sample flashcards" in page.text
    assert TINY.flashcards[0].front.strip().split()[0] in page.text
    question = guest.page("/preview/tiny/quiz/1")
    assert question.status_code == 200
    first_id = next(q for q in TINY.questions if q.stem.strip()[:40] in question.text)
    assert not [o.why for o in first_id.options if o.why in question.text]  # no reasons before the answer
    answered = guest.form("/preview/tiny/quiz/1", {"selected": sorted(first_id.correct_ids), "score": "0"})
    assert answered.status_code == 200
    assert "Correct — the answer is" in answered.text
    assert all(o.why.replace("'", "&#39;") in answered.text for o in first_id.options)
    assert "/preview/tiny/quiz/2?score=1" in answered.text
    empty = guest.form("/preview/tiny/quiz/2", {"score": "1"})
    assert empty.status_code == 422
    assert "Choose an answer first." in empty.text
    # The exam's answer rule applies here too: an option that does not exist is refused in one sentence, not ignored.
    unknown = guest.form("/preview/tiny/quiz/2", {"selected": ["Z"], "score": "1"})
    assert unknown.status_code == 422
    assert "Option Z does not exist" in unknown.text
    assert guest.page("/preview/tiny/quiz/99").status_code == 404
    assert _attempts(hosted) == before


def test_login_is_rate_limited_per_account_and_per_address(tmp_path: Path, pack_cache: Path) -> None:
    with hosted_app(f"sqlite:///{tmp_path / 'certprep.db'}", pack_cache, registration="open") as app:
        browser = app.browser()
        browser.page("/login")
        for _ in range(5):
            assert browser.form("/login", {"email": ADMIN_EMAIL, "password": "guess-guess"}).status_code == 400
        limited = browser.form("/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert limited.status_code == 429
        assert "Too many failed sign-ins" in limited.text
        assert int(limited.headers["retry-after"]) > 0
        # another account from the same address still works until the address limit
        browser.page("/register")
        assert browser.form("/register", {"email": "ok@example.com", "password": "ok-password-1"}).status_code == 303
        other = app.browser()
        for n in range(25):
            other.page("/login")
            assert other.form("/login", {"email": f"spray{n}@example.com", "password": "x" * 12}).status_code == 400
        blocked = other.login("ok@example.com", "ok-password-1")
        assert blocked.status_code == 429  # 30 failures from one address in 15 minutes


def test_several_workers_refuse_sqlite_in_one_line(tmp_path: Path) -> None:
    env = hosted_env(tmp_path)
    result = run_certprep("serve", "--hosted", "--workers", "2", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "needs PostgreSQL" in lines[0]
    assert "Traceback" not in result.stderr
    local = run_certprep("serve", "--workers", "2", env=env)
    assert local.returncode == 2
    assert "add --hosted" in local.stderr


def test_two_workers_on_postgresql_share_sessions(tmp_path: Path) -> None:
    database = _postgres_database()
    url = next(database)
    try:
        server = start_hosted(tmp_path, url, workers=2)
        try:
            browser = Browser.on(server)
            assert browser.login(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303
            exam = browser.api("POST", "/api/v1/exams", json={"pack": "tiny", "mode": "full", "seed": 2}).json()
            for position in range(1, 7):  # requests land on either worker; each must know the session
                saved = browser.api("PUT", f"/api/v1/exams/{exam['id']}/answers/{position}", json={"selected": ["A"]})
                assert saved.status_code == 200
            assert browser.api("GET", f"/api/v1/exams/{exam['id']}").json()["answered"] == 6
        finally:
            server.stop()
    finally:
        database.close()


def test_local_mode_has_no_accounts(client: TestClient) -> None:
    assert client.get("/login").status_code == 404
    assert client.get("/admin/users").status_code == 404
    assert client.get("/api/v1/exams").status_code == 200  # the one local learner, no login
    assert client.get("/preview/tiny").status_code == 200


def test_user_add_explains_mistakes_in_one_line(tmp_path: Path) -> None:
    env = hosted_env(tmp_path)
    from tests.web.hosted import add_user

    bad = add_user(env, "not-an-email", "long-enough-pw")
    assert bad.returncode == 2
    assert "valid e-mail address" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert add_user(env, "a@example.com", "long-enough-pw").returncode == 0
    again = add_user(env, "A@example.com", "long-enough-pw")
    assert again.returncode == 2
    assert "already exists" in again.stderr
    listed = run_certprep("user", "list", env=env)
    assert "a@example.com  learner  active" in listed.stdout


def test_the_hub_offers_guests_the_preview(hosted: HostedApp, admin: Browser) -> None:
    guest = hosted.browser()
    assert 'href="/preview/tiny"' in guest.page("/").text
    assert 'href="/preview/tiny"' not in admin.page("/").text  # signed in: the real thing instead
