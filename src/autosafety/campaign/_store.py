"""CampaignStore: campaigns, raters, assignments, answers and rounds in any SQLAlchemy database
(SQLite by default, in WAL mode), migrated by Alembic. A thin shell over :mod:`._core`."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from .._errors import InputError, Problem
from ..model import Model, dump_model, model_from_data
from ..store._scenarios import _engine
from ._core import (
    MAX_NAME,
    Answer,
    StoredAnswer,
    check_answer,
    factor_scale,
    new_token,
    pseudonym,
    token_hash,
)
from ._tables import AnswerRow, AssignmentRow, CampaignRow, RaterRow, RoundRow


class NotFound(KeyError):
    """No such campaign, or a token that opens nothing (unknown and foreign tokens alike)."""


class StaleWrite(Exception):
    """A save based on an older version of the answer than the one stored (lost-update guard)."""

    def __init__(self, current: int):
        self.current = current
        super().__init__(f"the answer is at version {current}")


@dataclass(frozen=True)
class Invitee:
    """A private link's owner: a pseudonym, an optional display name and the token (shown once)."""

    pseudonym: str
    display_name: str | None
    token: str


@dataclass(frozen=True)
class CreatedCampaign:
    """What `campaign create` prints: the id, the organiser token and one token per rater."""

    id: int
    name: str
    organiser_token: str
    raters: list[Invitee]
    cells: list[tuple[str, str]]


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def read_invitations(text: str, *, origin: str = "raters.csv") -> list[str | None]:
    """Display names from an invitation CSV (a ``name`` column, or one name per line)."""
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if rows and [c.strip().lower() for c in rows[0]][:1] == ["name"]:
        rows = rows[1:]
    problems = []
    names: list[str | None] = []
    for n, row in enumerate(rows, start=2):
        name = row[0].strip()
        if len(name) > MAX_NAME:
            problems.append(Problem(f"{origin} line {n}", f"name over {MAX_NAME} characters", "shorten it"))
        names.append(name or None)
    if not names:
        problems.append(Problem(origin, "no raters", "one name per line, or a 'name' column"))
    if problems:
        raise InputError(problems, title=f"invalid {origin}")
    return names


class CampaignStore:
    """Campaigns in a database; the schema is migrated to the newest revision on open."""

    def __init__(self, url: str):
        self.url = url
        self.engine = _engine(url)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._scales: dict[tuple[int, str], tuple[float, float]] = {}

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def create(self, model: Model, *, name: str, model_ref: str, cells: list[tuple[str, str]],
               raters: list[str | None], rounds: int = 2) -> CreatedCampaign:
        """A campaign with one rater per entry of ``raters`` (display names or None), each assigned
        every cell; round 1 opens now. Tokens are returned once and only their hashes kept."""
        name = name.strip()
        problems = []
        if not name or len(name) > MAX_NAME:
            problems.append(Problem("--name", "empty or over 200 characters", "give a short name"))
        if not 1 <= rounds <= 20:
            problems.append(Problem("--rounds", f"{rounds} is not from 1 to 20", "use e.g. 2"))
        if not 1 <= len(raters) <= 10_000:
            problems.append(Problem("--raters", f"{len(raters)} raters", "from 1 to 10000"))
        if not cells:
            problems.append(Problem("--cells", "no cell to rate", "select at least one AREA:FACTOR"))
        if problems:
            raise InputError(problems, title="cannot create the campaign")
        organiser = new_token()
        now = _now()
        invitees = [Invitee(pseudonym(k, len(raters)), display, new_token())
                    for k, display in enumerate(raters)]
        with self._session() as s, s.begin():
            row = CampaignRow(name=name, model_ref=model_ref[:500], model_json=dump_model(model, "json"),
                              rounds_planned=rounds, organiser_token_hash=token_hash(organiser),
                              created=now)
            s.add(row)
            s.flush()
            s.add(RoundRow(campaign_id=row.id, number=1, opened=now))
            rater_rows = [RaterRow(campaign_id=row.id, pseudonym=i.pseudonym, display_name=i.display_name,
                                   token_hash=token_hash(i.token), created=now) for i in invitees]
            s.add_all(rater_rows)
            s.flush()
            s.add_all([AssignmentRow(rater_id=r.id, area=a, factor=f)
                       for r in rater_rows for a, f in cells])
        return CreatedCampaign(row.id, name, organiser, invitees, cells)

    def model(self, campaign_id: int) -> Model:
        """The campaign's frozen copy of its model."""
        with self._session() as s:
            row = s.get(CampaignRow, campaign_id)
            if row is None:
                raise NotFound(campaign_id)
            return model_from_data(json.loads(row.model_json), origin=f"campaign {campaign_id}")

    def _scale(self, campaign_id: int, factor: str) -> tuple[float, float]:
        key = (campaign_id, factor)
        if key not in self._scales:
            self._scales[key] = factor_scale(self.model(campaign_id), factor)
        return self._scales[key]

    def _rater(self, s: Any, token: str) -> RaterRow:
        rater = s.scalar(select(RaterRow).where(RaterRow.token_hash == token_hash(token)))
        if rater is None:
            raise NotFound("token")
        return rater

    def current_round(self, campaign_id: int) -> int:
        """The open round (the newest one)."""
        with self._session() as s:
            number = s.scalar(select(RoundRow.number).where(RoundRow.campaign_id == campaign_id)
                              .order_by(RoundRow.number.desc()).limit(1))
            if number is None:
                raise NotFound(campaign_id)
            return int(number)

    def save_answer(self, token: str, answer: Answer, *, expected_version: int) -> int:
        """Save a rater's answer to an assigned cell in the open round; ``expected_version`` is the
        version the rater last saw (0 for a first answer). Returns the new version; a stale
        ``expected_version`` raises StaleWrite, an unknown token or a cell not assigned NotFound."""
        with self._session() as s, s.begin():
            rater = self._rater(s, token)
            assignment = s.scalar(select(AssignmentRow).where(
                AssignmentRow.rater_id == rater.id, AssignmentRow.area == answer.area,
                AssignmentRow.factor == answer.factor))
            if assignment is None:
                raise NotFound("cell")
            check_answer(answer, self._scale(rater.campaign_id, answer.factor),
                         where=f"{answer.area}:{answer.factor}")
            number = s.scalar(select(RoundRow.number).where(RoundRow.campaign_id == rater.campaign_id)
                              .order_by(RoundRow.number.desc()).limit(1))
            fields = dict(value=answer.value, low=answer.low, high=answer.high,
                          rationale=answer.rationale, not_my_area=answer.not_my_area, updated=_now())
            if expected_version == 0:
                existing = s.scalar(select(AnswerRow.version).where(
                    AnswerRow.assignment_id == assignment.id, AnswerRow.round == number))
                if existing is not None:
                    raise StaleWrite(int(existing))
                s.add(AnswerRow(assignment_id=assignment.id, round=number, version=1, **fields))
                return 1
            # compare and swap: only the version the rater saw is overwritten
            result = s.execute(update(AnswerRow).where(
                AnswerRow.assignment_id == assignment.id, AnswerRow.round == number,
                AnswerRow.version == expected_version).values(version=expected_version + 1, **fields))
            if getattr(result, "rowcount", 0) != 1:
                current = s.scalar(select(AnswerRow.version).where(
                    AnswerRow.assignment_id == assignment.id, AnswerRow.round == number))
                raise StaleWrite(int(current or 0))
            return expected_version + 1

    def close_round(self, campaign_id: int, organiser_token: str) -> int:
        """Close the open round and open the next; returns the new round's number."""
        with self._session() as s, s.begin():
            row = s.get(CampaignRow, campaign_id)
            if row is None or row.organiser_token_hash != token_hash(organiser_token):
                raise NotFound(campaign_id)
            current = s.scalar(select(RoundRow).where(RoundRow.campaign_id == campaign_id)
                               .order_by(RoundRow.number.desc()).limit(1))
            assert current is not None
            now = _now()
            current.closed = now
            s.add(RoundRow(campaign_id=campaign_id, number=current.number + 1, opened=now))
            return current.number + 1

    def answers(self, campaign_id: int) -> list[StoredAnswer]:
        """Every answer of a campaign, every round."""
        with self._session() as s:
            camp = s.get(CampaignRow, campaign_id)
            if camp is None:
                raise NotFound(campaign_id)
            rows = s.execute(
                select(AnswerRow, AssignmentRow, RaterRow)
                .join(AssignmentRow, AnswerRow.assignment_id == AssignmentRow.id)
                .join(RaterRow, AssignmentRow.rater_id == RaterRow.id)
                .where(RaterRow.campaign_id == campaign_id)
                .order_by(RaterRow.pseudonym, AssignmentRow.area, AssignmentRow.factor, AnswerRow.round))
            return [StoredAnswer(campaign_id, camp.name, r.pseudonym, a.round, _iso(a.updated), a.version,
                                 Answer(asg.area, asg.factor, a.value, a.low, a.high, a.rationale,
                                        a.not_my_area))
                    for a, asg, r in rows]
