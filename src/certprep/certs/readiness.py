"""Before booking: how likely the learner is to pass, and what date their study plan aims at.

The tracker does not predict anything itself. It is handed a :class:`Readiness` (a pass probability and where it came
from, and the study plan's date) and turns it into advice shown next to the booking form. Where the numbers come from
is the storage layer's job; see ``certprep.services.certs``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

AdviceLevel = Literal["unknown", "not_yet", "borderline", "ready"]
# Below this the learner is more likely to fail than pass; at or above READY a booking is a reasonable bet.
BORDERLINE = 0.5
READY = 0.8


@dataclass(frozen=True)
class Readiness:
    """What certprep knows about the learner's chances, from wherever it was measured."""

    pass_probability: float | None = None
    scaled_score: int | None = None
    scaled_low: int | None = None
    scaled_high: int | None = None
    source: str = ""
    measured_on: dt.date | None = None
    plan_date: dt.date | None = None
    plan_source: str = ""


@dataclass(frozen=True)
class BookingAdvice:
    """A headline ("Predicted pass probability 83%: ...") and notes to show before a booking is made."""

    level: AdviceLevel
    headline: str
    notes: tuple[str, ...]


def booking_advice(readiness: Readiness, proposed: dt.date | None = None) -> BookingAdvice:
    """Advice for booking on ``proposed`` (or on no day yet), from the learner's readiness."""
    notes: list[str] = []
    probability = readiness.pass_probability
    if probability is None:
        level: AdviceLevel = "unknown"
        headline = "No pass prediction yet: take a full mock exam first to see your predicted pass probability."
    else:
        # A rounded "0%" or "100%" would claim a certainty no model has.
        percent = "under 1%" if probability < 0.005 else "over 99%" if probability > 0.995 else f"{probability:.0%}"
        where = f" ({readiness.source})" if readiness.source else ""
        if probability >= READY:
            level, verdict = "ready", "you are likely to pass"
        elif probability >= BORDERLINE:
            level, verdict = "borderline", "a pass is likely but not safe; keep practising your weak domains"
        else:
            level, verdict = "not_yet", "you are more likely to fail than pass today; study before you book"
        headline = f"Predicted pass probability {percent}{where}: {verdict}."
        if readiness.scaled_score is not None:
            spread = (
                f" (likely between {readiness.scaled_low} and {readiness.scaled_high})"
                if readiness.scaled_low is not None and readiness.scaled_high is not None
                else ""
            )
            notes.append(f"Predicted scaled score {readiness.scaled_score}{spread}.")
    if readiness.plan_date is not None:
        source = f" ({readiness.plan_source})" if readiness.plan_source else ""
        notes.append(f"Your study plan aims at {readiness.plan_date.isoformat()}{source}.")
        if proposed is not None and proposed < readiness.plan_date:
            days = (readiness.plan_date - proposed).days
            notes.append(
                f"{proposed.isoformat()} is {days} day{'' if days == 1 else 's'} before the date your plan suggests."
            )
    else:
        notes.append("No study plan date is set yet.")
    return BookingAdvice(level=level, headline=headline, notes=tuple(notes))
