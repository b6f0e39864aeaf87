"""Storage: SQLAlchemy models and Alembic migrations for users, attempts, responses, reviews and settings."""

from certprep.store.db import (
    DatabaseError,
    current_revision,
    ensure_local_user,
    normalize_url,
    open_engine,
    session_factory,
    transaction,
    upgrade,
)

__all__ = [
    "DatabaseError",
    "current_revision",
    "ensure_local_user",
    "normalize_url",
    "open_engine",
    "session_factory",
    "transaction",
    "upgrade",
]
