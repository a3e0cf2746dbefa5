"""Raters' interviews in the campaign database: a thin shell over :mod:`._interview`, sharing a
:class:`CampaignStore`'s engine and its token lookup. One interview per rater, versioned."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from .._errors import Problem
from ._interview import Interview, interview_from_data, interview_problems, interviews_to_tasks
from ._store import CampaignStore, versioned_write
from ._tables import RaterRow
from ._tables_interview import InterviewRow


class InterviewStore:
    """Interviews by rater token (the rater's side) and by campaign (the organiser's export)."""

    def __init__(self, campaigns: CampaignStore):
        self.campaigns = campaigns
        self._session = campaigns._session
        self._areas: dict[int, list[dict[str, str]]] = {}

    def areas(self, campaign_id: int) -> list[dict[str, str]]:
        """The campaign model's areas: id, name, category (in the model's order)."""
        if campaign_id not in self._areas:
            m = self.campaigns.model(campaign_id)
            self._areas[campaign_id] = [{"id": a.id, "name": a.name, "category": a.category}
                                        for a in m.spec.areas]
        return self._areas[campaign_id]

    def _area_ids(self, campaign_id: int) -> list[str]:
        return [a["id"] for a in self.areas(campaign_id)]

    def get(self, token: str) -> tuple[Interview | None, int, list[dict[str, str]]]:
        """The rater's interview (None before the first save), its version (0 then) and the
        areas to choose from. An unknown token raises NotFound."""
        with self._session() as s:
            rater = self.campaigns._rater(s, token)
            row = s.scalar(select(InterviewRow).where(InterviewRow.rater_id == rater.id))
            campaign_id = rater.campaign_id
        interview = (None if row is None else
                     interview_from_data(json.loads(row.body), areas=self._area_ids(campaign_id)))
        return interview, 0 if row is None else row.version, self.areas(campaign_id)

    def check(self, token: str, data: Any) -> Interview:
        """The rater's interview data checked against their campaign's areas (InputError)."""
        with self._session() as s:
            campaign_id = self.campaigns._rater(s, token).campaign_id
        return interview_from_data(data, areas=self._area_ids(campaign_id))

    def save(self, token: str, interview: Interview, *, expected_version: int) -> int:
        """Save the rater's interview (a draft may be incomplete); ``expected_version`` is the
        version the rater last saw (0 at first). Returns the new version, or raises StaleWrite."""
        body = json.dumps(interview.to_dict(), sort_keys=True)
        now = datetime.now(UTC)
        with self._session() as s, s.begin():
            rater = self.campaigns._rater(s, token)
            fields: dict[str, Any] = dict(area=interview.area, body=body, updated=now)
            if expected_version == 0:
                fields["rater_id"] = rater.id
            return versioned_write(s, InterviewRow, (InterviewRow.rater_id == rater.id,), fields,
                                   expected_version)

    def interviews(self, campaign_id: int) -> dict[str, Interview]:
        """Every rater's saved interview (pseudonym -> interview), drafts included."""
        self.campaigns.model(campaign_id)  # NotFound for an unknown campaign
        areas = self._area_ids(campaign_id)
        with self._session() as s:
            rows = s.execute(select(RaterRow.pseudonym, InterviewRow.body)
                             .join(InterviewRow, InterviewRow.rater_id == RaterRow.id)
                             .where(RaterRow.campaign_id == campaign_id).order_by(RaterRow.pseudonym))
            return {who: interview_from_data(json.loads(body), areas=areas, where=f"interview of {who}")
                    for who, body in rows}


def export_stored(campaigns: CampaignStore, campaign_id: int, *,
                  trend: str = "metr-2025") -> tuple[dict[str, Any], list[Problem]]:
    """The campaign's complete interviews as task-level model data (checked by the timeline's
    loader), and the first problem of each incomplete interview left out. NotFound for no
    campaign; InputError when no interview is complete."""
    from ..timeline import task_model_from_data

    store = InterviewStore(campaigns)
    saved = store.interviews(campaign_id)
    complete, left_out = {}, []
    for who, iv in saved.items():
        if problems := interview_problems(iv, where=f"interview of {who}"):
            left_out.append(problems[0])
        else:
            complete[who] = iv
    data = interviews_to_tasks(complete, store.areas(campaign_id), campaign_id=campaign_id,
                               campaign=campaigns.model(campaign_id).spec.name, trend=trend)
    task_model_from_data(data, origin="the export")  # loads as it is written
    return data, left_out
