"""The learner's records every part of the learning loop reads: packs, settings, the exam date, the clock.

Also the loop's errors, so the parts share one vocabulary (what they return is in :mod:`.results`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from certprep.clock import Clock
from certprep.content.models import Pack
from certprep.errors import InvalidInput, NotFound
from certprep.learning import plan as planner
from certprep.learning import srs
from certprep.services.exams import ExamService
from certprep.services.learning.results import LearnerSettings
from certprep.store.db import transaction
from certprep.store.schema import Setting

WEAK_SPOTS_QUESTIONS = 20
WEAK_SPOTS_TITLE = "Practise my weak spots"  # the session is in review mode; this is what the learner sees
DUE_SESSION_QUESTIONS = 20
SETTING_PREFIX = "learning."
# The daily study time is shared with the certification tracker, which reads this key to date a booking.
MINUTES_SETTING = "minutes_per_day"


def _setting_key(name: str) -> str:
    return MINUTES_SETTING if name == MINUTES_SETTING else SETTING_PREFIX + name


class LearningError(InvalidInput):
    """A request the learning loop cannot carry out, in one sentence (shown as a 422 or a readable page)."""


class CardNotFound(NotFound):
    """No such flashcard in the pack."""


def local_tz() -> dt.tzinfo:
    """The machine's time zone: local mode runs on the learner's own computer, so its days are the learner's."""
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


@dataclass(frozen=True)
class GradedAnswer:
    question_id: str
    at: dt.datetime
    correct: bool


# A learner who has not booked the exam yet gets a plan to a date this far away, marked provisional.
PROVISIONAL_WEEKS = 6


class LearnerRecords:
    """The learner's preferences and the shared context (database, packs, exams, clock, time zone) of the loop."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        packs: dict[str, Pack],
        exams: ExamService,
        tz: dt.tzinfo | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.sessions = sessions
        self.packs = packs
        self.exams = exams
        self.clock = clock or exams.clock  # one clock with the exams it reads
        self.tz = tz or local_tz()

    def pack(self, pack_id: str) -> Pack:
        return self.exams.pack(pack_id)

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.tz).date()

    def day_start(self, now: dt.datetime) -> dt.datetime:
        local = now.astimezone(self.tz)
        return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)

    def settings(self, user_id: int) -> LearnerSettings:
        with self.sessions() as session:
            rows = session.execute(
                select(Setting.key, Setting.value).where(
                    Setting.user_id == user_id,
                    Setting.key.startswith(SETTING_PREFIX) | (Setting.key == MINUTES_SETTING),
                )
            ).all()
        values = {key.removeprefix(SETTING_PREFIX): value for key, value in rows if value is not None}
        defaults = LearnerSettings()
        try:
            return LearnerSettings(
                desired_retention=float(values.get("desired_retention", defaults.desired_retention)),
                new_per_day=int(values.get("new_per_day", defaults.new_per_day)),
                reviews_per_day=int(values.get("reviews_per_day", defaults.reviews_per_day)),
                minutes_per_day=int(values.get("minutes_per_day", defaults.minutes_per_day)),
                esl_accommodation=values.get("esl_accommodation") is True,
            )
        except (TypeError, ValueError):
            return defaults

    def update_settings(self, user_id: int, **changes: Any) -> LearnerSettings:
        """Change some preferences; every value is checked before anything is saved."""
        current = self.settings(user_id)
        merged = {**current.__dict__, **{k: v for k, v in changes.items() if v is not None}}
        unknown = set(merged) - set(current.__dict__)
        if unknown:
            raise LearningError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        try:
            checked = LearnerSettings(
                desired_retention=float(merged["desired_retention"]),
                new_per_day=int(merged["new_per_day"]),
                reviews_per_day=int(merged["reviews_per_day"]),
                minutes_per_day=int(merged["minutes_per_day"]),
                esl_accommodation=merged["esl_accommodation"] is True,
            )
            checked.srs  # noqa: B018  # validates retention and limits
        except (srs.SrsError, TypeError, ValueError) as error:
            raise LearningError(str(error)) from None
        if not planner.MIN_MINUTES <= checked.minutes_per_day <= planner.MAX_MINUTES:
            raise LearningError(f"minutes per day must be between {planner.MIN_MINUTES} and {planner.MAX_MINUTES}")
        for key, value in checked.__dict__.items():
            self._put_setting(user_id, key, value)
        return checked

    def _put_setting(self, user_id: int, key: str, value: Any) -> None:
        with transaction(self.sessions) as session:
            row = session.get(Setting, (user_id, _setting_key(key)))
            if row is None:
                session.add(Setting(user_id=user_id, key=_setting_key(key), value=value))
            else:
                row.value = value

    def exam_date(self, user_id: int, pack_id: str) -> dt.date | None:
        with self.sessions() as session:
            row = session.get(Setting, (user_id, f"{SETTING_PREFIX}exam_date.{pack_id}"))
        try:
            return dt.date.fromisoformat(row.value) if row is not None and row.value else None
        except (TypeError, ValueError):
            return None

    def plan_inputs(
        self, user_id: int, pack_id: str, exam_date: dt.date | None = None, minutes_per_day: int | None = None
    ) -> tuple[dt.date | None, int]:
        """The exam date and minutes a day to plan with: the ones given, else the learner's saved ones.

        The plan page and ``GET /api/v1/plan`` both ask this, so a learner who saved an exam date gets the same plan
        at either door without typing it again.
        """
        chosen = exam_date or self.exam_date(user_id, pack_id)
        return chosen, minutes_per_day or self.settings(user_id).minutes_per_day

    def set_exam_date(self, user_id: int, pack_id: str, exam_date: dt.date | None) -> None:
        self.pack(pack_id)
        self._put_setting(user_id, f"exam_date.{pack_id}", exam_date.isoformat() if exam_date else None)
        if exam_date is not None:
            self._put_setting(user_id, f"exam_unbooked.{pack_id}", False)

    def exam_unbooked(self, user_id: int, pack_id: str) -> bool:
        """True when the learner said on their first visit that the exam is not booked yet."""
        with self.sessions() as session:
            row = session.get(Setting, (user_id, f"{SETTING_PREFIX}exam_unbooked.{pack_id}"))
        return row is not None and row.value is True

    def set_exam_unbooked(self, user_id: int, pack_id: str) -> None:
        """The first visit's "not booked yet": plans assume an exam in six weeks until a date is set."""
        self.pack(pack_id)
        self._put_setting(user_id, f"exam_unbooked.{pack_id}", True)

    def planning_date(self, user_id: int, pack_id: str, today: dt.date) -> tuple[dt.date | None, bool]:
        """The exam date to plan for and whether it is provisional: the saved date, else (exam not booked yet)
        :data:`PROVISIONAL_WEEKS` from today, else None."""
        saved = self.exam_date(user_id, pack_id)
        if saved is not None:
            return saved, False
        if self.exam_unbooked(user_id, pack_id):
            return today + dt.timedelta(weeks=PROVISIONAL_WEEKS), True
        return None, False
