"""Storage: SQLAlchemy models and Alembic migrations for users, attempts, responses, reviews and settings."""

from certprep.store.db import (
    DATABASE_FAILURE,
    REFUSED_VALUE_ERRORS,
    UNAVAILABLE_ERRORS,
    DatabaseError,
    check_connection,
    current_revision,
    ensure_local_user,
    normalize_url,
    open_engine,
    session_factory,
    transaction,
    upgrade,
)

__all__ = [
    "DATABASE_FAILURE",
    "REFUSED_VALUE_ERRORS",
    "UNAVAILABLE_ERRORS",
    "DatabaseError",
    "check_connection",
    "current_revision",
    "ensure_local_user",
    "normalize_url",
    "open_engine",
    "session_factory",
    "transaction",
    "upgrade",
]
