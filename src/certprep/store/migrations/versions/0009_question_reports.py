"""Learners' reports of problems with questions, and questions withdrawn from new forms while they are fixed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from certprep.store.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_reports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("content_version", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("reply", sa.Text(), nullable=False, server_default=""),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_question_reports_pack_status", "question_reports", ["pack_id", "status"])
    op.create_index("ix_question_reports_user", "question_reports", ["user_id", "created_at"])
    op.create_table(
        "withdrawn_questions",
        sa.Column("pack_id", sa.String(64), primary_key=True),
        sa.Column("question_id", sa.String(120), primary_key=True),
        sa.Column("withdrawn_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("withdrawn_questions")
    op.drop_index("ix_question_reports_user", table_name="question_reports")
    op.drop_index("ix_question_reports_pack_status", table_name="question_reports")
    op.drop_table("question_reports")
