"""End-to-end smoke test of the real `certprep serve` process: it starts, says where it serves, answers its health
check and a page over the network, and stops on SIGTERM without being killed. The other web tests ask the same app in process
(tests/conftest.py web_app); the tests that need real processes besides this one are the killed server
(tests/web/test_exam_api.py) and several workers on PostgreSQL (tests/web/test_hosted.py)."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from tests.conftest import TINY_PACK, Server


def test_certprep_serve_starts_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_PACKS": str(TINY_PACK), "CERTPREP_DATABASE_URL": ""}
    server = Server(env).start()
    try:
        health = httpx.get(server.url + "/api/v1/health")
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        hub = httpx.get(server.url + "/")
        assert hub.status_code == 200
        assert 'href="/packs/dop-c02"' in hub.text
        assert 'href="/packs/tiny"' in hub.text
        assert "script-src 'self'" in hub.headers["content-security-policy"]
    finally:
        server.stop()
    assert server.process is not None
    # Within Server.stop's 10 s grace: uvicorn shuts down, then ends by the signal it got (no SIGKILL needed).
    assert server.process.returncode == -signal.SIGTERM
    output = server.process.stdout.read() if server.process.stdout else ""
    assert f"certprep is serving dop-c02, tiny in local mode on http://127.0.0.1:{server.port}/" in output
    assert (tmp_path / "certprep.db").exists()  # the data folder it was given, not the user's
