"""Bad input never crashes the app (in process): body size limits with a 413 and a sentence, and a schemathesis run
over the OpenAPI description of the API and of the pages' forms, on SQLite and PostgreSQL, that finds no 5xx."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.openapi.utils import get_openapi
from fastapi.routing import RouteContext, iter_route_contexts
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.conftest import _postgres_database, web_app


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory, pack_cache: Path) -> Iterator[TestClient]:
    """A local-mode app of its own (schemathesis creates many attempts), uploads limited to 1 MB."""
    database = f"sqlite:///{tmp_path_factory.mktemp('limits') / 'certprep.db'}"
    with web_app(database, pack_cache, max_upload_bytes=1024 * 1024) as client:
        yield client


def test_a_json_body_over_the_limit_gets_413_with_a_message(limited: TestClient) -> None:
    body = b'{"pack": "tiny", "mode": "full", "padding": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = limited.post("/api/v1/exams", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large: the limit is 1024 KB."}


def test_a_body_without_a_length_is_counted_as_it_arrives(limited: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"pack": "tiny", "mode": "full", "padding": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    response = limited.post("/api/v1/exams", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers  # sent chunked: only counting can catch it
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_an_upload_over_the_limit_gets_a_readable_413_page(limited: TestClient) -> None:
    response = limited.post("/downloads/backup", files={"file": ("backup.json", b"{" + b" " * (2 * 1024 * 1024))})
    assert response.status_code == 413
    assert "The upload is too large: the limit is 1 MB." in response.text
    assert "<h1>413</h1>" in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    small = limited.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick"})
    assert small.status_code == 201  # ordinary requests are untouched


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, pack_cache: Path) -> Iterator[Any]:
    """The app schemathesis drives, once on SQLite and once on a real PostgreSQL server (integer ranges, text with
    NUL bytes and transaction errors differ between the two)."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'certprep.db'}"])
    else:
        urls = _postgres_database()
    url = next(urls)
    try:
        with web_app(url, pack_cache) as client:
            client.app.state.fuzzed_on = request.param  # type: ignore[attr-defined]
            yield client.app
    finally:
        next(urls, None)  # drops the PostgreSQL database


api_schema_of_fuzzed = schemathesis.pytest.from_fixture("api_schema")
form_schema_of_fuzzed = schemathesis.pytest.from_fixture("form_schema")


def _for_database(schema: Any, database: str) -> Any:
    """On PostgreSQL, only inputs that fit the schema. FastAPI refuses the others (422) before any route or database
    code runs, so the SQLite run, which sends both kinds, has already shown them all; what differs on PostgreSQL is
    what valid input does to the database (integer ranges, NUL bytes, transaction errors)."""
    if database == "postgresql":
        positive = [GenerationMode.POSITIVE]
        schema.config.generation.modes = positive
        for phase in (schema.config.phases.examples, schema.config.phases.coverage, schema.config.phases.fuzzing):
            phase.generation.modes = positive
    return schema


@pytest.fixture(scope="module")
def api_schema(fuzzed: Any) -> Any:
    return _for_database(schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzzed), fuzzed.state.fuzzed_on)


def _in_schema(route: Any) -> Any:
    shown = copy.copy(route)
    shown.include_in_schema = True
    return shown


@pytest.fixture(scope="module")
def form_schema(fuzzed: Any) -> Any:
    """The form routes of the pages, described as OpenAPI the way FastAPI describes the API.

    The pages are left out of the published description (it documents the API), so the test describes them itself:
    every POST route outside /api/v1, with its form fields, path parameters and uploads.
    """
    routes: list[Any] = []
    for found in iter_route_contexts(fuzzed.routes):
        if "POST" not in (found.methods or ()) or not found.path or found.path.startswith("/api/"):
            continue
        # FastAPI keeps an included router's routes as contexts; a copy marked for the schema leaves the app as is.
        context = found._route_context
        if context is None:
            routes.append(_in_schema(found.route))
        else:
            shown = context.starlette_route and _in_schema(context.starlette_route)
            routes.append(RouteContext(found.route, replace(context, include_in_schema=True, starlette_route=shown)))
    assert len(routes) > 20, "the pages' form routes were not found"
    schema = schemathesis.openapi.from_dict(get_openapi(title="certprep pages", version="test", routes=routes))
    schema.app = fuzzed
    return _for_database(schema, fuzzed.state.fuzzed_on)


FUZZ = settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)


@api_schema_of_fuzzed.parametrize()
@FUZZ
def test_no_operation_answers_with_a_server_error(case: Any) -> None:
    """Schema-driven inputs (valid and invalid) for every operation of /api/v1: any answer but a 5xx is fine."""
    case.call_and_validate(checks=[not_a_server_error])


@form_schema_of_fuzzed.parametrize()
@FUZZ
def test_no_form_answers_with_a_server_error(case: Any) -> None:
    """The same for every form a page posts (sign-in, exam answers, tracker forms, imports): never a 5xx."""
    case.call_and_validate(checks=[not_a_server_error])
