"""Seed questions and raters' seed answers in the campaign database: a thin shell over
:mod:`._seeds`, sharing a :class:`CampaignStore`'s engine and its token lookup."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from .._errors import InputError, Problem
from ._core import factor_scale
from ._seeds import CampaignPool, CellAnswer, SeedAnswer, SeedQuestion, check_seed_answer, pool_campaign
from ._store import CampaignStore, NotFound, versioned_write
from ._tables import AnswerRow, AssignmentRow, CampaignRow, RaterRow
from ._tables_interview import SeedAnswerRow, SeedQuestionRow


def _question(row: SeedQuestionRow) -> SeedQuestion:
    return SeedQuestion(row.item, row.question, row.unit, row.realization, row.source, row.scale)


class SeedStore:
    """A campaign's seed questions (organiser side: with realizations) and each rater's answers
    (rater side: by token, without realizations; versioned like cell answers)."""

    def __init__(self, campaigns: CampaignStore):
        self.campaigns = campaigns
        self._session = campaigns._session

    def add_questions(self, campaign_id: int, questions: list[SeedQuestion]) -> None:
        """Attach seed questions to a campaign (after those it has)."""
        with self._session() as s, s.begin():
            if s.get(CampaignRow, campaign_id) is None:
                raise NotFound(campaign_id)
            have = {r for (r,) in s.execute(select(SeedQuestionRow.item)
                                            .where(SeedQuestionRow.campaign_id == campaign_id))}
            if dup := [q.id for q in questions if q.id in have]:
                raise InputError(Problem("--seed-questions", f"the campaign already has {', '.join(dup)}",
                                         "give new ids"))
            start = s.scalar(select(func.count()).select_from(SeedQuestionRow)
                             .where(SeedQuestionRow.campaign_id == campaign_id)) or 0
            s.add_all([SeedQuestionRow(campaign_id=campaign_id, position=start + k, item=q.id,
                                       question=q.question, unit=q.unit, realization=q.realization,
                                       source=q.source, scale=q.scale)
                       for k, q in enumerate(questions)])

    def questions(self, campaign_id: int) -> list[SeedQuestion]:
        """The campaign's seed questions with their realizations (organiser only)."""
        with self._session() as s:
            rows = s.scalars(select(SeedQuestionRow).where(SeedQuestionRow.campaign_id == campaign_id)
                             .order_by(SeedQuestionRow.position))
            return [_question(r) for r in rows]

    def for_rater(self, token: str) -> dict[str, Any]:
        """What a rater sees: the questions without realizations or sources, and their own
        answers with versions (0 = not answered yet)."""
        with self._session() as s:
            rater = self.campaigns._rater(s, token)
            rows = s.execute(select(SeedQuestionRow, SeedAnswerRow).outerjoin(
                SeedAnswerRow, (SeedAnswerRow.question_id == SeedQuestionRow.id)
                & (SeedAnswerRow.rater_id == rater.id))
                .where(SeedQuestionRow.campaign_id == rater.campaign_id)
                .order_by(SeedQuestionRow.position))
            out = []
            for q, a in rows:
                item = {**_question(q).public(), "version": 0, "answer": None}
                if a is not None:
                    item.update(version=a.version, answer={"q05": a.q05, "q50": a.q50, "q95": a.q95})
                out.append(item)
            return {"quantiles": [0.05, 0.5, 0.95], "questions": out}

    def save(self, token: str, answer: SeedAnswer, *, expected_version: int) -> int:
        """Save a rater's answer to a seed question; ``expected_version`` is the version the rater
        last saw (0 for a first answer). Returns the new version; a stale one raises StaleWrite,
        an unknown token or question NotFound, bad quantiles InputError (located)."""
        with self._session() as s, s.begin():
            rater = self.campaigns._rater(s, token)
            q = s.scalar(select(SeedQuestionRow).where(SeedQuestionRow.campaign_id == rater.campaign_id,
                                                       SeedQuestionRow.item == answer.question))
            if q is None:
                raise NotFound("question")
            check_seed_answer(answer, _question(q))
            fields: dict[str, Any] = dict(q05=answer.q05, q50=answer.q50, q95=answer.q95,
                                          updated=datetime.now(UTC))
            if expected_version == 0:
                fields.update(rater_id=rater.id, question_id=q.id)
            where = (SeedAnswerRow.rater_id == rater.id, SeedAnswerRow.question_id == q.id)
            return versioned_write(s, SeedAnswerRow, where, fields, expected_version)

    def answers(self, campaign_id: int) -> dict[str, list[SeedAnswer]]:
        """Every rater's seed answers (pseudonym -> answers), for the organiser."""
        with self._session() as s:
            rows = s.execute(select(RaterRow.pseudonym, SeedQuestionRow.item, SeedAnswerRow.q05,
                                    SeedAnswerRow.q50, SeedAnswerRow.q95)
                             .join(SeedAnswerRow, SeedAnswerRow.rater_id == RaterRow.id)
                             .join(SeedQuestionRow, SeedAnswerRow.question_id == SeedQuestionRow.id)
                             .where(RaterRow.campaign_id == campaign_id)
                             .order_by(RaterRow.pseudonym, SeedQuestionRow.position))
            out: dict[str, list[SeedAnswer]] = {}
            for who, item, q05, q50, q95 in rows:
                out.setdefault(who, []).append(SeedAnswer(item, q05, q50, q95))
            return out

    def latest_cells(self, campaign_id: int) -> list[CellAnswer]:
        """Each rater's latest answer to each cell with a value (the answers `campaign export`
        writes, the same choice as :func:`answers_to_ratings`), read as plain rows."""
        latest: dict[tuple[str, str, str], tuple[int, CellAnswer | None]] = {}
        with self._session() as s:
            rows = s.execute(select(RaterRow.pseudonym, AssignmentRow.area, AssignmentRow.factor,
                                    AnswerRow.round, AnswerRow.value, AnswerRow.low, AnswerRow.high,
                                    AnswerRow.not_my_area)
                             .join(AssignmentRow, AnswerRow.assignment_id == AssignmentRow.id)
                             .join(RaterRow, AssignmentRow.rater_id == RaterRow.id)
                             .where(RaterRow.campaign_id == campaign_id))
            for who, area, factor, rnd, value, low, high, nma in rows:
                key = (who, area, factor)
                if key in latest and rnd <= latest[key][0]:
                    continue
                both = low is not None and high is not None
                cell = None if nma or value is None else CellAnswer(
                    who, area, factor, value, low if both else None, high if both else None)
                latest[key] = (rnd, cell)
        return [c for _, (_, c) in sorted(latest.items()) if c is not None]


def pool_stored(campaigns: CampaignStore, campaign_id: int, *, method: str = "cooke") -> CampaignPool:
    """The campaign's latest cell answers pooled by ``method`` (cooke or equal), calibrated on its
    seed answers; the pooled quantiles clipped to each factor's scale. NotFound for no campaign."""
    model = campaigns.model(campaign_id)
    seeds = SeedStore(campaigns)
    scales = {f.id: factor_scale(model, f.id) for f in model.spec.factors}
    pool = pool_campaign(seeds.questions(campaign_id), seeds.answers(campaign_id),
                         seeds.latest_cells(campaign_id), campaign_id=campaign_id, method=method,
                         scales=scales)
    areas = {a.id: a.name or a.id for a in model.spec.areas}
    factors = {f.id: f.name or f.id for f in model.spec.factors}
    labels = {(a, f): (areas.get(a, a), factors.get(f, f)) for a, f in pool.cells}
    return dataclasses.replace(pool, labels=labels)
