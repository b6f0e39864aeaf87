"""An exam whose time ran out while the learner was away: every GET only shows it, a POST or the sweeper scores it."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.clock import FixedClock
from certprep.config import Settings
from certprep.engine.forms import FormRequest
from certprep.runtime import Runtime
from certprep.web.app import _sweep_expired, create_app
from tests.conftest import TINY_PACK

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def late(tmp_path: Path, pack_cache: Path) -> Iterator[tuple[Runtime, TestClient, str]]:
    """A full exam on the tiny pack (20 minutes), seen 25 minutes after it started."""
    clock = FixedClock(START)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", extra_packs=(TINY_PACK,), hosted=False, cache_dir=pack_cache
    )
    runtime = Runtime.start(settings, clock=clock)
    attempt = runtime.exams.start(runtime.local_user_id, "tiny", FormRequest(mode="full"), seed=3)
    runtime.exams.answer(runtime.local_user_id, attempt, 1, selected=["A"])
    clock.advance(dt.timedelta(minutes=25))
    yield runtime, TestClient(create_app(runtime)), attempt  # not entered: no background sweeper in this test
    runtime.close()


def test_pages_and_the_api_show_time_up_without_scoring_it(late: tuple[Runtime, TestClient, str]) -> None:
    runtime, client, attempt = late
    for path in (f"/attempts/{attempt}/q/3", f"/attempts/{attempt}/review", f"/attempts/{attempt}/results"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == f"/attempts/{attempt}/submit", path
    page = client.get(f"/attempts/{attempt}/submit")
    assert "Time is up" in page.text
    assert "The answers saved by then are kept" in page.text
    api = client.get(f"/api/v1/exams/{attempt}").json()
    assert (api["status"], api["time_up"], api["result"]) == ("in_progress", True, None)
    assert client.get("/api/v1/exams").json()[0]["time_up"] is True
    assert "time up, not scored yet" in client.get("/attempts").text
    # None of those GETs wrote: the attempt is still unscored.
    assert runtime.exams.state(runtime.local_user_id, attempt).status == "in_progress"

    submitted = client.post(f"/attempts/{attempt}/submit", follow_redirects=False)
    assert submitted.headers["location"] == f"/attempts/{attempt}/results"
    results = client.get(f"/attempts/{attempt}/results")
    assert "Time ran out; the attempt was submitted with the answers saved by then." in results.text


def test_the_background_sweeper_scores_it(late: tuple[Runtime, TestClient, str]) -> None:
    runtime, _, attempt = late
    stop = threading.Event()
    stop.set()  # one sweep, then return
    _sweep_expired(runtime, stop, every=0.01)
    state = runtime.exams.state(runtime.local_user_id, attempt)
    assert state.status == "submitted"
    assert state.result is not None
    assert state.result.auto_submitted is True
