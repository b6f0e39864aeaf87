"""Certification tracker: real exam attempts and earned credentials.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from certprep.store.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cert_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("exam_code", sa.String(32), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("scheduled_time", sa.Time(), nullable=False),
        sa.Column("delivery", sa.String(120), nullable=False),
        sa.Column("voucher", sa.Boolean(), nullable=False),
        sa.Column("fee_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("result", sa.String(10), nullable=True),
        sa.Column("scaled_score", sa.Integer(), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("result_entered_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_cert_attempts_user_exam", "cert_attempts", ["user_id", "exam_code", "scheduled_on"])
    op.create_table(
        "cert_credentials",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("credential_id", sa.String(120), nullable=False),
        sa.Column("exam_code", sa.String(32), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("level", sa.String(40), nullable=False),
        sa.Column("earned_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("verification_url", sa.String(500), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("logo", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "credential_id", name="uq_cert_credentials_user_credential"),
    )
    op.create_index("ix_cert_credentials_user_expires", "cert_credentials", ["user_id", "expires_on"])


def downgrade() -> None:
    op.drop_index("ix_cert_credentials_user_expires", table_name="cert_credentials")
    op.drop_table("cert_credentials")
    op.drop_index("ix_cert_attempts_user_exam", table_name="cert_attempts")
    op.drop_table("cert_attempts")
