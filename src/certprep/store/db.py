"""Opening the database: URL handling, readable connection errors, migrations and the local user."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker

from certprep.store.schema import User

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCAL_USERNAME = "local"
# The newest migration's revision. Every start checks the schema; comparing with this constant first spares the
# command line importing Alembic (about 0.15 s) when nothing is to migrate. A test keeps it equal to Alembic's head.
HEAD_REVISION = "0010"


class DatabaseError(Exception):
    """A database that cannot be used, explained in one line a user can act on."""


# Every error the database layer raises (the web app maps the two kinds below once, and lets the rest be bugs).
DATABASE_FAILURE: type[Exception] = SQLAlchemyError
# What a request can meet when the database is away (server down, connection lost, disk full, read-only file):
# the app answers 503 with Retry-After, never a traceback.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# A value the database refuses (an integer beyond its range, a NUL character in text): the client's mistake, 422.
REFUSED_VALUE_ERRORS: tuple[type[Exception], ...] = (DataError,)


def check_connection(engine: Engine) -> bool:
    """True when the database answers a trivial query now."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def normalize_url(url: str) -> str:
    """Map the usual PostgreSQL spellings to SQLAlchemy's psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer saving answers
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _check_sqlite_writable(database: Path, shown: str) -> None:
    """Refuse, in one line, a SQLite database certprep could read but never write.

    On a read-only folder (a read-only mount, a folder of another user) SQLite opens the file and every read works,
    but every answer a learner saves would fail. SQLite writes its journal beside the database, so the folder must
    take a new file, and the database file itself must be writable. A real file is made and removed to ask, because
    permission bits do not tell root about a read-only mount.
    """
    folder = database.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseError(f"cannot create the folder for SQLite database {shown}: {error.strerror}") from None
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
        if database.exists():
            os.close(os.open(database, os.O_RDWR))
    except OSError as error:
        raise DatabaseError(
            f"cannot write to {folder} ({error.strerror}), where SQLite database {shown} lives; make it writable, "
            "or point CERTPREP_DATA_DIR or CERTPREP_DATABASE_URL at a folder certprep can write"
        ) from None


def open_engine(url: str) -> Engine:
    """Create an engine for ``url`` and check that it connects; raise DatabaseError with one readable line."""
    url = normalize_url(url.strip())
    shown = _shown(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"'{shown}' is not a database URL; use sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/NAME"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"unsupported database '{parsed.get_backend_name()}' in '{shown}'; "
            "certprep works with sqlite and postgresql"
        )
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        _check_sqlite_writable(Path(parsed.database).expanduser(), shown)
    try:
        # PostgreSQL: keep 15 connections open (SQLAlchemy's default keeps 5 and closes the rest after each use,
        # so a busy worker opened a new server process per request) and allow 5 more in a burst.
        pool = {"pool_size": 15, "max_overflow": 5} if parsed.get_backend_name() == "postgresql" else {}
        engine = create_engine(url, pool_pre_ping=True, **pool)
    except NoSuchModuleError:
        raise DatabaseError(
            f"unsupported database in '{shown}'; certprep works with sqlite and postgresql URLs"
        ) from None
    except (ArgumentError, ImportError, TypeError, ValueError) as error:
        raise DatabaseError(f"cannot use database URL '{shown}': {_first_line(error)}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_pragmas)
    try:
        with engine.connect():
            pass
    except (OperationalError, SQLAlchemyError) as error:
        engine.dispose()
        raise DatabaseError(f"cannot connect to database {shown}: {_first_line(error)}") from None
    return engine


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` with the Alembic migrations shipped in the package."""
    if revision == "head" and current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    command.upgrade(_alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to ``revision`` ("base" removes every table)."""
    from alembic import command

    command.downgrade(_alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The schema's revision, read from Alembic's version table (None for an empty database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        version = connection.scalar(text("SELECT version_num FROM alembic_version"))
        return None if version is None else str(version)


def head_revision() -> str | None:
    """The newest revision among the shipped migrations, as Alembic computes it."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://"))).get_current_head()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back otherwise.

    On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE): Python's sqlite3 would otherwise
    begin only at the first write, after the reads, so a check such as "is this attempt still open?" could be stale
    by the time the write lands. PostgreSQL gets the same guarantee from SELECT ... FOR UPDATE where it matters.
    """
    with factory() as session, session.begin():
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("BEGIN IMMEDIATE"))
        yield session


def ensure_local_user(factory: sessionmaker[Session]) -> int:
    """The id of the single user of local mode, created on first use."""
    with transaction(factory) as session:
        user_id = session.scalar(select(User.id).where(User.username == LOCAL_USERNAME))
        if user_id is None:
            user = User(username=LOCAL_USERNAME, display_name="You", role="admin")
            session.add(user)
            session.flush()
            user_id = user.id
        return int(user_id)
