"""Autosaves carry the client's sequence number, so that a late save of an earlier choice never wins.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempt_items") as batch:
        batch.add_column(sa.Column("client_seq", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempt_items") as batch:
        batch.drop_column("client_seq")
