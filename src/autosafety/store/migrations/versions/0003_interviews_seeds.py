"""Seed questions, seed answers and interviews of campaigns.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_seed_questions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(100), nullable=False),
        sa.Column("realization", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("scale", sa.String(3), nullable=False),
        sa.UniqueConstraint("campaign_id", "item", name="uq_seed_item"),
    )
    op.create_table(
        "campaign_seed_answers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rater_id", sa.Integer(), sa.ForeignKey("campaign_raters.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("question_id", sa.Integer(),
                  sa.ForeignKey("campaign_seed_questions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("q05", sa.Float(), nullable=False),
        sa.Column("q50", sa.Float(), nullable=False),
        sa.Column("q95", sa.Float(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("rater_id", "question_id", name="uq_seed_answer"),
    )
    op.create_table(
        "campaign_interviews",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rater_id", sa.Integer(), sa.ForeignKey("campaign_raters.id", ondelete="CASCADE"),
                  nullable=False, unique=True),
        sa.Column("area", sa.String(200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("campaign_interviews", "campaign_seed_answers", "campaign_seed_questions"):
        op.drop_table(table)
