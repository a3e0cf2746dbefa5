"""SQLAlchemy 2 tables of elicitation campaigns (schema owned by the store's Alembic migrations)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..store._tables import Base


class CampaignRow(Base):
    """A campaign: a frozen copy of the model it elicits, and its organiser token's hash."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    model_ref: Mapped[str] = mapped_column(String(500))
    model_json: Mapped[str] = mapped_column(Text)
    rounds_planned: Mapped[int] = mapped_column(Integer)
    organiser_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RoundRow(Base):
    """One round (Delphi / IDEA) of a campaign, with when it opened and closed."""

    __tablename__ = "campaign_rounds"
    __table_args__ = (UniqueConstraint("campaign_id", "number", name="uq_round_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    opened: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RaterRow(Base):
    """A rater of a campaign: a pseudonym and the hash of their private token (never the token)."""

    __tablename__ = "campaign_raters"
    __table_args__ = (UniqueConstraint("campaign_id", "pseudonym", name="uq_rater_pseudonym"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    pseudonym: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AssignmentRow(Base):
    """A cell (area, factor) a rater is asked to rate."""

    __tablename__ = "campaign_assignments"
    __table_args__ = (UniqueConstraint("rater_id", "area", "factor", name="uq_assignment_cell"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("campaign_raters.id", ondelete="CASCADE"))
    area: Mapped[str] = mapped_column(String(200))
    factor: Mapped[str] = mapped_column(String(200))


class AnswerRow(Base):
    """A rater's answer to an assigned cell in one round; ``version`` counts its saves."""

    __tablename__ = "campaign_answers"
    __table_args__ = (UniqueConstraint("assignment_id", "round", name="uq_answer_round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("campaign_assignments.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    low: Mapped[float | None] = mapped_column(Float, nullable=True)
    high: Mapped[float | None] = mapped_column(Float, nullable=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    not_my_area: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))
