"""Two learners on one hosted app (in process): B can neither read nor change anything of A's, through any route.

The routes are read from the app itself, so a route another part of certprep adds later is checked too: a route
whose path has a parameter this test does not know fails the test until the parameter is described below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from certprep.config import Settings
from certprep.content import load_pack
from certprep.runtime import Runtime
from certprep.web.app import create_app
from tests.conftest import TINY_PACK
from tests.web.hosted import ADMIN_EMAIL, ADMIN_PASSWORD, Browser, HostedApp, hosted_app, register_learner

TINY = load_pack(TINY_PACK)
A_EMAIL, B_EMAIL = "alice-secret@example.com", "bob@example.com"
A_CREDENTIAL = "ALICE-SECRET-CRED-4242"
A_REPORT = "ALICE-SECRET-REPORT: option B reads wrongly"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

# Path parameters that name one learner's rows: B gets A's value and must be refused (403/404).
# Each entry: (parameter, a pattern the path matches, key of A's value). The first match wins.
OWNED: list[tuple[str, str, str]] = [
    ("attempt_id", r"^/(api/v1/)?certs/attempts/", "cert_attempt"),
    ("attempt_id", r"^/(api/v1/exams|attempts)/", "exam"),
    ("row_id", r"^/(api/v1/)?certs/credentials/", "credential"),
    ("user_id", r"^/admin/users/", "user"),
    ("report_id", r"^/admin/reports/", "report"),
]
# Path parameters that name content or a position inside an owned row: filled in, not learner data by themselves.
CONTENT: dict[str, str] = {
    "pack_id": "tiny",
    "position": "1",
    "card_id": TINY.flashcards[0].id,
    "passage_id": "task-1.1",
    "domain_id": str(TINY.blueprint.domains[0].id),
    "task_id": TINY.blueprint.domains[0].tasks[0].id,
    "code": TINY.code(TINY.questions[0].id),
    "action": "withdraw",
}
# Valid bodies for unsafe API routes, so that the request gets past validation to the ownership check (without
# one, {} is sent and a 422 is accepted: A's unchanged snapshot still proves nothing was written).
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/v1/exams/{attempt_id}/answers/{position}"): {"selected": ["B"], "flagged": True},
    ("PUT", "/api/v1/exams/{attempt_id}/items/{position}/tag"): {"tag": "guessed"},
    ("PATCH", "/api/v1/certs/attempts/{attempt_id}"): {"date": "2027-04-01", "time": "10:00"},
    ("POST", "/api/v1/certs/attempts/{attempt_id}/result"): {"result": "fail", "scaled_score": 600},
    ("PUT", "/api/v1/certs/credentials/{row_id}"): {
        "credential_id": "BOB-1",
        "earned_on": "2025-02-01",
        "exam_code": "DOP-C02",
    },
}
# Not learner data at all, or would end B's own session in the middle of the test.
SKIPPED = re.compile(r"^/(static|api/v1/openapi\.json|api/v1/docs|docs/oauth2-redirect)|^/(login|logout|register)$")


def app_routes(tmp_path: Path) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, read from the app itself."""
    runtime = Runtime.start(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}", extra_packs=(TINY_PACK,)))
    try:
        app = create_app(runtime)
        found: list[tuple[str, str]] = []

        def walk(routes: list[Any]) -> None:
            for route in routes:
                if hasattr(route, "effective_route_contexts"):  # FastAPI keeps included routers as one entry
                    walk(list(route.effective_route_contexts()))
                    continue
                path = getattr(route, "path", None) or getattr(getattr(route, "route", None), "path", None)
                methods = getattr(route, "methods", None) or getattr(getattr(route, "route", None), "methods", None)
                for method in sorted(methods or []):
                    if method != "HEAD" and path:
                        found.append((method, path))

        walk(list(app.routes))
        return sorted(set(found))
    finally:
        runtime.close()


@pytest.fixture(scope="module")
def learners(
    tmp_path_factory: pytest.TempPathFactory, pack_cache: Path
) -> Iterator[tuple[HostedApp, Browser, Browser, dict[str, Any]]]:
    with hosted_app(f"sqlite:///{tmp_path_factory.mktemp('isolation') / 'certprep.db'}", pack_cache) as hosted:
        yield from _alice_and_bob(hosted)


def _alice_and_bob(hosted: HostedApp) -> Iterator[tuple[HostedApp, Browser, Browser, dict[str, Any]]]:
    admin = hosted.browser()
    assert admin.login(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303
    alice = register_learner(admin, A_EMAIL, "alice-password")
    bob = register_learner(admin, B_EMAIL, "bob-password-1")
    users = admin.page("/admin/users").text
    alice_id = re.search(rf'data-user="{A_EMAIL}">.*?/admin/users/(\d+)/disable', users, re.S).group(1)  # type: ignore[union-attr]

    # A's data of every kind: a submitted exam with a tag, a practice with a checked answer, a card review,
    # learning settings, a booked real exam and an earned credential.
    exam = alice.api("POST", "/api/v1/exams", json={"pack": "tiny", "mode": "full", "seed": 1}).json()["id"]
    for position in (1, 2, 3):
        assert alice.api("PUT", f"/api/v1/exams/{exam}/answers/{position}", json={"selected": ["A"]}).status_code == 200
    assert alice.api("POST", f"/api/v1/exams/{exam}/submit").status_code == 200
    assert alice.api("PUT", f"/api/v1/exams/{exam}/items/1/tag", json={"tag": "misread"}).status_code == 204
    practice = alice.api(
        "POST", "/api/v1/exams", json={"pack": "tiny", "mode": "drill", "domain": 1, "seed": 2}
    ).json()["id"]
    alice.api("PUT", f"/api/v1/exams/{practice}/answers/1", json={"selected": ["A"]})
    alice.api("POST", f"/api/v1/exams/{practice}/answers/1/check")
    alice.api("POST", f"/api/v1/cards/{TINY.flashcards[0].id}/review", json={"rating": 1, "pack": "tiny"})
    alice.api("PUT", "/api/v1/learning/settings", json={"minutes_per_day": 137})
    booked = alice.api(
        "POST",
        "/api/v1/certs/attempts",
        json={"pack": "dop-c02", "date": "2027-03-14", "time": "09:30", "delivery": "online"},
    )
    assert booked.status_code == 201, booked.text
    credential = alice.api(
        "POST",
        "/api/v1/certs/credentials",
        json={"credential_id": A_CREDENTIAL, "earned_on": "2025-01-15", "exam_code": "DOP-C02"},
    )
    assert credential.status_code == 201, credential.text
    report = alice.api(
        "POST",
        "/api/v1/reports",
        json={"pack": "tiny", "code": TINY.code(TINY.questions[0].id), "reason": "typo", "text": A_REPORT},
    )
    assert report.status_code == 201, report.text
    ids = {
        "exam": [exam, practice],
        "cert_attempt": [str(booked.json()["id"])],
        "credential": [str(credential.json()["id"])],
        "user": [alice_id],
        "report": [str(report.json()["id"])],
    }
    yield hosted, alice, bob, ids


def _snapshot(alice: Browser, ids: dict[str, Any]) -> list[Any]:
    """Everything of A's, as A sees it (minus the ticking clock)."""

    def get(path: str) -> Any:
        response = alice.api("GET", path)
        assert response.status_code == 200, (path, response.text)
        body = response.json()
        if isinstance(body, dict):
            body.pop("remaining_seconds", None)
        return body

    paths = ["/api/v1/exams", "/api/v1/certs/attempts", "/api/v1/certs/credentials", "/api/v1/learning/settings"]
    paths.append("/api/v1/reports")
    paths += [f"/api/v1/exams/{exam}" for exam in ids["exam"]]
    return [get(path) for path in paths]


def _markers(ids: dict[str, Any]) -> list[str]:
    return [*ids["exam"], A_CREDENTIAL, A_EMAIL, "alice-secret", "2027-03-14", A_REPORT]


def _plan(method: str, path: str, ids: dict[str, Any]) -> tuple[list[str], list[str], bool]:
    """The URLs to try for one route, the parameters nobody described, and whether the route names A's rows."""
    params = re.findall(r"{(\w+)(?::\w+)?}", path)
    urls = [path]
    unknown: list[str] = []
    owned = False
    for param in params:
        rule = next((key for name, pattern, key in OWNED if name == param and re.search(pattern, path)), None)
        if rule is not None:
            owned = True
            urls = [re.sub(rf"{{{param}(?::\w+)?}}", value, url) for url in urls for value in ids[rule]]
        elif param in CONTENT:
            urls = [re.sub(rf"{{{param}(?::\w+)?}}", CONTENT[param], url) for url in urls]
        else:
            unknown.append(param)
    return urls, unknown, owned


def test_learner_b_cannot_read_or_change_anything_of_learner_a(
    learners: tuple[HostedApp, Browser, Browser, dict[str, Any]], tmp_path: Path
) -> None:
    _hosted, alice, bob, ids = learners
    routes = app_routes(tmp_path)
    assert ("GET", "/api/v1/exams/{attempt_id}") in routes
    assert len(routes) > 30
    before = _snapshot(alice, ids)
    markers = _markers(ids)
    uncovered: list[str] = []
    problems: list[str] = []
    checked_owned = 0
    for method, path in routes:
        if SKIPPED.search(path):
            continue
        urls, unknown, owned = _plan(method, path, ids)
        if unknown:
            uncovered.append(f"{method} {path}: parameter(s) {', '.join(unknown)}")
            continue
        if not owned and method in UNSAFE:
            continue  # acts on B's own data; A's snapshot below proves nothing of A's changed
        for url in urls:
            if method in UNSAFE:
                if url.startswith("/api/"):
                    response = bob.api(method, url, json=BODIES.get((method, path), {}))
                else:
                    response = bob.form(url, {})
            else:
                response = bob.api(method, url)
            body = response.text
            leaked = [marker for marker in markers if marker in body]
            if owned:
                checked_owned += 1
                refused = (403, 404) if (method, path) in BODIES else (403, 404, 422)
                if response.status_code not in refused or leaked:
                    problems.append(f"{method} {url} -> {response.status_code} {body[:120]!r}")
            elif response.status_code >= 500 or leaked:
                problems.append(f"{method} {url} -> {response.status_code}, shows {leaked}")
    assert not uncovered, (
        "routes with a path parameter this isolation test does not know; describe it in OWNED or CONTENT:\n"
        + "\n".join(uncovered)
    )
    assert not problems, "\n".join(problems)
    assert checked_owned >= 20
    assert _snapshot(alice, ids) == before  # nothing of A's changed


def test_a_still_sees_everything_of_hers(learners: tuple[HostedApp, Browser, Browser, dict[str, Any]]) -> None:
    _hosted, alice, bob, ids = learners
    exam = ids["exam"][0]
    assert alice.page(f"/attempts/{exam}/results").status_code == 200
    assert A_CREDENTIAL in alice.api("GET", "/api/v1/certs/credentials").text
    assert bob.api("GET", "/api/v1/exams").json() == []
    assert A_CREDENTIAL not in bob.api("GET", "/api/v1/certs/credentials").text


def test_a_signed_out_browser_reaches_nothing_of_a(
    learners: tuple[HostedApp, Browser, Browser, dict[str, Any]],
) -> None:
    hosted, _alice, _bob, ids = learners
    signed_out = hosted.browser().client
    for path in (f"/api/v1/exams/{ids['exam'][0]}", "/api/v1/certs/credentials", "/api/v1/learning/settings"):
        assert signed_out.get(path).status_code == 401
    page = signed_out.get(f"/attempts/{ids['exam'][0]}/results")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=")
