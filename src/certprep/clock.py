"""One clock for the whole application: what time it is, asked in one place.

Every service takes a :data:`Clock` (a function returning an aware UTC datetime) and the runtime hands them all the
same one, so "now" means the same instant to exams, reviews, sessions and bookings, and a test or a simulation can
move time for the whole application at once with a :class:`FixedClock`. Domain functions stay pure: they take the
time as an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Clock", "FixedClock", "local_today", "system_clock"]

Clock = Callable[[], dt.datetime]
"""A function returning the current time as an aware UTC datetime."""


def system_clock() -> dt.datetime:
    """The machine's clock, in UTC."""
    return dt.datetime.now(dt.UTC)


def local_today(clock: Clock) -> dt.date:
    """Today's date where the machine is (bookings and plans are in the learner's days, not UTC's)."""
    return clock().astimezone().date()


@dataclass
class FixedClock:
    """A clock that stands still until moved: for tests and simulations."""

    at: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, delta: dt.timedelta) -> None:
        self.at += delta
