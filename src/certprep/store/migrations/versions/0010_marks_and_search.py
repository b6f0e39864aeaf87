"""Bookmarks and personal notes on questions and cards, and full-text search over pack content.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The search index is the database's own: an FTS5 table over ``search_passages`` on SQLite (external content, kept in
step by services.search), a GIN index over the English text search vector on PostgreSQL.
"""

import sqlalchemy as sa
from alembic import op

from certprep.store.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learner_marks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.String(120), nullable=False),
        sa.Column("bookmarked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "pack_id", "kind", "item_id", name="uq_learner_marks_item"),
    )
    op.create_table(
        "search_passages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("content_version", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.String(160), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )
    op.create_index("ix_search_passages_pack", "search_passages", ["pack_id", "kind"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_passages', content_rowid='id', "
            "tokenize='porter unicode61')"
        )
    else:
        op.execute(
            "CREATE INDEX ix_search_passages_fts ON search_passages "
            "USING gin (to_tsvector('english', title || ' ' || body))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_passages_fts")
    op.drop_index("ix_search_passages_pack", table_name="search_passages")
    op.drop_table("search_passages")
    op.drop_table("learner_marks")
