"""Elicitation campaigns: campaigns, rounds, raters, assignments, answers.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("model_ref", sa.String(500), nullable=False),
        sa.Column("model_json", sa.Text(), nullable=False),
        sa.Column("rounds_planned", sa.Integer(), nullable=False),
        sa.Column("organiser_token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "campaign_rounds",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opened", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("campaign_id", "number", name="uq_round_number"),
    )
    op.create_table(
        "campaign_raters",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("pseudonym", sa.String(20), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("campaign_id", "pseudonym", name="uq_rater_pseudonym"),
    )
    op.create_table(
        "campaign_assignments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rater_id", sa.Integer(), sa.ForeignKey("campaign_raters.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("area", sa.String(200), nullable=False),
        sa.Column("factor", sa.String(200), nullable=False),
        sa.UniqueConstraint("rater_id", "area", "factor", name="uq_assignment_cell"),
    )
    op.create_table(
        "campaign_answers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("assignment_id", sa.Integer(),
                  sa.ForeignKey("campaign_assignments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("not_my_area", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("assignment_id", "round", name="uq_answer_round"),
    )


def downgrade() -> None:
    for table in ("campaign_answers", "campaign_assignments", "campaign_raters", "campaign_rounds",
                  "campaigns"):
        op.drop_table(table)
