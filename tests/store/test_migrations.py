"""Upgrading a database made by an earlier schema keeps every row, on SQLite and on PostgreSQL.

The data is made for whatever tables the earlier revision has (read back from the database itself), so the test
keeps working as migrations are added: every revision is upgraded from its parent with two rows in every table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    select,
)

from certprep.store import open_engine, upgrade
from certprep.store.db import HEAD_REVISION, MIGRATIONS, current_revision, head_revision


def _revisions() -> list[str]:
    """Every revision id, oldest first."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def _value(table: str, column: Any, n: int) -> Any:
    kind = column.type
    if isinstance(kind, Boolean):
        return n % 2 == 0
    if isinstance(kind, Integer):
        return n
    if isinstance(kind, (Float, Numeric)):
        return n + 0.5
    if isinstance(kind, DateTime):
        return dt.datetime(2026, 1, n, 9, 30, tzinfo=dt.UTC)
    if isinstance(kind, Date):
        return dt.date(2026, 2, n)
    if isinstance(kind, Time):
        return dt.time(9, n)
    if isinstance(kind, JSON):
        return {"kept": [table, column.name, n]}
    if isinstance(kind, (String, Text)):
        length = getattr(kind, "length", None) or 60
        return f"{n}-{table}-{column.name}"[:length]
    return None


def _fill(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Two rows in every table of the database as it is now; foreign keys point at rows made before."""
    metadata = MetaData()
    metadata.reflect(engine)
    made: dict[str, list[dict[str, Any]]] = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            made[table.name] = []
            for n in (1, 2):
                row: dict[str, Any] = {}
                for column in table.columns:
                    foreign = next(iter(column.foreign_keys), None)
                    if foreign is not None:
                        row[column.name] = made[foreign.column.table.name][n - 1][foreign.column.name]
                    else:
                        row[column.name] = _value(table.name, column, n)
                connection.execute(table.insert().values(**row))
                made[table.name].append(row)
    return made


# Tables a migration drops on purpose, with the revision that drops them: their rows end there.
DROPPED = {"login_failures": "0006"}  # 15-minute sign-in failure rows, replaced by locked counters


def _read(engine: Engine, tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    metadata = MetaData()
    metadata.reflect(engine)
    found: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        for name, rows in tables.items():
            if name in DROPPED and name not in metadata.tables:
                continue
            table = metadata.tables[name]
            keep = [table.c[column] for column in rows[0]]
            found[name] = [dict(row._mapping) for row in connection.execute(select(*keep).order_by(*keep[:1]))]
    return found


def _normal(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Compare timestamps as UTC instants: SQLite hands them back without a zone."""

    def fix(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
        return value

    return {name: [{key: fix(value) for key, value in row.items()} for row in table] for name, table in rows.items()}


@pytest.mark.parametrize("revision", _revisions()[1:])
def test_upgrading_from_the_previous_revision_keeps_every_row(database_url: str, revision: str) -> None:
    revisions = _revisions()
    previous = revisions[revisions.index(revision) - 1]
    engine = open_engine(database_url)
    try:
        upgrade(engine, previous)
        made = _fill(engine)
        assert made
        assert all(len(rows) == 2 for rows in made.values())
        upgrade(engine, revision)
        assert current_revision(engine) == revision
        kept = {name: rows for name, rows in made.items() if DROPPED.get(name, "~") > revision}
        assert _normal(_read(engine, made)) == _normal(kept)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        kept = {name: rows for name, rows in made.items() if name not in DROPPED}
        assert _normal(_read(engine, made)) == _normal(kept)
    finally:
        engine.dispose()


def test_the_hosted_migration_adds_logins_without_touching_learners(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        revisions = _revisions()
        upgrade(engine, revisions[revisions.index("0004") - 1])
        made = _fill(engine)
        upgrade(engine)
        metadata = MetaData()
        metadata.reflect(engine)
        users = metadata.tables["users"]
        with engine.connect() as connection:
            assert connection.execute(select(users.c.email)).scalars().all() == [None, None]
        assert {"auth_sessions", "login_counters", "invites"} <= set(metadata.tables)
        assert _normal(_read(engine, made)) == _normal(made)
    finally:
        engine.dispose()


def test_the_start_up_shortcut_knows_the_newest_migration() -> None:
    # upgrade() skips Alembic when the database is at HEAD_REVISION; a new migration must move the constant too.
    assert head_revision() == HEAD_REVISION
