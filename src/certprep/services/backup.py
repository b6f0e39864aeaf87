"""Backup and restore of one learner's data as a versioned JSON document.

Which tables: every table of the schema (``Base.metadata``) that has a ``user_id`` column, plus the tables that hang
off them by a foreign key (``attempt_items`` through ``attempts``), found by walking the metadata rather than listed
by hand, so a table another part of certprep adds later is backed up without anyone remembering to. Two kinds of
table are left out on purpose: sign-in state (see ``NOT_LEARNER_DATA``; restoring a login session into another
database would hand out a live session), and any table whose ``info`` says ``{"backup": False}``.

The document::

    {"format": "certprep-backup", "version": 1, "created_at": "...", "certprep": "0.1.0", "schema": "0002",
     "user": {"username": "local", "display_name": "You"},
     "tables": {"attempts": [{"id": "...", "pack_id": "dop-c02", ...}, ...], "attempt_items": [...], ...}}

Rows keep every column except ``user_id`` (the restoring learner is the owner); timestamps are ISO 8601 strings.

Restoring *merges*: it never deletes or overwrites, and it never adds a row that is already there. "Already there"
is decided by each table's natural key, worked out from the schema in this order:

1. ``table.info["natural_key"]``, for a table whose author wants to say it explicitly;
2. a unique constraint (``cert_credentials``: the issuer's credential id);
3. a primary key that is not a generated number (``attempts``: a UUID; ``settings``: the key name;
   ``attempt_items``: attempt and position);
4. a generated id with a ``created_at`` timestamp: that moment (``cert_attempts``: a sitting whose result was
   entered after the backup is still the same sitting, not a second one);
5. otherwise every column but the generated id (``reviews``: the same item, rating and moment is the same review).

Rows whose generated id changes on the way in (a new ``reviews.id`` in the target database) are followed by their
children: foreign keys between backed-up tables are re-pointed at the new ids. A whole restore is one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    Numeric,
    Table,
    Time,
    UniqueConstraint,
    insert,
    select,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator, TypeEngine

from certprep import __version__
from certprep.errors import InvalidInput
from certprep.store.db import transaction
from certprep.store.schema import Base, User

FORMAT = "certprep-backup"
VERSION = 1
USER_COLUMN = "user_id"
CREATED = "created_at"
# Sign-in state is not progress: a restored session row would be a live login in another database, and a restored
# reset link a way into the account there. A question report is addressed to this server's authors, and restored
# elsewhere it would name a decider who is not there.
NOT_LEARNER_DATA = frozenset({"auth_sessions", "password_resets", "question_reports"})


class BackupError(InvalidInput):
    """A backup file that cannot be restored, or a user that does not exist; the message is one readable line."""


@dataclass(frozen=True)
class LearnerTable:
    """A table in the backup and how its rows belong to a learner.

    ``parent`` is None for a table with its own ``user_id``; otherwise the rows belong to the learner through the
    foreign key ``link`` (a column of this table) pointing at ``parent_column`` of the already-scoped ``parent``.
    """

    table: Table
    parent: LearnerTable | None = None
    link: Column[Any] | None = None
    parent_column: Column[Any] | None = None

    @property
    def name(self) -> str:
        return self.table.name


@dataclass
class RestoreReport:
    """What a restore did, per table: rows added and rows skipped because they were already there."""

    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())


# -- which tables -------------------------------------------------------------------------------------------------


def learner_tables(metadata: MetaData = Base.metadata) -> list[LearnerTable]:
    """Every table holding learner data, parents before children (the metadata's dependency order)."""
    chosen: dict[str, LearnerTable] = {}
    for table in metadata.sorted_tables:
        if table.name in NOT_LEARNER_DATA or table.info.get("backup") is False:
            continue
        if USER_COLUMN in table.c:
            chosen[table.name] = LearnerTable(table)
            continue
        for foreign_key in sorted(table.foreign_keys, key=lambda key: key.parent.name):
            parent = chosen.get(foreign_key.column.table.name)
            if parent is not None:
                chosen[table.name] = LearnerTable(table, parent, foreign_key.parent, foreign_key.column)
                break
    return list(chosen.values())


def _scope(entry: LearnerTable, user_id: int) -> ColumnElement[bool]:
    """The condition selecting the learner's rows of ``entry`` (through its parents for a child table)."""
    if entry.parent is None or entry.link is None or entry.parent_column is None:
        return entry.table.c[USER_COLUMN] == user_id
    return entry.link.in_(select(entry.parent_column).where(_scope(entry.parent, user_id)))


def generated_id(table: Table) -> Column[Any] | None:
    """The primary key column if it is a number the database makes up (so it may differ between databases)."""
    columns = list(table.primary_key.columns)
    if len(columns) != 1:
        return None
    column = columns[0]
    if column.foreign_keys or not isinstance(column.type, Integer) or column.autoincrement is False:
        return None
    return column


def natural_key(table: Table) -> tuple[str, ...]:
    """The columns that say two rows are the same row (rules in the module docstring); ``user_id`` left out."""
    declared = table.info.get("natural_key")
    if declared:
        names = tuple(str(name) for name in declared)
    else:
        unique = sorted(
            (c for c in table.constraints if isinstance(c, UniqueConstraint) and len(c.columns) > 0),
            key=lambda constraint: str(constraint.name),
        )
        generated = generated_id(table)
        if unique:
            names = tuple(column.name for column in unique[0].columns)
        elif generated is None:
            names = tuple(column.name for column in table.primary_key.columns)
        elif CREATED in table.c and isinstance(base_type(table.c[CREATED]), DateTime):
            names = (CREATED,)
        else:
            names = tuple(column.name for column in table.columns if column is not generated)
    return tuple(name for name in names if name != USER_COLUMN)


# -- values -------------------------------------------------------------------------------------------------------


def base_type(column: Column[Any]) -> TypeEngine[Any]:
    """The SQL type under any TypeDecorator (``UTCDateTime`` is a DateTime), to decide how a JSON value is read."""
    column_type: TypeEngine[Any] = column.type
    while isinstance(column_type, TypeDecorator):
        impl = column_type.impl
        column_type = impl if isinstance(impl, TypeEngine) else impl()
    return column_type


def dump_value(value: Any) -> Any:
    """A column value as JSON: dates and times as ISO 8601, everything else as it is."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def load_value(column: Column[Any], value: Any) -> Any:
    """A JSON value as the column's Python type; ValueError with a reason if it does not fit."""
    if value is None:
        if not column.nullable:
            raise ValueError("must not be empty")
        return None
    kind = base_type(column)
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, DateTime):
        moment = dt.datetime.fromisoformat(_text(value))
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(_text(value))
    if isinstance(kind, Time):
        return dt.time.fromisoformat(_text(value))
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {value!r}")
        return value
    if isinstance(kind, Float | Numeric):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {value!r}")
        return value
    return _text(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    return value


def _canonical(values: Mapping[str, Any] | RowMapping, names: Iterable[str]) -> str:
    """A comparable form of some columns of a row, the same whether the row came from JSON or the database."""
    return json.dumps([dump_value(values.get(name)) for name in names], sort_keys=True, default=str)


# -- backup -------------------------------------------------------------------------------------------------------


def _schema_revision(session: Session) -> str | None:
    return MigrationContext.configure(session.connection()).get_current_revision()


def backup(sessions: sessionmaker[Session], user_id: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """Every row of the learner's data as the backup document described in the module docstring."""
    now = now or dt.datetime.now(dt.UTC)
    with sessions() as session:
        user = session.get(User, user_id)
        if user is None:
            raise BackupError(f"no user with id {user_id}")
        tables: dict[str, list[dict[str, Any]]] = {}
        for entry in learner_tables():
            table = entry.table
            order = list(table.primary_key.columns)
            rows = session.execute(select(table).where(_scope(entry, user_id)).order_by(*order)).mappings()
            tables[entry.name] = [
                {name: dump_value(value) for name, value in row.items() if name != USER_COLUMN} for row in rows
            ]
        return {
            "format": FORMAT,
            "version": VERSION,
            "created_at": now.isoformat(),
            "certprep": __version__,
            "schema": _schema_revision(session),
            "user": {"username": user.username, "display_name": user.display_name},
            "tables": tables,
        }


def user_id_for(sessions: sessionmaker[Session], username: str) -> int:
    """The id of the user called ``username``; BackupError if there is none."""
    with sessions() as session:
        found = session.scalar(select(User.id).where(User.username == username))
    if found is None:
        raise BackupError(f"there is no user named '{username}' in this database")
    return int(found)


# -- restore ------------------------------------------------------------------------------------------------------


def parse_backup(text: str) -> dict[str, Any]:
    """The backup document in ``text``, checked for format and version; BackupError (with a line) if unusable."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BackupError(f"line {error.lineno}: not valid JSON ({error.msg})") from None
    except RecursionError:
        # json.loads recurses once per nesting level; a backup is at most five levels deep.
        raise BackupError("the file is nested far too deeply to be a certprep backup") from None
    except ValueError:
        # Python refuses to convert integers of more than 4,300 digits (int_max_str_digits); no backup holds one.
        raise BackupError("the file holds a number too long to be part of a certprep backup") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f'this is not a certprep backup (it has no "format": "{FORMAT}")')
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError("the backup has no valid version number")
    if version > VERSION:
        raise BackupError(
            f"the backup has format version {version}, newer than this certprep reads ({VERSION}); upgrade certprep"
        )
    if not isinstance(document.get("tables"), dict):
        raise BackupError('the backup has no "tables" object')
    return document


def _referenced_columns(entries: list[LearnerTable]) -> set[tuple[str, str]]:
    """(table, column) of every backed-up column that another backed-up table points at."""
    names = {entry.name for entry in entries}
    return {
        (key.column.table.name, key.column.name)
        for entry in entries
        for key in entry.table.foreign_keys
        if key.column.table.name in names
    }


class _Restorer:
    """One restore: the id maps between the file and the database, and the counts for the report."""

    def __init__(self, session: Session, user_id: int, entries: list[LearnerTable]) -> None:
        self.session = session
        self.user_id = user_id
        self.entries = entries
        self.names = {entry.name for entry in entries}
        self.referenced = _referenced_columns(entries)
        # (table, column) -> {value in the file: value in the database}
        self.ids: dict[tuple[str, str], dict[Any, Any]] = {pair: {} for pair in self.referenced}
        self.report = RestoreReport()
        self.added_rows: dict[str, list[dict[str, Any]]] = {}

    def rows(self, entry: LearnerTable, raw_rows: Any) -> list[dict[str, Any]]:
        """The file's rows of one table as column values, with learner and parent ids pointed at this database."""
        table = entry.table
        if not isinstance(raw_rows, list):
            raise BackupError(f"table {entry.name}: expected a list of rows")
        rows = []
        for number, raw in enumerate(raw_rows, start=1):
            where = f"table {entry.name}, row {number}"
            if not isinstance(raw, dict):
                raise BackupError(f"{where}: expected an object of column values")
            unknown = sorted(set(raw) - set(table.c.keys()) - {USER_COLUMN})
            if unknown:
                raise BackupError(f"{where}: unknown column(s) {', '.join(unknown)}; was it made by a newer certprep?")
            values: dict[str, Any] = {}
            for name, value in raw.items():
                if name == USER_COLUMN:
                    continue
                try:
                    values[name] = load_value(table.c[name], value)
                except ValueError as error:
                    raise BackupError(f"{where}, column {name}: {error}") from None
            if USER_COLUMN in table.c:
                values[USER_COLUMN] = self.user_id
            values.update(table.info.get("on_restore", {}))  # e.g. attempts.origin: what a file says is not trusted
            for key in table.foreign_keys:
                pair = (key.column.table.name, key.column.name)
                name = key.parent.name
                if pair in self.ids and values.get(name) is not None:
                    if values[name] not in self.ids[pair]:
                        raise BackupError(f"{where}: {name} {values[name]!r} refers to a {pair[0]} row not in the file")
                    values[name] = self.ids[pair][values[name]]
            rows.append(values)
        return rows

    def restore_table(self, entry: LearnerTable, raw_rows: Any) -> None:
        table = entry.table
        rows = self.rows(entry, raw_rows)
        key_names = natural_key(table)
        generated = generated_id(table)
        existing_rows = self.session.execute(select(table).where(_scope(entry, self.user_id))).mappings().all()
        existing: Counter[str] = Counter()
        existing_ids: dict[str, list[Any]] = {}
        for row in existing_rows:
            key = _canonical(row, key_names)
            existing[key] += 1
            existing_ids.setdefault(key, []).append(row)
        added = skipped = 0
        pending: list[dict[str, Any]] = []
        for values in rows:
            key = _canonical(values, key_names)
            if existing[key] > 0:
                existing[key] -= 1
                self._remember(table, values, existing_ids[key].pop(0))
                skipped += 1
                continue
            if generated is not None:
                old_id = values.pop(generated.name, None)
                if (table.name, generated.name) in self.referenced:
                    new_id = self.session.execute(insert(table).values(**values).returning(generated)).scalar_one()
                    self.ids[(table.name, generated.name)][old_id] = new_id
                    self._remember(table, values, {**values, generated.name: new_id}, skip=generated.name)
                else:
                    pending.append(values)
            else:
                self._claim_primary_key(table, values)
                pending.append(values)
            added += 1
        for group in _same_columns(pending):
            self.session.execute(insert(table), group)
        self.added_rows[entry.name] = pending
        self.report.added[entry.name] = added
        self.report.skipped[entry.name] = skipped

    def _claim_primary_key(self, table: Table, values: dict[str, Any]) -> None:
        """Give a row whose text id another learner's row already holds (a copy of a backup) a fresh UUID."""
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or columns[0].foreign_keys or isinstance(columns[0].type, Integer):
            self._remember(table, values, values)
            return
        column = columns[0]
        old = values.get(column.name)
        if old is None or self.session.scalar(select(column).where(column == old)) is None:
            self._remember(table, values, values)
            return
        values[column.name] = str(uuid.uuid4())
        self._remember(table, {column.name: old}, values)

    def _remember(
        self, table: Table, file_values: Mapping[str, Any], db_values: Mapping[str, Any], skip: str | None = None
    ) -> None:
        for table_name, column_name in self.referenced:
            if table_name == table.name and column_name != skip and column_name in file_values:
                self.ids[(table_name, column_name)][file_values[column_name]] = db_values[column_name]


def _same_columns(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows grouped by the set of columns they give, for one multi-row INSERT per group."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(frozenset(row), []).append(row)
    return list(groups.values())


class RestoredScorer(Protocol):
    """What scores restored attempts again: :meth:`certprep.services.exams.ExamService.score_restored`."""

    def score_restored(self, session: Session, attempt_ids: Sequence[str]) -> None: ...


def restore(
    sessions: sessionmaker[Session], user_id: int, document: Mapping[str, Any], *, scorer: RestoredScorer
) -> RestoreReport:
    """Merge a parsed backup into the learner's data (rules in the module docstring); all or nothing.

    Restored attempts are marked ``origin = 'restored'`` whatever the file says, and every submitted one is scored
    again by ``scorer`` from the answers it holds: a file can bring back a learner's history, never a result this
    server did not compute, and never anything that feeds the item calibration other learners are scored with.
    """
    entries = learner_tables()
    tables = document.get("tables")
    if not isinstance(tables, Mapping):
        raise BackupError('the backup has no "tables" object')
    known = {entry.name for entry in entries}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise BackupError(
            f"the backup holds table(s) {', '.join(unknown)} that this certprep does not know; upgrade certprep"
        )
    try:
        with transaction(sessions) as session:
            if session.get(User, user_id) is None:
                raise BackupError(f"no user with id {user_id}")
            restorer = _Restorer(session, user_id, entries)
            for entry in entries:
                restorer.restore_table(entry, tables.get(entry.name, []))
            added_attempts = [str(row["id"]) for row in restorer.added_rows.get("attempts", []) if "id" in row]
            try:
                scorer.score_restored(session, added_attempts)
            except LookupError as error:
                raise BackupError(str(error)) from None
            return restorer.report
    except SQLAlchemyError as error:
        detail = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise BackupError(f"the database refused the backup: {detail[0] if detail else type(error).__name__}") from None
