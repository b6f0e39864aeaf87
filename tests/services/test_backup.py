"""Backup and restore (SQLite and PostgreSQL): every learner table, nothing lost, nothing duplicated or destroyed.

The first tests fill *every* learner table the schema has, row by row from the column types, so a table someone
adds later is covered by the same round trip without a new test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Table,
    Time,
    delete,
    insert,
    select,
)
from sqlalchemy.orm import Session, sessionmaker

from certprep.content import load_pack
from certprep.engine.forms import FormRequest
from certprep.services.backup import (
    NOT_LEARNER_DATA,
    BackupError,
    LearnerTable,
    backup,
    base_type,
    generated_id,
    learner_tables,
    parse_backup,
    restore,
)
from certprep.services.exams import ExamService
from certprep.store import ensure_local_user, open_engine, session_factory, transaction
from certprep.store.schema import Base, CertAttempt, Review, Setting, User
from tests.conftest import TINY_PACK

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PACKS = {"tiny": load_pack(TINY_PACK)}


@dataclass
class Store:
    sessions: sessionmaker[Session]
    alice: int
    bob: int


@pytest.fixture
def store(migrated_database_url: str) -> Iterator[Store]:
    engine = open_engine(migrated_database_url)
    sessions = session_factory(engine)
    alice = ensure_local_user(sessions)
    with transaction(sessions) as session:
        bob = User(username="bob")
        session.add(bob)
        session.flush()
        bob_id = bob.id
    yield Store(sessions, alice, bob_id)
    engine.dispose()


def _value(table: Table, column_name: str, number: int) -> Any:
    """A plausible value for a column, different for each ``number`` (so unique constraints hold)."""
    column = table.c[column_name]
    kind = base_type(column)
    if isinstance(kind, JSON):
        return {"n": number, "items": [number, "x"], "nested": {"ok": True}}
    if isinstance(kind, DateTime):
        return T0 + dt.timedelta(hours=number, microseconds=123)
    if isinstance(kind, Date):
        return dt.date(2026, 1, 1) + dt.timedelta(days=number)
    if isinstance(kind, Time):
        return dt.time(8 + number % 10, 30)
    if isinstance(kind, Boolean):
        return number % 2 == 0
    if isinstance(kind, Integer):
        return number
    if isinstance(kind, Float | Numeric):
        return number + 0.25
    length = kind.length if isinstance(kind, String) and kind.length else 200
    text = f"{column_name}-{number}-é"
    return text if len(text) <= length else str(number)[-length:]


def fill_every_learner_table(sessions: sessionmaker[Session], user_id: int, start: int) -> int:
    """Two rows per learner table (children: two per parent row); return the number of rows written."""
    parents: dict[str, list[dict[str, Any]]] = {}
    written = 0
    with transaction(sessions) as session:
        for entry in learner_tables():
            table = entry.table
            generated = generated_id(table)
            owners = parents.get(entry.parent.name, []) if entry.parent else [{}]
            rows = []
            for owner_index, owner in enumerate(owners):
                for copy in range(2):
                    number = start + owner_index * 10 + copy
                    values: dict[str, Any] = {}
                    for column in table.columns:
                        if column is generated:
                            continue
                        if column.name == "user_id":
                            values[column.name] = user_id
                        elif entry.link is not None and column is entry.link:
                            assert entry.parent_column is not None
                            values[column.name] = owner[entry.parent_column.name]
                        else:
                            values[column.name] = _value(table, column.name, number)
                    if generated is not None:
                        values[generated.name] = session.execute(
                            insert(table).values(**values).returning(generated)
                        ).scalar_one()
                    else:
                        session.execute(insert(table).values(**values))
                    rows.append(values)
            parents[entry.name] = rows
            written += len(rows)
    return written


def comparable(document: dict[str, Any], restored: bool = False) -> dict[str, list[str]]:
    """The rows of a backup without the ids a database makes up, sorted: what must survive a round trip.

    ``restored``: the rows as a restore writes them, with the columns it always sets (``attempts.origin``).
    """
    tables = {entry.name: entry.table for entry in learner_tables()}
    result = {}
    for name, rows in document["tables"].items():
        generated = generated_id(tables[name])
        drop = {generated.name} if generated is not None else set()
        forced = tables[name].info.get("on_restore", {}) if restored else {}
        result[name] = sorted(
            json.dumps({**{k: v for k, v in row.items() if k not in drop}, **forced}, sort_keys=True) for row in rows
        )
    return result


def wipe(sessions: sessionmaker[Session]) -> int:
    """Empty every table, as on a new machine, and create the local user again."""
    with transaction(sessions) as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "alembic_version":
                session.execute(delete(table))
    return ensure_local_user(sessions)


def test_the_backup_walks_the_schema_for_every_table_with_a_user_id() -> None:
    entries = {entry.name: entry for entry in learner_tables()}
    with_user = {t.name for t in Base.metadata.sorted_tables if "user_id" in t.c and t.name not in NOT_LEARNER_DATA}
    assert with_user <= set(entries)
    assert {"attempts", "reviews", "settings", "cert_attempts", "cert_credentials"} <= set(entries)
    # Child tables come along through their foreign key, after their parent.
    items = entries["attempt_items"]
    assert isinstance(items, LearnerTable)
    assert items.parent is entries["attempts"]
    order = list(entries)
    assert order.index("attempts") < order.index("attempt_items")
    # Sign-in state and accounts are not progress.
    assert "users" not in entries
    assert not set(entries) & NOT_LEARNER_DATA


def test_round_trip_into_an_empty_database_loses_nothing(store: Store) -> None:
    written = fill_every_learner_table(store.sessions, store.alice, start=1)
    fill_every_learner_table(store.sessions, store.bob, start=500)  # another learner: must stay out of the file
    document = backup(store.sessions, store.alice, now=T0)
    text = json.dumps(document)
    assert document["format"] == "certprep-backup"
    assert document["version"] == 1
    assert document["user"]["username"] == "local"
    assert sum(len(rows) for rows in document["tables"].values()) == written
    for entry in learner_tables():
        assert document["tables"][entry.name], f"{entry.name} is missing from the backup"
    assert "-50" not in text  # no value of bob's rows (numbers from 500 up) leaked into alice's backup

    new_user = wipe(store.sessions)
    report = restore(store.sessions, new_user, parse_backup(text), scorer=ExamService(store.sessions, PACKS))
    assert report.total_added == written
    assert report.total_skipped == 0
    assert comparable(backup(store.sessions, new_user)) == comparable(document, restored=True)
    assert {row["origin"] for row in backup(store.sessions, new_user)["tables"]["attempts"]} == {"restored"}


def test_restoring_into_a_database_with_data_neither_duplicates_nor_destroys(store: Store) -> None:
    fill_every_learner_table(store.sessions, store.alice, start=1)
    document = backup(store.sessions, store.alice)
    # Progress made after the backup: a new review, and a setting changed since.
    setting_key = document["tables"]["settings"][0]["key"]
    with transaction(store.sessions) as session:
        session.add(
            Review(
                user_id=store.alice,
                pack_id="tiny",
                item_kind="card",
                item_id="new-card",
                content_version="1",
                rating=3,
                reviewed_at=T0 + dt.timedelta(days=30),
            )
        )
        setting = session.get(Setting, (store.alice, setting_key))
        assert setting is not None
        setting.value = {"changed": "after the backup"}
        # A real exam's result entered after the backup: still the same sitting.
        sitting = session.get(CertAttempt, document["tables"]["cert_attempts"][0]["id"])
        assert sitting is not None
        sitting.result, sitting.scaled_score = "pass", 812
    before = comparable(backup(store.sessions, store.alice))

    report = restore(
        store.sessions, store.alice, parse_backup(json.dumps(document)), scorer=ExamService(store.sessions, PACKS)
    )

    assert report.total_added == 0
    assert report.total_skipped == sum(len(rows) for rows in document["tables"].values())
    after = comparable(backup(store.sessions, store.alice))
    assert after == before  # nothing duplicated, the new review kept, the changed setting not overwritten
    with store.sessions() as session:
        setting = session.get(Setting, (store.alice, setting_key))
        assert setting is not None
        assert setting.value == {"changed": "after the backup"}


def test_a_partial_overlap_adds_only_what_is_missing(store: Store) -> None:
    fill_every_learner_table(store.sessions, store.alice, start=1)
    document = backup(store.sessions, store.alice)
    # Lose one review and one whole attempt (with its items), then restore.
    lost_attempt = document["tables"]["attempts"][0]["id"]
    with transaction(store.sessions) as session:
        session.execute(delete(Review).where(Review.id == document["tables"]["reviews"][0]["id"]))
        session.execute(
            delete(Base.metadata.tables["attempts"]).where(Base.metadata.tables["attempts"].c.id == lost_attempt)
        )
    report = restore(store.sessions, store.alice, document, scorer=ExamService(store.sessions, PACKS))
    assert report.added["reviews"] == 1
    assert report.added["attempts"] == 1
    assert report.added["attempt_items"] == sum(
        1 for row in document["tables"]["attempt_items"] if row["attempt_id"] == lost_attempt
    )
    lost = [row for row in backup(store.sessions, store.alice)["tables"]["attempts"] if row["id"] == lost_attempt]
    assert [row["origin"] for row in lost] == ["restored"]
    kept = [json.dumps(row, sort_keys=True) for row in document["tables"]["attempts"] if row["id"] != lost_attempt]
    assert comparable(backup(store.sessions, store.alice))["attempts"] == sorted(
        kept
        + comparable(
            {"tables": {"attempts": [row for row in document["tables"]["attempts"] if row["id"] == lost_attempt]}},
            restored=True,
        )["attempts"]
    )
    others = {name: rows for name, rows in comparable(document).items() if name != "attempts"}
    assert {
        name: rows for name, rows in comparable(backup(store.sessions, store.alice)).items() if name != "attempts"
    } == others


def test_real_attempts_come_back_as_the_app_shows_them(store: Store) -> None:
    exams = ExamService(store.sessions, PACKS)
    attempt = exams.start(store.alice, "tiny", FormRequest(mode="full"), seed=7, now=T0)
    first = exams.state(store.alice, attempt, now=T0).questions[0]
    question = PACKS["tiny"].question(first.question_id)
    assert question is not None
    exams.answer(store.alice, attempt, 1, selected=sorted(question.correct_ids), flagged=True, now=T0)
    exams.submit(store.alice, attempt, now=T0 + dt.timedelta(minutes=3))
    practice = exams.start(store.alice, "tiny", FormRequest(mode="quick", count=3), seed=2, now=T0)
    exams.answer(store.alice, practice, 2, selected=["A"], now=T0)
    original = [exams.state(store.alice, a, now=T0) for a in (attempt, practice)]
    text = json.dumps(backup(store.sessions, store.alice))

    user = wipe(store.sessions)
    restore(store.sessions, user, parse_backup(text), scorer=ExamService(store.sessions, PACKS))
    assert [exams.state(user, a, now=T0) for a in (attempt, practice)] == original
    assert exams.missed(user, "tiny") == ExamService(store.sessions, PACKS).missed(user, "tiny")


def test_a_copy_into_another_account_of_the_same_database_gets_its_own_attempts(store: Store) -> None:
    exams = ExamService(store.sessions, PACKS)
    attempt = exams.start(store.alice, "tiny", FormRequest(mode="quick", count=3), seed=1, now=T0)
    exams.answer(store.alice, attempt, 1, selected=["A"], now=T0)
    report = restore(
        store.sessions, store.bob, backup(store.sessions, store.alice), scorer=ExamService(store.sessions, PACKS)
    )
    assert report.added["attempts"] == 1
    assert report.added["attempt_items"] == 3
    bobs = exams.list_attempts(store.bob)
    assert len(bobs) == 1
    assert bobs[0].id != attempt  # the id was taken; bob's copy has a new one
    assert exams.state(store.bob, bobs[0].id, now=T0).questions[0].selected == ["A"]
    assert exams.state(store.alice, attempt, now=T0).questions[0].selected == ["A"]  # alice's untouched


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "certprep-backup",\n "version": 1,\n "tables": {,}}', "line 3: not valid JSON"),
        ('{"format": "something-else", "version": 1, "tables": {}}', "not a certprep backup"),
        ('{"format": "certprep-backup", "version": 99, "tables": {}}', "newer than this certprep reads"),
        ('{"format": "certprep-backup", "version": 1}', 'no "tables" object'),
        ('{"a": ' * 100_000 + "1" + "}" * 100_000, "nested far too deeply"),
        ('{"format": "certprep-backup", "version": ' + "9" * 5000 + ', "tables": {}}', "a number too long"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(BackupError, match=message):
        parse_backup(text)


def test_bad_rows_are_refused_and_nothing_is_written(store: Store) -> None:
    fill_every_learner_table(store.sessions, store.alice, start=1)
    document = backup(store.sessions, store.alice)
    empty = wipe(store.sessions)

    broken = json.loads(json.dumps(document))
    broken["tables"]["reviews"][1]["rating"] = "five"
    with pytest.raises(BackupError, match=r"table reviews, row 2, column rating: expected a whole number"):
        restore(store.sessions, empty, broken, scorer=ExamService(store.sessions, PACKS))

    unknown = json.loads(json.dumps(document))
    unknown["tables"]["telepathy"] = []
    with pytest.raises(BackupError, match="table\\(s\\) telepathy"):
        restore(store.sessions, empty, unknown, scorer=ExamService(store.sessions, PACKS))

    orphan = json.loads(json.dumps(document))
    orphan["tables"]["attempt_items"][0]["attempt_id"] = "no-such-attempt"
    with pytest.raises(BackupError, match="refers to a attempts row not in the file"):
        restore(store.sessions, empty, orphan, scorer=ExamService(store.sessions, PACKS))

    with store.sessions() as session:  # the failed restores left nothing behind
        for entry in learner_tables():
            assert session.execute(select(entry.table)).first() is None, entry.name
