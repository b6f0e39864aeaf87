"""Item calibration shared by all workers, and where each attempt came from.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Attempts that exist before this migration are marked "live": nothing recorded whether they were restored.
"""

import sqlalchemy as sa
from alembic import op

from certprep.store.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("origin", sa.String(10), nullable=False, server_default="live"))
    op.create_table(
        "calibration_runs",
        sa.Column("pack_id", sa.String(64), primary_key=True),
        sa.Column("content_version", sa.String(32), nullable=True),
        sa.Column("live_exams", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("responses", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("learners", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("computed_at", UTCDateTime(), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "item_difficulties",
        sa.Column("pack_id", sa.String(64), primary_key=True),
        sa.Column("question_id", sa.String(120), primary_key=True),
        sa.Column("difficulty", sa.Float(), nullable=False),
        sa.Column("learners", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("item_difficulties")
    op.drop_table("calibration_runs")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("origin")
