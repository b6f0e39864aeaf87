"""Bad input never crashes the app (in process): body size limits with a 413 and a sentence, and a schemathesis run
over the OpenAPI description that finds no 5xx answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import web_app


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


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def api_schema(limited: TestClient) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", limited.app)


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_no_operation_answers_with_a_server_error(case: Any) -> None:
    """Schema-driven inputs (valid and invalid) for every operation of /api/v1: any answer but a 5xx is fine."""
    case.call_and_validate(checks=[not_a_server_error])
