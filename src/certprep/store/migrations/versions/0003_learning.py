"""Learning loop: flashcard scheduler states and daily readiness snapshots.

The review log itself uses the ``reviews`` table of 0001; missed questions are replayed from ``attempt_items``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from certprep.store.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "srs_cards",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("card_id", sa.String(120), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("due", UTCDateTime(), nullable=False),
        sa.Column("last_review", UTCDateTime(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "pack_id", "card_id", name="uq_srs_cards_user_pack_card"),
    )
    op.create_index("ix_srs_cards_user_pack_due", "srs_cards", ["user_id", "pack_id", "due"])
    op.create_table(
        "readiness_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("scaled_score", sa.Integer(), nullable=False),
        sa.Column("scaled_low", sa.Integer(), nullable=False),
        sa.Column("scaled_high", sa.Integer(), nullable=False),
        sa.Column("pass_probability", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "pack_id", "taken_on", name="uq_readiness_user_pack_day"),
    )


def downgrade() -> None:
    op.drop_table("readiness_snapshots")
    op.drop_index("ix_srs_cards_user_pack_due", table_name="srs_cards")
    op.drop_table("srs_cards")
