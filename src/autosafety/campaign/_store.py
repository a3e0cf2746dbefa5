"""CampaignStore: campaigns, raters, assignments, answers and rounds in any SQLAlchemy database
(SQLite by default, in WAL mode), migrated by Alembic. A thin shell over :mod:`._core`."""

from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import sessionmaker

from .._errors import InputError, Problem
from ..model import Model, dump_model, model_from_data
from ..store._scenarios import _engine
from ._core import (
    MAX_NAME,
    Answer,
    StoredAnswer,
    factor_scale,
    new_token,
    pseudonym,
    token_hash,
)
from ._delphi import group_round
from ._tables import AnswerRow, AssignmentRow, CampaignRow, RaterRow, RoundRow


class NotFound(KeyError):
    """No such campaign, or a token that opens nothing (unknown and foreign tokens alike)."""


class RoundClosed(Exception):
    """The campaign's newest round is closed (answers are refused), or a round cannot be closed
    or reopened; the message says why."""


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


@dataclass(frozen=True)
class RoundInfo:
    """One round: its number, when it opened and when it closed (None while open)."""

    number: int
    opened: str
    closed: str | None


@dataclass(frozen=True)
class CampaignInfo:
    """A campaign without its answers: name, model reference, rounds planned and held."""

    id: int
    name: str
    model_ref: str
    rounds_planned: int
    created: str
    rounds: list[RoundInfo]

    @property
    def current(self) -> RoundInfo:
        """The newest round (open unless the campaign is finished or paused)."""
        return self.rounds[-1]


@dataclass(frozen=True)
class RaterInfo:
    """A rater as the organiser sees them: pseudonym, optional display name, assigned cells."""

    pseudonym: str
    display_name: str | None
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


def versioned_write(s: Any, row: Any, where: tuple[Any, ...], fields: dict[str, Any],
                    expected_version: int) -> int:
    """Compare and swap in session ``s``: the ``row`` class's row matching ``where`` gets
    ``fields`` if it is at ``expected_version`` (0: no row yet, one is added with ``where``'s
    keys in ``fields``). Returns the new version; a stale one raises StaleWrite(current)."""
    if expected_version == 0:
        existing = s.scalar(select(row.version).where(*where))
        if existing is not None:
            raise StaleWrite(int(existing))
        s.add(row(version=1, **fields))
        return 1
    result = s.execute(update(row).where(*where, row.version == expected_version)
                       .values(version=expected_version + 1, **fields))
    if getattr(result, "rowcount", 0) != 1:
        raise StaleWrite(int(s.scalar(select(row.version).where(*where)) or 0))
    return expected_version + 1


class CampaignStore:
    """Campaigns in a database; the schema is migrated to the newest revision on open."""

    def __init__(self, url: str, *, engine: Engine | None = None):
        """``engine``: an open engine of ``url`` to share (another store's, already migrated)."""
        self.url = url
        self.engine = engine if engine is not None else _engine(url)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._scales: dict[tuple[int, str], tuple[float, float]] = {}
        self._models: dict[int, Model] = {}
        self._groups: dict[tuple[int, int], dict[Any, Any]] = {}
        self._groups_lock = threading.Lock()

    def closed_round_group(self, campaign_id: int, round: int) -> dict[Any, Any]:
        """The group's answers at the end of a closed round (:func:`._delphi.group_round`),
        computed once per store: a round before the open one never changes."""
        key = (campaign_id, round)
        with self._groups_lock:  # the endpoints run in a thread pool: one computes, the others wait
            if key not in self._groups:
                if len(self._groups) >= 16:
                    self._groups.pop(next(iter(self._groups)))
                self._groups[key] = group_round(self.answers(campaign_id, before_round=round + 1),
                                                round=round, campaign_id=campaign_id)
            return self._groups[key]

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
        """The campaign's frozen copy of its model (kept in memory after the first read)."""
        if campaign_id in self._models:
            return self._models[campaign_id]
        with self._session() as s:
            row = s.get(CampaignRow, campaign_id)
            if row is None:
                raise NotFound(campaign_id)
            model = model_from_data(json.loads(row.model_json), origin=f"campaign {campaign_id}")
        if len(self._models) > 64:
            self._models.clear()
        self._models[campaign_id] = model
        return model

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
        from ._save import Refused, save

        try:  # the hot path, plain SQL on the driver connection: see _save.py
            return save(self.engine, token, answer, expected_version=expected_version,
                        scales=self._scales, load_scale=self._scale)
        except Refused as e:
            if e.kind == "stale":
                raise StaleWrite(e.detail) from None
            if e.kind == "closed":
                raise RoundClosed(f"round {e.detail} is closed: answers are no longer accepted") from None
            raise NotFound(e.kind) from None

    def _organised(self, s: Any, campaign_id: int, organiser_token: str) -> CampaignRow:
        row = s.get(CampaignRow, campaign_id)
        if row is None or row.organiser_token_hash != token_hash(organiser_token):
            raise NotFound(campaign_id)
        return row

    def check_organiser(self, campaign_id: int, organiser_token: str) -> None:
        """Nothing if the token is this campaign's organiser token, else NotFound (the same as for
        a campaign that does not exist)."""
        with self._session() as s:
            self._organised(s, campaign_id, organiser_token)

    def close_round(self, campaign_id: int, organiser_token: str) -> int | None:
        """Close the open round and open the next; returns the new round's number, or None when
        the last planned round was closed (the campaign is finished). RoundClosed if the newest
        round is already closed."""
        with self._session() as s, s.begin():
            row = self._organised(s, campaign_id, organiser_token)
            current = s.scalar(select(RoundRow).where(RoundRow.campaign_id == campaign_id)
                               .order_by(RoundRow.number.desc()).limit(1))
            assert current is not None
            if current.closed is not None:
                raise RoundClosed(f"round {current.number} is already closed and it was the last of "
                                  f"the {row.rounds_planned} planned; reopen it to collect more answers")
            now = _now()
            current.closed = now
            if current.number >= row.rounds_planned:
                return None
            s.add(RoundRow(campaign_id=campaign_id, number=current.number + 1, opened=now))
            return current.number + 1

    def reopen_round(self, campaign_id: int, organiser_token: str) -> int:
        """Reopen the newest round if it is closed (after the last planned round was closed);
        returns its number. RoundClosed if it is open already."""
        with self._session() as s, s.begin():
            self._organised(s, campaign_id, organiser_token)
            current = s.scalar(select(RoundRow).where(RoundRow.campaign_id == campaign_id)
                               .order_by(RoundRow.number.desc()).limit(1))
            assert current is not None
            if current.closed is None:
                raise RoundClosed(f"round {current.number} is open: there is nothing to reopen")
            current.closed = None
            return current.number

    def info(self, campaign_id: int) -> CampaignInfo:
        """The campaign's name, model reference and rounds (NotFound if there is none)."""
        with self._session() as s:
            row = s.get(CampaignRow, campaign_id)
            if row is None:
                raise NotFound(campaign_id)
            return self._info(s, row)

    def _info(self, s: Any, row: CampaignRow) -> CampaignInfo:
        rounds = s.scalars(select(RoundRow).where(RoundRow.campaign_id == row.id)
                           .order_by(RoundRow.number)).all()
        return CampaignInfo(row.id, row.name, row.model_ref, row.rounds_planned, _iso(row.created),
                            [RoundInfo(r.number, _iso(r.opened), _iso(r.closed) if r.closed else None)
                             for r in rounds])

    def rater(self, token: str) -> tuple[CampaignInfo, RaterInfo]:
        """The campaign and the rater a private token opens (NotFound for any other token)."""
        with self._session() as s:
            rater = self._rater(s, token)
            camp = s.get(CampaignRow, rater.campaign_id)
            assert camp is not None
            cells = s.execute(select(AssignmentRow.area, AssignmentRow.factor)
                              .where(AssignmentRow.rater_id == rater.id)
                              .order_by(AssignmentRow.id)).all()
            return self._info(s, camp), RaterInfo(rater.pseudonym, rater.display_name,
                                                  [(a, f) for a, f in cells])

    def raters(self, campaign_id: int) -> list[RaterInfo]:
        """Every rater of a campaign with their assigned cells, by pseudonym."""
        with self._session() as s:
            rows = s.execute(select(RaterRow.pseudonym, RaterRow.display_name, AssignmentRow.area,
                                    AssignmentRow.factor)
                             .join(AssignmentRow, AssignmentRow.rater_id == RaterRow.id)
                             .where(RaterRow.campaign_id == campaign_id)
                             .order_by(RaterRow.pseudonym, AssignmentRow.id)).all()
        out: dict[str, RaterInfo] = {}
        for p, name, area, factor in rows:
            out.setdefault(p, RaterInfo(p, name, [])).cells.append((area, factor))
        return list(out.values())

    def answers(self, campaign_id: int, *, rater: str | None = None,
                before_round: int | None = None) -> list[StoredAnswer]:
        """Every answer of a campaign, every round (or one rater's, or the rounds before one)."""
        with self._session() as s:
            camp = s.get(CampaignRow, campaign_id)
            if camp is None:
                raise NotFound(campaign_id)
            # plain columns, not ORM objects: a 200-rater campaign has tens of thousands of rows
            query = (select(RaterRow.pseudonym, AnswerRow.round, AnswerRow.updated, AnswerRow.version,
                            AssignmentRow.area, AssignmentRow.factor, AnswerRow.value, AnswerRow.low,
                            AnswerRow.high, AnswerRow.rationale, AnswerRow.not_my_area)
                     .join(AssignmentRow, AnswerRow.assignment_id == AssignmentRow.id)
                     .join(RaterRow, AssignmentRow.rater_id == RaterRow.id)
                     .where(RaterRow.campaign_id == campaign_id))
            if rater is not None:
                query = query.where(RaterRow.pseudonym == rater)
            if before_round is not None:
                query = query.where(AnswerRow.round < before_round)
            rows = s.execute(query.order_by(RaterRow.pseudonym, AssignmentRow.area, AssignmentRow.factor,
                                            AnswerRow.round)).all()
            name = camp.name
        return [StoredAnswer(campaign_id, name, who, rnd, _iso(t), version,
                             Answer(area, factor, value, low, high, why, bool(nma)))
                for who, rnd, t, version, area, factor, value, low, high, why, nma in rows]
