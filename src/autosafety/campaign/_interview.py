"""The interview questionnaire (the 004 post's future-work protocol) and its export to the
timeline's task-level file format. Pure functions, no I/O.

"In your last month of work": which research area, the tasks done with their share of time, for
each task its usual human duration (5/50/95% or a 5-95% interval, with a unit), how much faster
current AI tools make it (5/50/95%), and the characteristics the timeline model needs
(verifiability, compute-bound fraction, review overhead). A draft may be incomplete (the form saves
as the rater types); :func:`interview_problems` says what a complete one still lacks, located.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import InputError, Problem

UNIT_HOURS = {"minutes": 1 / 60, "hours": 1.0, "days": 8.0, "weeks": 40.0, "months": 160.0}
"""Hours of work per duration unit (a working day of 8 hours, a week of 40, a month of 160)."""
TASK_TYPES = {
    "literature": ("Reading the literature", False), "ideation": ("Ideation", True),
    "experiment_design": ("Experiment design", False), "implementation": ("Implementation", False),
    "running_experiments": ("Running experiments", False), "debugging": ("Debugging", False),
    "analysis": ("Analysing results", False), "writing": ("Writing", False),
    "conceptual": ("Conceptual work", True)}
"""The timeline template's task taxonomy: id -> (name, insight work?). Other ids are allowed."""
MAX_TASKS = 30
"""Most tasks in one interview."""
MAX_NAME = 200
"""Longest task name."""
MAX_NOTE = 2000
"""Longest note (per task and per interview)."""
SHARE_TOLERANCE = 0.5
"""Shares of time must sum to 100% within this many percentage points."""
MAX_REVIEW = 2.0
"""Largest review overhead accepted (twice the time of doing the task by hand)."""
MAX_LAG = 50.0
"""Longest adoption lag accepted, in years."""
MAX_QUANTITY = 1e6
"""Largest duration (in its unit) or speedup accepted."""
Z90 = 1.6448536269514722
"""The standard normal's 95% quantile: a 5-95% interval is +-Z90 standard deviations."""
_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


@dataclass(frozen=True)
class Quantiles:
    """5/50/95% quantiles; ``q50`` may be missing for a plain 5-95% interval (duration)."""

    q05: float
    q50: float | None
    q95: float

    def log_normal(self, scale: float = 1.0) -> tuple[float, float]:
        """(mu, sigma) of the log-normal through it (times ``scale``): mu = ln of the median
        (the interval's geometric mean when no median is given), sigma = ln(q95/q05) / (2 x 1.645)."""
        mid = self.q50 if self.q50 is not None else math.sqrt(self.q05 * self.q95)
        return math.log(mid * scale), math.log(self.q95 / self.q05) / (2 * Z90)


@dataclass(frozen=True)
class InterviewTask:
    """One task of an interview; ``None`` marks a question not answered yet."""

    id: str
    name: str
    share: float | None = None
    """Percent of the month's research time."""
    duration_unit: str = "hours"
    duration: Quantiles | None = None
    speedup: Quantiles | None = None
    """How many times faster with current AI tools (1 = no faster)."""
    verifiability: float | None = None
    """0-1: how well success can be checked (1 = a number goes up)."""
    compute_fraction: float | None = None
    """0-1: share of the task's time spent waiting on compute."""
    review_overhead: float | None = None
    """Human time to check AI output, as a share of doing the task by hand."""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as the API takes and gives it."""
        def q(x: Quantiles | None) -> dict[str, float | None] | None:
            return None if x is None else {"q05": x.q05, "q50": x.q50, "q95": x.q95}
        return {"id": self.id, "name": self.name, "share": self.share,
                "duration": None if self.duration is None else {"unit": self.duration_unit,
                                                                **(q(self.duration) or {})},
                "speedup": q(self.speedup), "verifiability": self.verifiability,
                "compute_fraction": self.compute_fraction, "review_overhead": self.review_overhead,
                "note": self.note}


@dataclass(frozen=True)
class Interview:
    """One rater's interview: their area, their tasks, optionally the adoption lag they expect."""

    area: str | None = None
    tasks: tuple[InterviewTask, ...] = ()
    adoption_lag: float | None = None
    """Years between an AI capability existing and its use in the area."""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as the API takes and gives it."""
        return {"area": self.area, "adoption_lag": self.adoption_lag, "note": self.note,
                "tasks": [t.to_dict() for t in self.tasks]}

    @property
    def share_total(self) -> float:
        """The shares of time given so far, in percent."""
        return sum(t.share or 0.0 for t in self.tasks)


def _names(keys: set[Any]) -> list[str]:
    """Unknown field names for messages: at most 10, each cut to 64 characters."""
    return [str(k)[:64] for k in sorted(map(str, keys))[:10]]


def _number(raw: Any, where: str, problems: list[Problem], *, lo: float, hi: float,
            what: str, open_low: bool = False) -> float | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        problems.append(Problem(where, "not a number", f"give {what}"))
        return None
    x = float(raw)
    if x < lo or x > hi or (open_low and x == lo):
        side = ">" if open_low else ">="
        problems.append(Problem(where, f"{x:g} is out of range", f"give {what} ({side} {lo:g}, "
                                f"<= {hi:g})"))
        return None
    return x


def _text(raw: Any, where: str, problems: list[Problem], cap: int) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str) or len(raw) > cap:
        problems.append(Problem(where, f"not text of at most {cap} characters", "shorten it"))
        return ""
    return raw.strip()


def _quantiles(raw: Any, where: str, problems: list[Problem], *, what: str,
               median_needed: bool) -> Quantiles | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append(Problem(where, "expected {q05, q50, q95}", f"give {what} as 5/50/95%"))
        return None
    unknown = set(raw) - {"q05", "q50", "q95", "low", "high", "unit"}
    problems += [Problem(f"{where}.{k}", "unknown field", "use q05, q50, q95")
                 for k in _names(unknown)]
    n = len(problems)
    vals = {k: _number(raw.get(k, raw.get({"q05": "low", "q95": "high"}.get(k, ""))), f"{where}.{k}",
                       problems, lo=0.0, hi=MAX_QUANTITY, what=what, open_low=True)
            for k in ("q05", "q50", "q95")}
    if len(problems) > n:
        return None
    given = [k for k, v in vals.items() if v is not None]
    if not given:
        return None
    ends = vals["q05"] is not None and vals["q95"] is not None
    if not ends or (median_needed and vals["q50"] is None):
        missing = [k for k in ("q05", "q50", "q95") if vals[k] is None and (k != "q50" or median_needed)]
        problems.append(Problem(where, f"{', '.join(missing)} missing",
                                "give 5%, 50% and 95%" if median_needed else "give at least 5% and 95%"))
        return None
    q05, q50, q95 = vals["q05"], vals["q50"], vals["q95"]
    assert q05 is not None and q95 is not None
    if not (q05 < q95 and (q50 is None or q05 < q50 < q95)):
        shown = ", ".join(f"{v:g}" for v in (q05, q50, q95) if v is not None)
        problems.append(Problem(where, f"quantiles {shown} are not strictly increasing",
                                "5% < 50% < 95%"))
        return None
    return Quantiles(q05, q50, q95)


def interview_from_data(data: Any, *, areas: Sequence[str], where: str = "interview") -> Interview:
    """An interview (possibly a draft) from JSON data; every malformed field reported at once
    with its path (InputError). Unanswered questions are ``None``, not errors."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError(Problem(where, "expected an object", "see the API schema at /docs"),
                         title="invalid interview")
    unknown = set(data) - {"area", "tasks", "adoption_lag", "note"}
    problems += [Problem(f"{where}.{k}", "unknown field", "use area, tasks, adoption_lag, note")
                 for k in _names(unknown)]
    area = data.get("area")
    if area is not None and area not in areas:
        problems.append(Problem(f"{where}.area", f"unknown area '{str(area)[:64]}'",
                                f"use one of {', '.join(areas)}"))
        area = None
    lag = _number(data.get("adoption_lag"), f"{where}.adoption_lag", problems, lo=0, hi=MAX_LAG,
                  what="years")
    note = _text(data.get("note"), f"{where}.note", problems, MAX_NOTE)
    raw_tasks = data.get("tasks") or []
    if not isinstance(raw_tasks, list):
        problems.append(Problem(f"{where}.tasks", "expected a list", "give a list of tasks"))
        raw_tasks = []
    if len(raw_tasks) > MAX_TASKS:
        problems.append(Problem(f"{where}.tasks", f"{len(raw_tasks)} tasks, over {MAX_TASKS}",
                                "merge small tasks"))
        raw_tasks = raw_tasks[:MAX_TASKS]
    tasks = []
    seen: set[str] = set()
    for n, t in enumerate(raw_tasks):
        tw = f"{where}.tasks[{n}]"
        if not isinstance(t, dict):
            problems.append(Problem(tw, "expected an object", "give id, share, duration, ..."))
            continue
        unknown = set(t) - {"id", "name", "share", "duration", "speedup", "verifiability",
                            "compute_fraction", "review_overhead", "note"}
        problems += [Problem(f"{tw}.{k}", "unknown field", "see the API schema at /docs")
                     for k in _names(unknown)]
        tid = t.get("id")
        if not isinstance(tid, str) or not _ID.match(tid):
            problems.append(Problem(f"{tw}.id", "missing, or not 1-64 letters, digits, '_', '.', '-'",
                                    f"use one of {', '.join(TASK_TYPES)} or a short id of your own"))
            continue
        if tid in seen:
            problems.append(Problem(f"{tw}.id", f"task '{tid}' is listed twice", "merge the two"))
        seen.add(tid)
        tw = f"{where}.tasks[{n}] ({tid})"
        name = _text(t.get("name"), f"{tw}.name", problems, MAX_NAME) or TASK_TYPES.get(tid, (tid,))[0]
        dur = t.get("duration")
        unit = "hours"
        if isinstance(dur, dict):
            unit = str(dur.get("unit", "hours"))
            if unit not in UNIT_HOURS:
                problems.append(Problem(f"{tw}.duration.unit", f"unknown unit '{unit[:20]}'",
                                        f"use one of {', '.join(UNIT_HOURS)}"))
                unit = "hours"
        tasks.append(InterviewTask(
            id=tid, name=name,
            share=_number(t.get("share"), f"{tw}.share", problems, lo=0, hi=100, open_low=True,
                          what="a percentage of your time"),
            duration_unit=unit,
            duration=_quantiles(dur, f"{tw}.duration", problems, what="a duration", median_needed=False),
            speedup=_quantiles(t.get("speedup"), f"{tw}.speedup", problems, what="a speed-up factor "
                               "(1 = no faster)", median_needed=True),
            verifiability=_number(t.get("verifiability"), f"{tw}.verifiability", problems, lo=0, hi=1,
                                  what="a share from 0 to 1"),
            compute_fraction=_number(t.get("compute_fraction"), f"{tw}.compute_fraction", problems,
                                     lo=0, hi=1, what="a share from 0 to 1"),
            review_overhead=_number(t.get("review_overhead"), f"{tw}.review_overhead", problems, lo=0,
                                    hi=MAX_REVIEW, what="a share of the time by hand"),
            note=_text(t.get("note"), f"{tw}.note", problems, MAX_NOTE)))
    if problems:
        raise InputError(problems, title="invalid interview")
    return Interview(area, tuple(tasks), lag, note)


def interview_problems(interview: Interview, *, where: str = "interview") -> list[Problem]:
    """What a complete interview still lacks, located: the area, a task, the shares summing to
    100% (+-0.5), and per task its share, duration and characteristics. Empty when complete."""
    problems = []
    if interview.area is None:
        problems.append(Problem(f"{where}.area", "no research area chosen", "choose your area"))
    if not interview.tasks:
        problems.append(Problem(f"{where}.tasks", "no task yet", "add the tasks of your last month"))
    elif abs(interview.share_total - 100) > SHARE_TOLERANCE:
        problems.append(Problem(f"{where}.tasks", f"shares of time sum to {interview.share_total:.4g}%, "
                                "not 100%", "make the shares add up to 100% (within 0.5)"))
    for n, t in enumerate(interview.tasks):
        tw = f"{where}.tasks[{n}] ({t.id})"
        for field, what in (("share", "its share of your time"), ("duration", "its usual duration"),
                            ("verifiability", "how well success can be checked"),
                            ("compute_fraction", "its share waiting on compute"),
                            ("review_overhead", "the review time AI output would need")):
            if getattr(t, field) is None:
                problems.append(Problem(f"{tw}.{field}", "not answered", f"give {what}"))
    return problems


def check_interview(interview: Interview, *, where: str = "interview") -> Interview:
    """The interview if complete, else an InputError listing what is missing."""
    if problems := interview_problems(interview, where=where):
        raise InputError(problems, title="incomplete interview")
    return interview


def _pooled_log_normal(qs: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """(median, 5%, 95%) of the log-normal matching the equal mixture of log-normals (mu, sigma):
    mean of mu; variance = mean of sigma^2 + the variance of mu (law of total variance)."""
    m = sum(mu for mu, _ in qs) / len(qs)
    var = sum(s * s + (mu - m) ** 2 for mu, s in qs) / len(qs)
    sd = math.sqrt(var)
    return math.exp(m), math.exp(m - Z90 * sd), math.exp(m + Z90 * sd)


def _spread(values: Sequence[float], unit: str, source: str) -> dict[str, Any]:
    mean = sum(values) / len(values)
    q: dict[str, Any] = {"value": mean, "unit": unit, "kind": "derived", "source": source}
    if max(values) > min(values):
        q.update(low=min(values), high=max(values), note="low/high: the lowest and highest answer")
    return q


def interviews_to_tasks(interviews: Mapping[str, Interview], areas: Sequence[Mapping[str, str]], *,
                        campaign_id: int, campaign: str = "", trend: str = "metr-2025") -> dict[str, Any]:
    """The task-level model (data for :func:`autosafety.timeline.task_model_from_data`) pooled
    from complete interviews (rater pseudonym -> interview) per area:

    - a task's share: the mean over the area's interviewees of their share of time, each
      interviewee's shares first divided by their total (0 for an interviewee who did not do it),
      so an area's shares sum to 1;
    - its duration (hours) and the current AI speed-up: each answer a log-normal (median = the 50%
      answer or the interval's geometric mean, log-sd = ln(95%/5%) / 3.29), pooled as the
      log-normal with the equal mixture's log-mean and log-variance; value = its median, low/high
      = its 5%/95%;
    - verifiability, compute fraction, review overhead and the area's adoption lag: the mean of the
      answers, low/high the lowest and highest answer.

    ``areas``: the campaign model's areas (id, name, category) in order; areas nobody was
    interviewed about are left out.
    """
    by_area: dict[str, list[tuple[str, Interview]]] = {}
    for who, iv in sorted(interviews.items()):
        check_interview(iv, where=f"interview of {who}")
        assert iv.area is not None
        by_area.setdefault(iv.area, []).append((who, iv))
    if not by_area:
        raise InputError(Problem(f"campaign {campaign_id}", "no complete interview",
                                 "wait for raters to complete their interviews"),
                         title="nothing to export")
    out_areas = []
    for area in areas:
        group = by_area.get(area["id"])
        if not group:
            continue
        n = len(group)
        who_all = ", ".join(w for w, _ in group)
        order: dict[str, InterviewTask] = {}
        for _, iv in group:
            for t in iv.tasks:
                order.setdefault(t.id, t)
        tasks = []
        for tid, first in order.items():
            did = [(w, iv.share_total, t) for w, iv in group for t in iv.tasks if t.id == tid]
            source = (f"campaign {campaign_id} interviews ({len(did)} of {n}: "
                      f"{', '.join(w for w, _, _ in did)})")
            share = sum((t.share or 0.0) / total for _, total, t in did) / n
            durs = [t.duration.log_normal(UNIT_HOURS[t.duration_unit]) for _, _, t in did
                    if t.duration is not None]
            med, lo, hi = _pooled_log_normal(durs)
            duration: dict[str, Any] = {"value": med, "low": lo, "high": hi, "unit": "hours",
                                        "kind": "derived", "source": source + ", pooled log-normal"}
            speed = [t.speedup.log_normal() for _, _, t in did if t.speedup is not None]
            if speed:
                s_med, s_lo, s_hi = _pooled_log_normal(speed)
                duration["note"] = (f"current AI tools: {s_med:.3g}x faster (5-95%: {s_lo:.3g}-"
                                    f"{s_hi:.3g}x), {len(speed)} answer(s)")
            task: dict[str, Any] = {"id": tid, "name": first.name, "share": share, "duration": duration}
            for field, unit in (("verifiability", "0-1"), ("compute_fraction", "share of time"),
                                ("review_overhead", "share of the time by hand")):
                task[field] = _spread([float(getattr(t, field)) for _, _, t in did], unit, source)
            if TASK_TYPES.get(tid, ("", False))[1]:
                task["insight"] = True
            tasks.append(task)
        lags = [iv.adoption_lag for _, iv in group if iv.adoption_lag is not None]
        row: dict[str, Any] = {"id": area["id"], "name": area.get("name", area["id"]),
                               "category": area["category"], "tasks": tasks}
        if lags:
            row["adoption_lag"] = _spread(lags, "years", f"campaign {campaign_id} interviews "
                                          f"({len(lags)} of {n}: {who_all})")
        out_areas.append(row)
    cats = list(dict.fromkeys(a["category"] for a in out_areas))
    return {"schema_version": 1, "id": f"campaign-{campaign_id}-interviews",
            "name": f"Interviews of campaign {campaign_id}{f' ({campaign})' if campaign else ''}",
            "description": (f"Task-level model pooled from {sum(len(g) for g in by_area.values())} "
                            "complete interview(s): shares averaged over an area's interviewees, "
                            "durations as the pooled log-normal, characteristics averaged (low/high: "
                            "the range of the answers). See docs/campaigns.md."),
            "trend": trend, "categories": cats, "areas": out_areas}
