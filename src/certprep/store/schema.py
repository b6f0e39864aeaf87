"""The database schema. Content lives in pack files; rows refer to it by pack, question id and content version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from certprep.store.types import UTCDateTime


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    """A learner. Local mode has exactly one, created on first start."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), nullable=False)
    display_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="learner")
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    # Hosted mode: the login name (lower-cased). The local user of local mode has none. Added by migration 0004.
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)

    __table_args__ = (
        UniqueConstraint("username", name="uq_users_username"),
        UniqueConstraint("email", name="uq_users_email"),
    )


class Setting(Base):
    """One user preference, such as desired retention or the exam date."""

    __tablename__ = "settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


class Attempt(Base):
    """An exam or practice session: its form, timer and, once submitted, its result."""

    __tablename__ = "attempts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    pack_id: Mapped[str] = mapped_column(String(64), nullable=False)
    content_version: Mapped[str] = mapped_column(String(32), nullable=False)
    mode: Mapped[str] = mapped_column(String(20), nullable=False)
    config: Mapped[Any] = mapped_column(JSON, nullable=False, default=dict)
    seed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="in_progress")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    deadline_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    result: Mapped[Any] = mapped_column(JSON, nullable=True)
    # "live": taken on this server; "restored": merged from a backup. Only live attempts feed item calibration, so
    # no uploaded file can move another learner's score. A restore always writes "restored" (info below).
    origin: Mapped[str] = mapped_column(String(10), nullable=False, default="live", server_default="live")

    __table_args__ = (
        Index("ix_attempts_user_started", "user_id", "started_at"),
        # Columns a restore sets whatever the backup file says (certprep.services.backup).
        {"info": {"on_restore": {"origin": "restored"}}},
    )


class AttemptItem(Base):
    """One position of an attempt's form and the learner's response to it, saved as it is given."""

    __tablename__ = "attempt_items"

    attempt_id: Mapped[str] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), nullable=False)
    scored: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    selected: Mapped[Any] = mapped_column(JSON, nullable=False, default=list)
    struck: Mapped[Any] = mapped_column(JSON, nullable=False, default=list)
    flagged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Practice: the answer was checked and is final; its key may now be shown and it can no longer change.
    locked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    correct: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    self_tag: Mapped[str | None] = mapped_column(String(60), nullable=True)
    # The client's sequence number of the save stored here: a save that arrives late with a lower one is not applied.
    client_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    __table_args__ = (Index("ix_attempt_items_question", "question_id"),)


class Review(Base):
    """One review of a flashcard or of a missed question: the rating given and the scheduler state after it."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    pack_id: Mapped[str] = mapped_column(String(64), nullable=False)
    item_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    item_id: Mapped[str] = mapped_column(String(120), nullable=False)
    content_version: Mapped[str] = mapped_column(String(32), nullable=False)
    rating: Mapped[int] = mapped_column(Integer, nullable=False)
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    state: Mapped[Any] = mapped_column(JSON, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_reviews_user_item", "user_id", "item_kind", "item_id"),)


class CertAttempt(Base):
    """One sitting of a real certification exam: when, how, at what fee, and the result from the score report.

    The fee is stored as booked (in cents) because a pack's price may change later; the result and the section
    outcomes are what the learner copied from the real report.
    """

    __tablename__ = "cert_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    pack_id: Mapped[str] = mapped_column(String(64), nullable=False)
    exam_code: Mapped[str] = mapped_column(String(32), nullable=False)
    scheduled_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    scheduled_time: Mapped[dt.time] = mapped_column(Time, nullable=False)
    delivery: Mapped[str] = mapped_column(String(120), nullable=False)
    voucher: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    fee_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="USD")
    result: Mapped[str | None] = mapped_column(String(10), nullable=True)
    scaled_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sections: Mapped[Any] = mapped_column(JSON, nullable=False, default=list)
    result_entered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (Index("ix_cert_attempts_user_exam", "user_id", "exam_code", "scheduled_on"),)


class CertCredential(Base):
    """An earned certification. ``credential_id`` is the issuer's id, unique among one learner's credentials."""

    __tablename__ = "cert_credentials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    credential_id: Mapped[str] = mapped_column(String(120), nullable=False)
    exam_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    provider: Mapped[str] = mapped_column(String(200), nullable=False)
    level: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    earned_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    expires_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    verification_url: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    skills: Mapped[Any] = mapped_column(JSON, nullable=False, default=list)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    logo: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "credential_id", name="uq_cert_credentials_user_credential"),
        Index("ix_cert_credentials_user_expires", "user_id", "expires_on"),
    )


class AuthSession(Base):
    """A signed-in browser in hosted mode.

    The cookie holds a random token; the row is keyed by the token's SHA-256, so a copy of the database does not
    hand out live sessions. Deleting the row logs the browser out at once, on every worker.
    """

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    # When the browser last used the session (written at most once a minute): the idle timeout counts from here.
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_auth_sessions_user", "user_id"),)


class LoginCounter(Base):
    """Sign-in attempts of one key in the current window: a client address, an account at one address, or an account.

    One row per key, changed under a row lock (see ``AccountService.authenticate``), so that parallel attempts on
    every worker see each other's counts: an attempt is counted before its password is checked.
    """

    __tablename__ = "login_counters"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Account rows only: no sign-in to the account before this time (the progressive delay).
    not_before: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Invite(Base):
    """An admin's invitation to register. Keyed by the SHA-256 of the token in the link; usable once."""

    __tablename__ = "invites"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="learner")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PasswordReset(Base):
    """A one-time link an admin issued for a user to set a new password. Keyed by the SHA-256 of the token."""

    __tablename__ = "password_resets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SrsCard(Base):
    """A flashcard's current FSRS state for one learner; every review that led here is a row of ``reviews``.

    ``state`` is ``fsrs.Card.to_dict()``; ``due`` repeats its due time as a column so "what is due" is one indexed
    query. The row is created at the card's first review (``created_at``), which is how new cards per day are counted.
    """

    __tablename__ = "srs_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    pack_id: Mapped[str] = mapped_column(String(64), nullable=False)
    card_id: Mapped[str] = mapped_column(String(120), nullable=False)
    state: Mapped[Any] = mapped_column(JSON, nullable=False)
    due: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_review: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reps: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    lapses: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "pack_id", "card_id", name="uq_srs_cards_user_pack_card"),
        Index("ix_srs_cards_user_pack_due", "user_id", "pack_id", "due"),
    )


class ReadinessSnapshot(Base):
    """The readiness prediction as it stood on one day: the dashboard's score history."""

    __tablename__ = "readiness_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    pack_id: Mapped[str] = mapped_column(String(64), nullable=False)
    taken_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    scaled_score: Mapped[int] = mapped_column(Integer, nullable=False)
    scaled_low: Mapped[int] = mapped_column(Integer, nullable=False)
    scaled_high: Mapped[int] = mapped_column(Integer, nullable=False)
    pass_probability: Mapped[float] = mapped_column(Float, nullable=False)
    evidence: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "pack_id", "taken_on", name="uq_readiness_user_pack_day"),)


class CalibrationRun(Base):
    """The latest item calibration of a pack, shared by every worker; one row per pack.

    ``claimed_at`` is set while a worker recalculates, so that only one does at a time; a claim older than
    ``services.calibration.CLAIM_TIMEOUT`` is taken to belong to a worker that died.
    """

    __tablename__ = "calibration_runs"
    __table_args__ = ({"info": {"backup": False}},)

    pack_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    live_exams: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    responses: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    learners: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    computed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ItemDifficulty(Base):
    """A calibrated item difficulty (logits) and how many independent learners it rests on."""

    __tablename__ = "item_difficulties"
    __table_args__ = ({"info": {"backup": False}},)

    pack_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    difficulty: Mapped[float] = mapped_column(Float, nullable=False)
    learners: Mapped[int] = mapped_column(Integer, nullable=False)


class QuestionReport(Base):
    """A learner's report of a problem with a question (content.feedback), and the author's answer to it.

    ``decided_by`` is the author or admin who accepted or rejected it; the learner reads ``reply``. Not part of a
    learner's backup (services.backup.NOT_LEARNER_DATA).
    """

    __tablename__ = "question_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    pack_id: Mapped[str] = mapped_column(String(64), nullable=False)
    question_id: Mapped[str] = mapped_column(String(120), nullable=False)
    content_version: Mapped[str] = mapped_column(String(32), nullable=False)
    reason: Mapped[str] = mapped_column(String(32), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    reply: Mapped[str] = mapped_column(Text, nullable=False, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (
        Index("ix_question_reports_pack_status", "pack_id", "status"),
        Index("ix_question_reports_user", "user_id", "created_at"),
    )


class WithdrawnQuestion(Base):
    """A question an author took out of new forms while a report on it is fixed; attempts already holding it keep
    it. Shared by every learner, so not part of a learner's backup."""

    __tablename__ = "withdrawn_questions"
    __table_args__ = ({"info": {"backup": False}},)

    pack_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    withdrawn_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class LearnerMark(Base):
    """A learner's bookmark and personal note on one question or flashcard (``kind``), by authoring id."""

    __tablename__ = "learner_marks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    pack_id: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    item_id: Mapped[str] = mapped_column(String(120), nullable=False)
    bookmarked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "pack_id", "kind", "item_id", name="uq_learner_marks_item"),)


class SearchPassage(Base):
    """Pack content made searchable: study sections, flashcards and questions, one row each, rebuilt when a pack's
    content version changes (services.search). The full-text index over it is made by migration 0010 for each
    database, outside this metadata: an FTS5 table ``search_fts`` on SQLite, a GIN index on PostgreSQL."""

    __tablename__ = "search_passages"
    __table_args__ = (Index("ix_search_passages_pack", "pack_id", "kind"), {"info": {"backup": False}})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[str] = mapped_column(String(64), nullable=False)
    content_version: Mapped[str] = mapped_column(String(32), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    item_id: Mapped[str] = mapped_column(String(160), nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
