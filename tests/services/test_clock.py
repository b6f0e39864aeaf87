"""One clock for the whole runtime: moving it moves "now" for exams, the tutor's seal and the sweeper alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from certprep.clock import FixedClock
from certprep.config import Settings
from certprep.engine.forms import FormRequest
from certprep.runtime import Runtime
from tests.conftest import TINY_PACK


def test_the_runtime_clock_is_the_one_every_service_reads(tmp_path: Path, pack_cache: Path) -> None:
    clock = FixedClock(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", extra_packs=(TINY_PACK,), hosted=False, cache_dir=pack_cache
    )
    runtime = Runtime.start(settings, clock=clock)
    try:
        user = runtime.local_user_id
        attempt = runtime.exams.start(user, "tiny", FormRequest(mode="full"), seed=1)  # no `now` passed anywhere
        assert runtime.exams.state(user, attempt).remaining_seconds == 20 * 60

        clock.advance(dt.timedelta(minutes=5))
        assert runtime.exams.state(user, attempt).remaining_seconds == 15 * 60
        sealed = runtime.tutors.context(user, "tiny").sealed
        assert sealed is not None
        assert "for 15 more minutes" in sealed

        clock.advance(dt.timedelta(minutes=16))  # past the deadline by the runtime's clock, whatever the machine says
        assert runtime.exams.state(user, attempt).time_up is True
        assert runtime.tutors.context(user, "tiny").sealed is None
        runtime.exams.submit_expired()  # no `now` passed: the sweeper reads the same clock
        assert runtime.exams.state(user, attempt).status == "submitted"
        assert runtime.today() == dt.date(2027, 3, 1) or abs((runtime.today() - dt.date(2027, 3, 1)).days) == 1
    finally:
        runtime.close()
