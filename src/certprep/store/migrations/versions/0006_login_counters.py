"""Login rate limits that hold under concurrency: one locked counter row per key instead of a row per failure.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

The old failure rows are dropped: they only ever mattered for 15 minutes.
"""

import sqlalchemy as sa
from alembic import op

from certprep.store.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_counters",
        sa.Column("scope", sa.String(10), primary_key=True),
        sa.Column("key", sa.String(320), primary_key=True),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("not_before", UTCDateTime(), nullable=True),
    )
    op.drop_index("ix_login_failures_scope_key_at", table_name="login_failures")
    op.drop_table("login_failures")


def downgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("key", sa.String(254), nullable=False),
        sa.Column("failed_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_login_failures_scope_key_at", "login_failures", ["scope", "key", "failed_at"])
    op.drop_table("login_counters")
