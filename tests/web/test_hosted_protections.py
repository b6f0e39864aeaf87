"""What a hosted deployment relies on: no page with learner data is cached; over HTTPS the session
and CSRF cookies carry the __Host- prefix; open registration tells nobody who has an account. The real app in process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.runtime import Runtime
from certprep.web.app import create_app
from tests.conftest import TINY_PACK

PASSWORD = "correct horse battery staple"


@pytest.fixture
def runtime(tmp_path: Path, pack_cache: Path) -> Iterator[Runtime]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", extra_packs=(TINY_PACK,), hosted=True, cache_dir=pack_cache
    )
    started = Runtime.start(settings)
    started.accounts.create_user("ana@example.com", PASSWORD)
    yield started
    started.close()


def _sign_in(client: TestClient) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None, page.text
    response = client.post(
        "/login",
        data={"email": "ana@example.com", "password": PASSWORD, "csrf_token": token[1]},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def test_pages_and_api_answers_are_never_cached_but_static_files_may_be(runtime: Runtime) -> None:
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        _sign_in(client)
        for path in ("/", "/packs/tiny/learn", "/certs", "/api/v1/exams"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            assert response.headers.get("cache-control") == "no-store", path
        assert client.get("/static/app.css").headers.get("cache-control") != "no-store"


def test_over_https_the_cookies_carry_the_host_prefix(runtime: Runtime) -> None:
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        anonymous = client.get("/login")
        assert "__Host-certprep_csrf=" in anonymous.headers["set-cookie"]
        _sign_in(client)
        session = client.cookies.get("__Host-certprep_session")
        assert session
        assert client.get("/api/v1/exams").status_code == 200
    with TestClient(create_app(runtime), base_url="https://testserver") as planted:
        # The same token under the unprefixed name (what a subdomain could set) signs nobody in.
        planted.cookies.set("certprep_session", session)
        assert planted.get("/api/v1/exams").status_code == 401


def test_the_session_cookie_is_secure_host_only_and_for_the_whole_site(runtime: Runtime) -> None:
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        response = client.post(
            "/login",
            data={"email": "ana@example.com", "password": PASSWORD, "csrf_token": token[1]},
            follow_redirects=False,
        )
        [cookie] = [v for k, v in response.headers.multi_items() if k == "set-cookie" and "certprep_session=" in v]
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert cookie.startswith("__Host-certprep_session=")
        assert {"secure", "httponly", "path"} <= attributes
        assert "domain" not in attributes


def test_open_registration_answers_a_taken_address_like_a_new_one(tmp_path: Path, pack_cache: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'open.sqlite'}",
        extra_packs=(TINY_PACK,),
        hosted=True,
        registration="open",
        cache_dir=pack_cache,
    )
    runtime = Runtime.start(settings)
    runtime.accounts.create_user("ana@example.com", PASSWORD)
    answers = []
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        for email in ("ana@example.com", "newcomer@example.com"):
            page = client.get("/register")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token is not None
            form = {"email": email, "password": "another long password", "csrf_token": token[1]}
            answer = client.post("/register", data=form, follow_redirects=False)
            answers.append((answer.status_code, answer.headers.get("location")))
        note = client.get("/login?registered=1")
    runtime.close()
    assert answers[0] == answers[1] == (303, "/login?registered=1")
    assert "it has one now: sign in" in note.text


def test_the_tracker_forms_send_a_visitor_to_sign_in(runtime: Runtime) -> None:
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        for path in ("/certs/credentials/new", "/certs/book"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303, (path, response.status_code)
            assert response.headers["location"].startswith("/login?next="), path
        _sign_in(client)
        assert client.get("/certs/credentials/new").status_code == 200


def _csrf(client: TestClient, path: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert token is not None, path
    return token[1]


def test_a_signed_out_client_is_told_to_sign_in_before_anything_about_its_body(runtime: Runtime) -> None:
    """A visitor with a valid CSRF token (any visitor has one) learns nothing from 422s: it is asked to sign in."""
    writes = [("POST", "/api/v1/exams"), ("PUT", "/api/v1/learning/settings"), ("POST", "/api/v1/tutor/ask")]
    writes += [("POST", "/api/v1/certs/credentials"), ("PUT", "/api/v1/exams/1/answers/1")]
    with TestClient(create_app(runtime)) as client:
        token = {"x-csrf-token": _csrf(client, "/login")}
        for method, path in writes:
            malformed = client.request(
                method, path, content=b"{not json", headers={**token, "content-type": "application/json"}
            )
            wrong_shape = client.request(method, path, json={"unexpected": [1]}, headers=token)
            assert (malformed.status_code, wrong_shape.status_code) == (401, 401), path
            assert malformed.json() == {"detail": "Sign in to use this."}, path
        assert client.get("/api/v1/plan", params={"days": "abc"}).status_code == 401
        _sign_in(client)
        meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get("/").text)
        assert meta is not None
        headers = {"x-csrf-token": meta[1], "content-type": "application/json"}
        signed_in = client.post("/api/v1/exams", content=b"{not json", headers=headers)
        assert signed_in.status_code == 422  # once signed in, the body's fault is named
        assert "JSON" in signed_in.json()["detail"]


def test_changing_the_password_in_one_browser_signs_out_the_others(runtime: Runtime) -> None:
    app = create_app(runtime)
    with (
        TestClient(app, base_url="https://testserver") as here,
        TestClient(app, base_url="https://testserver") as there,
    ):
        _sign_in(here)
        _sign_in(there)
        form = {"current": PASSWORD, "new": "a brand new password", "csrf_token": _csrf(here, "/account")}
        changed = here.post("/account/password", data=form)
        assert changed.status_code == 200, changed.text
        assert "Your password is changed" in changed.text
        assert here.get("/api/v1/exams").status_code == 200
        assert there.get("/api/v1/exams").status_code == 401
        wrong = here.post("/account/password", data={**form, "current": "nope", "csrf_token": _csrf(here, "/account")})
        assert wrong.status_code == 400
        assert "current password is not right" in wrong.text


def test_sign_out_everywhere_and_a_new_sign_in_replaces_the_old_session(runtime: Runtime) -> None:
    app = create_app(runtime)
    with (
        TestClient(app, base_url="https://testserver") as client,
        TestClient(app, base_url="https://testserver") as other,
    ):
        _sign_in(client)
        first = client.cookies.get("__Host-certprep_session")
        login = {"email": "ana@example.com", "password": PASSWORD, "csrf_token": _csrf(client, "/account")}
        assert client.post("/login", data=login, follow_redirects=False).status_code == 303
        assert client.cookies.get("__Host-certprep_session") != first
        with TestClient(app, base_url="https://testserver") as stale:
            stale.cookies.set("__Host-certprep_session", first or "")
            assert stale.get("/api/v1/exams").status_code == 401  # the session it replaced is gone
        _sign_in(other)
        out = client.post("/account/sign-out-everywhere", data={"csrf_token": _csrf(client, "/account")})
        assert out.status_code == 200
        assert client.get("/api/v1/exams").status_code == 401
        assert other.get("/api/v1/exams").status_code == 401


def test_an_admin_reset_link_lets_the_user_set_a_new_password_once(runtime: Runtime) -> None:
    runtime.accounts.create_user("admin@example.com", PASSWORD, role="admin")
    ana = next(user["id"] for user in runtime.accounts.list_users() if user["email"] == "ana@example.com")
    app = create_app(runtime)
    with (
        TestClient(app, base_url="https://testserver") as admin,
        TestClient(app, base_url="https://testserver") as user,
    ):
        page = admin.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        admin.post("/login", data={"email": "admin@example.com", "password": PASSWORD, "csrf_token": token[1]})
        issued = admin.post(f"/admin/users/{ana}/reset", data={"csrf_token": _csrf(admin, "/admin/users")})
        assert issued.status_code == 200, issued.text
        link = re.search(r"https://testserver(/reset\?token=[\w-]+)", issued.text)
        assert link is not None, issued.text
        form_page = user.get(link[1])
        assert "ana@example.com" in form_page.text
        reset_token = link[1].split("=", 1)[1]
        form = {"token": reset_token, "new": "my fresh password 1", "csrf_token": _csrf(user, link[1])}
        done = user.post("/reset", data=form, follow_redirects=False)
        assert (done.status_code, done.headers.get("location")) == (303, "/login?reset=1")
        again = user.get(link[1])
        assert again.status_code == 400
        assert "not valid any more" in again.text
        login = {"email": "ana@example.com", "password": "my fresh password 1", "csrf_token": _csrf(user, "/login")}
        assert user.post("/login", data=login, follow_redirects=False).status_code == 303
