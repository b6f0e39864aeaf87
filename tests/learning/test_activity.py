"""Study time estimated from answer and review times, and the day streak."""

from __future__ import annotations

import datetime as dt

from certprep.learning.activity import minutes_by_day, streak

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_gaps_count_up_to_five_minutes_and_breaks_do_not() -> None:
    events = [T0, T0 + dt.timedelta(minutes=2), T0 + dt.timedelta(minutes=4), T0 + dt.timedelta(hours=3)]
    assert minutes_by_day(events, dt.UTC) == {T0.date(): 1 + 2 + 2 + 1}


def test_streak_counts_back_from_today_or_yesterday() -> None:
    today = T0.date()
    days = [today - dt.timedelta(days=n) for n in (0, 1, 2, 4)]
    assert streak(days, today) == 3
    assert streak(days[1:], today) == 2  # not yet studied today: the streak is still alive
    assert streak([today - dt.timedelta(days=3)], today) == 0
