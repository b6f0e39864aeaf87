"""The database schema. Content lives in pack files; rows refer to it by pack, question id and content version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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

    __table_args__ = (UniqueConstraint("username", name="uq_users_username"),)


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

    __table_args__ = (Index("ix_attempts_user_started", "user_id", "started_at"),)


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
