"""Storage on SQLite and on a real PostgreSQL server: migrations, round trips, errors."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from certprep.store import DatabaseError, ensure_local_user, open_engine, session_factory, transaction, upgrade
from certprep.store.db import current_revision, downgrade, head_revision
from certprep.store.schema import Attempt, AttemptItem, Base, Review, Setting, User


def _outside_the_models(obj: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
    """The full-text index of migration 0010 (an FTS5 table and its shadow tables on SQLite, an expression GIN
    index on PostgreSQL) is database-specific and has no SQLAlchemy model; everything else must match."""
    return not (name or "").startswith(("search_fts", "ix_search_passages_fts"))


def test_migrations_create_the_schema_the_models_describe(database_url: str) -> None:
    engine = open_engine(database_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert {"users", "settings", "attempts", "attempt_items", "reviews"} <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _outside_the_models})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    engine.dispose()


def test_upgrade_twice_is_harmless_and_downgrade_removes_tables(database_url: str) -> None:
    engine = open_engine(database_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    downgrade(engine, "base")
    assert "attempts" not in inspect(engine).get_table_names()
    engine.dispose()


def test_attempt_with_answers_round_trips(database_url: str) -> None:
    engine = open_engine(database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    user_id = ensure_local_user(sessions)
    assert ensure_local_user(sessions) == user_id  # one local user, however often it is asked for
    deadline = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    with transaction(sessions) as session:
        session.add(
            Attempt(
                id="a1",
                user_id=user_id,
                pack_id="tiny",
                content_version="1",
                mode="full",
                config={"count": 2},
                seed=7,
                deadline_at=deadline,
            )
        )
        session.add_all(
            [
                AttemptItem(attempt_id="a1", position=1, question_id="q-one", scored=True, selected=["A", "C"]),
                AttemptItem(attempt_id="a1", position=2, question_id="q-two", scored=False, flagged=True),
            ]
        )
        session.add(Setting(user_id=user_id, key="retention", value={"desired": 0.9}))
        session.add(
            Review(
                user_id=user_id,
                pack_id="tiny",
                item_kind="card",
                item_id="c1",
                content_version="1",
                rating=3,
                state={"stability": 2.5},
            )
        )
    with sessions() as session:
        attempt = session.get(Attempt, "a1")
        assert attempt is not None
        assert attempt.deadline_at == deadline
        assert attempt.deadline_at.tzinfo is not None
        assert attempt.config == {"count": 2}
        items = session.scalars(select(AttemptItem).order_by(AttemptItem.position)).all()
        assert [(i.question_id, i.selected, i.flagged, i.scored) for i in items] == [
            ("q-one", ["A", "C"], False, True),
            ("q-two", [], True, False),
        ]
        assert session.get(Setting, (user_id, "retention")).value == {"desired": 0.9}  # type: ignore[union-attr]
    with transaction(sessions) as session:
        session.delete(session.get(User, user_id))
    with sessions() as session:
        assert session.scalars(select(AttemptItem)).all() == []  # answers go with their user
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://user@localhost/db", "unsupported database 'mysql'"),
        (
            "postgresql://user:hunter2@127.0.0.1:9/none",
            "cannot connect to database postgresql+psycopg://user:***@127.0.0.1:9/none",
        ),
    ],
)
def test_bad_urls_give_one_readable_line_without_the_password(url: str, expected: str) -> None:
    with pytest.raises(DatabaseError) as raised:
        open_engine(url)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message
    assert "hunter2" not in message
