"""What a client sees when the database is away or refuses a value: a sentence and the right status, never a 500.

The real app in process (TestClient) on SQLite and on a real PostgreSQL; the outage is a real one: PostgreSQL stops
accepting connections to the test database and drops the open ones, or SQLite's folder turns read-only.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_ADMIN_URL, read_only, runtime_of, web_app


@pytest.fixture
def client(storage_client: TestClient) -> TestClient:
    """The shared app on SQLite and on PostgreSQL (tests/conftest.py storage_client)."""
    return storage_client


def test_ids_beyond_the_integer_range_are_a_4xx_sentence(client: TestClient) -> None:
    exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick", "count": 3}).json()
    for method, path, body in (
        ("PUT", f"/api/v1/exams/{exam['id']}/answers/99999999999", {"selected": ["A"]}),
        ("POST", f"/api/v1/exams/{exam['id']}/answers/99999999999/check", None),
        ("GET", "/api/v1/certs/attempts/99999999999", None),
        ("GET", "/api/v1/certs/credentials/99999999999", None),
    ):
        response = client.request(method, path, json=body)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
        assert response.json()["detail"], path


def test_health_says_when_the_database_is_away(client: TestClient, migrated_database_url: str) -> None:
    healthy = client.get("/api/v1/health")
    assert healthy.status_code == 200
    assert healthy.json()["status"] == "ok"
    if not migrated_database_url.startswith("postgresql"):
        pytest.skip("an unreachable server is made on PostgreSQL; SQLite meets a read-only folder in the test below")
    name = migrated_database_url.rsplit("/", 1)[1]
    admin = create_engine(
        POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        down = client.get("/api/v1/health")
        assert down.status_code == 503
        assert down.headers["Retry-After"] == "5"
        assert down.json()["status"] == "database unavailable"
        api = client.get("/api/v1/exams")
        assert api.status_code == 503
        assert api.headers["Retry-After"] == "5"
        assert "try again" in api.json()["detail"]
        page = client.get("/attempts", headers={"Accept": "text/html"})
        assert page.status_code == 503
        assert "try again" in page.text
        assert "Traceback" not in page.text
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    assert client.get("/api/v1/health").status_code == 200  # back as soon as the database is


def test_a_data_folder_that_turns_read_only_is_a_503_not_a_500(tmp_path: Path, pack_cache: Path) -> None:
    """A full or read-only disk under a running local app: the save is refused with a sentence, and works again."""
    folder = tmp_path / "data"
    with web_app(f"sqlite:///{folder / 'certprep.db'}", pack_cache) as client:
        exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick", "count": 3}).json()
        runtime_of(client).engine.dispose()  # a mount with files open for writing cannot turn read-only
        with read_only(folder):
            saved = client.put(f"/api/v1/exams/{exam['id']}/answers/1", json={"selected": ["A"]})
            assert saved.status_code == 503, saved.text
            assert saved.headers["Retry-After"] == "5"
            assert "try again" in saved.json()["detail"]
            page = client.post("/packs/tiny/practice", data={"mode": "quick", "count": "3"})
            assert page.status_code == 503
            assert "Traceback" not in page.text
            runtime_of(client).engine.dispose()
        again = client.put(f"/api/v1/exams/{exam['id']}/answers/1", json={"selected": ["A"]})
        assert again.status_code == 200, again.text


def test_a_full_disk_is_a_503_and_the_save_works_once_there_is_room(tmp_path: Path, pack_cache: Path) -> None:
    folder = tmp_path / "small-disk"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)]).returncode:
        pytest.skip("a small disk of its own is a tmpfs mount, which needs root")
    try:
        with web_app(f"sqlite:///{folder / 'certprep.db'}", pack_cache) as client:
            exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "quick", "count": 3}).json()
            filler = folder / "filler"
            with filler.open("wb") as taking, contextlib.suppress(OSError):  # the disk is full when this stops
                while True:
                    taking.write(bytes(65536))
                    taking.flush()
            for choice in "ABABABABAB":  # changes of one answer until a write needs a page the disk does not have
                saved = client.put(f"/api/v1/exams/{exam['id']}/answers/1", json={"selected": [choice]})
                if saved.status_code != 200:
                    break
            assert saved.status_code == 503, saved.text
            assert saved.headers["Retry-After"] == "5"
            assert "try again" in saved.json()["detail"]
            filler.unlink()
            again = client.put(f"/api/v1/exams/{exam['id']}/answers/1", json={"selected": ["A"]})
            assert again.status_code == 200, again.text
    finally:
        subprocess.run(["umount", str(folder)], check=False)
