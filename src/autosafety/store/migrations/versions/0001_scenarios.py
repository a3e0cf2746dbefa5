"""Saved scenarios (the table the store created before migrations).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("base", sa.String(100), nullable=True),
        sa.Column("model_json", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_scenarios_name", "scenarios", ["name"])


def downgrade() -> None:
    op.drop_index("ix_scenarios_name", "scenarios")
    op.drop_table("scenarios")
