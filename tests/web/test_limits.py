"""Bad input never crashes the server: body size limits with a 413 and a sentence, and a schemathesis run over
the OpenAPI description that finds no 5xx answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import TINY_PACK, Server


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A local-mode server of its own (schemathesis creates many attempts), uploads limited to 1 MB."""
    env = {
        "CERTPREP_DATA_DIR": str(tmp_path_factory.mktemp("limits")),
        "CERTPREP_PACKS": str(TINY_PACK),
        "CERTPREP_DATABASE_URL": "",
        "CERTPREP_HOSTED": "",
        "CERTPREP_MAX_UPLOAD_MB": "1",
    }
    server = Server(env).start()
    yield server
    server.stop()


def test_a_json_body_over_the_limit_gets_413_with_a_message(fresh_server: Server) -> None:
    body = b'{"pack": "tiny", "mode": "full", "padding": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = httpx.post(
        fresh_server.url + "/api/v1/exams", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large: the limit is 1024 KB."}


def test_a_body_without_a_length_is_counted_as_it_arrives(fresh_server: Server) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"pack": "tiny", "mode": "full", "padding": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    response = httpx.post(
        fresh_server.url + "/api/v1/exams", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_an_upload_over_the_limit_gets_a_readable_413_page(fresh_server: Server) -> None:
    response = httpx.post(
        fresh_server.url + "/downloads/backup", files={"file": ("backup.json", b"{" + b" " * (2 * 1024 * 1024))}
    )
    assert response.status_code == 413
    assert "The upload is too large: the limit is 1 MB." in response.text
    assert "<h1>413</h1>" in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    small = httpx.post(fresh_server.url + "/api/v1/exams", json={"pack": "tiny", "mode": "quick"})
    assert small.status_code == 201  # ordinary requests are untouched


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def api_schema(fresh_server: Server) -> Any:
    loaded = schemathesis.openapi.from_url(fresh_server.url + "/api/v1/openapi.json")
    loaded.config.update(base_url=fresh_server.url)
    return loaded


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_no_operation_answers_with_a_server_error(case: Any) -> None:
    """Schema-driven inputs (valid and invalid) for every operation of /api/v1: any answer but a 5xx is fine."""
    case.call_and_validate(checks=[not_a_server_error])
