"""Study time and streaks, estimated from the moments the learner answered a question or reviewed a card.

certprep does not run a stopwatch: it knows when each answer and each review was saved. Study time is estimated as
the gaps between consecutive events, each capped at GAP_CAP (a longer gap is a break, not study), plus FIRST_EVENT
for the first event after a break. A streak is the number of consecutive days, ending today (or yesterday, when today
has no study yet), with at least one event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

GAP_CAP = dt.timedelta(minutes=5)
FIRST_EVENT = dt.timedelta(minutes=1)


def minutes_by_day(events: Iterable[dt.datetime], tz: dt.tzinfo) -> dict[dt.date, float]:
    """Estimated study minutes on each local date that has any event."""
    totals: dict[dt.date, float] = {}
    previous: dt.datetime | None = None
    for moment in sorted(events):
        gap = moment - previous if previous is not None else None
        spent = gap if gap is not None and gap <= GAP_CAP else FIRST_EVENT
        day = moment.astimezone(tz).date()
        totals[day] = totals.get(day, 0.0) + spent.total_seconds() / 60
        previous = moment
    return totals


def streak(days: Iterable[dt.date], today: dt.date) -> int:
    """Consecutive study days ending today, or ending yesterday if the learner has not studied yet today."""
    active = set(days)
    day = today if today in active else today - dt.timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= dt.timedelta(days=1)
    return count
