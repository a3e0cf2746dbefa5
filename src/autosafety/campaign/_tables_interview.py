"""SQLAlchemy 2 tables of seed questions, seed answers and interviews (migration 0003)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..store._tables import Base


class SeedQuestionRow(Base):
    """A campaign's calibration item; its realization and source are never shown to raters."""

    __tablename__ = "campaign_seed_questions"
    __table_args__ = (UniqueConstraint("campaign_id", "item", name="uq_seed_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(100))
    realization: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)
    scale: Mapped[str] = mapped_column(String(3))


class SeedAnswerRow(Base):
    """A rater's 5/50/95% quantiles for a seed question; ``version`` counts its saves."""

    __tablename__ = "campaign_seed_answers"
    __table_args__ = (UniqueConstraint("rater_id", "question_id", name="uq_seed_answer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("campaign_raters.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("campaign_seed_questions.id", ondelete="CASCADE"))
    q05: Mapped[float] = mapped_column(Float)
    q50: Mapped[float] = mapped_column(Float)
    q95: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InterviewRow(Base):
    """A rater's interview (one per rater), as the JSON of the checked questionnaire."""

    __tablename__ = "campaign_interviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("campaign_raters.id", ondelete="CASCADE"),
                                          unique=True)
    area: Mapped[str | None] = mapped_column(String(200), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))
