"""Reading METR-format run records (JSONL) and model release dates, every problem located.

A run record is one JSON object per line with the fields METR's ``runs.jsonl`` uses
(github.com/METR/eval-analysis-public): ``task_id``, ``task_family``, ``alias`` (or ``model``),
``score_binarized`` (0 or 1) and ``human_minutes`` (> 0). Other fields (``run_id``, weights, ...)
are ignored: weights are recomputed from the records (see ``_horizons_fit.task_weights``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._errors import InputError, Problem

MAX_PROBLEMS = 100
"""Problems listed before the rest are summarised in one line."""


@dataclass(frozen=True, eq=False)
class RunTable:
    """Run records as parallel arrays; names are kept once and referred to by index."""

    source: str
    """Where the records came from (a path)."""
    models: tuple[str, ...]
    families: tuple[str, ...]
    tasks: tuple[str, ...]
    model_index: np.ndarray
    """(runs,) index into ``models``."""
    task_index: np.ndarray
    """(runs,) index into ``tasks``."""
    task_family: np.ndarray
    """(tasks,) index into ``families`` of each task."""
    human_minutes: np.ndarray
    """(runs,) minutes a human needs for the run's task."""
    success: np.ndarray
    """(runs,) 1.0 for a success, 0.0 for a failure."""
    line: np.ndarray
    """(runs,) line of each record in ``source``."""

    def __len__(self) -> int:
        return int(self.success.size)

    @property
    def family_index(self) -> np.ndarray:
        """(runs,) index into ``families`` of each run."""
        return self.task_family[self.task_index]


@dataclass(frozen=True)
class ReleaseDates:
    """Public release date of each model, with the line it was read from."""

    source: str
    dates: dict[str, dt.date]
    lines: dict[str, int]


def decimal_year(day: dt.date) -> float:
    """2025-02-24 -> 2025.148: the year plus the elapsed fraction of it."""
    start = dt.date(day.year, 1, 1).toordinal()
    length = dt.date(day.year + 1, 1, 1).toordinal() - start
    return day.year + (day.toordinal() - start) / length


def _cap(problems: list[Problem], source: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(source, f"... and {rest} more problem(s) like these")]


def _text(record: dict[str, object], field: str, where: str, problems: list[Problem]) -> str | None:
    value = record.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem(f"{where} field {field}", "missing", f"give a non-empty {field}"))
        return None
    if not isinstance(value, str | int):
        problems.append(Problem(f"{where} field {field}", f"expected text, got {value!r}"))
        return None
    return str(value)


def _score(record: dict[str, object], where: str, problems: list[Problem]) -> float | None:
    value = record.get("score_binarized")
    if value is None:
        problems.append(Problem(f"{where} field score_binarized", "missing",
                                "give 1 for a success, 0 for a failure"))
        return None
    if isinstance(value, bool) or (isinstance(value, int | float) and value in (0, 1)):
        return float(value)
    problems.append(Problem(f"{where} field score_binarized", f"{value!r} is not 0 or 1",
                            "binarise the score: 1 for a success, 0 for a failure"))
    return None


def _minutes(record: dict[str, object], where: str, problems: list[Problem]) -> float | None:
    value = record.get("human_minutes")
    if value is None:
        problems.append(Problem(f"{where} field human_minutes", "missing",
                                "give the minutes a skilled human needs for the task"))
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or value <= 0:
        problems.append(Problem(f"{where} field human_minutes", f"{value!r} is not a positive number",
                                "give the minutes a skilled human needs for the task (> 0)"))
        return None
    return float(value)


def _parse_line(text: str, where: str, problems: list[Problem]) -> tuple | None:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as e:
        problems.append(Problem(where, f"not valid JSON ({e.msg} at column {e.colno})",
                                "write one JSON object per line"))
        return None
    if not isinstance(record, dict):
        problems.append(Problem(where, "not a JSON object", "write one JSON object per line"))
        return None
    n_before = len(problems)
    task = _text(record, "task_id", where, problems)
    family = _text(record, "task_family", where, problems)
    name_field = "alias" if record.get("alias") not in (None, "") else "model"
    if name_field == "model" and record.get("model") in (None, ""):
        problems.append(Problem(f"{where} field alias", "missing (and no model field either)",
                                "name the model in alias or model"))
        model = None
    else:
        model = _text(record, name_field, where, problems)
    score = _score(record, where, problems)
    minutes = _minutes(record, where, problems)
    return None if len(problems) > n_before else (model, task, family, score, minutes)


def read_runs(path: str | Path) -> RunTable:
    """Read METR-format run records (JSONL); every bad line and field is reported at once."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(Problem(source, f"cannot read: {e}", "give the path of a runs.jsonl file"),
                         title="cannot read run records") from None
    problems: list[Problem] = []
    rows, lines = [], []
    for n, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            row = _parse_line(raw, f"{source} line {n}", problems)
            if row is not None:
                rows.append(row)
                lines.append(n)
    if not rows and not problems:
        problems.append(Problem(source, "no run records", "write one JSON object per run and line"))
    table = _table(source, rows, lines, problems)
    if problems:
        raise InputError(_cap(problems, source), title=f"invalid run records in {source}")
    assert table is not None
    return table


def _table(source: str, rows: list[tuple], lines: list[int], problems: list[Problem]) -> RunTable | None:
    if not rows:
        return None
    models, tasks, families, scores, minutes = zip(*rows)
    model_names, model_index = np.unique(np.array(models, dtype=object).astype(str), return_inverse=True)
    task_names, task_index = np.unique(np.array(tasks, dtype=object).astype(str), return_inverse=True)
    family_names, family_index = np.unique(np.array(families, dtype=object).astype(str),
                                           return_inverse=True)
    task_family = np.full(task_names.size, -1)
    task_family[task_index] = family_index
    clash = task_family[task_index] != family_index
    line = np.asarray(lines)
    for t in np.unique(task_index[clash]):
        fams = sorted({family_names[f] for f in family_index[task_index == t]})
        first = line[task_index == t][0]
        problems.append(Problem(f"{source} task {task_names[t]}",
                                f"appears in several task families ({', '.join(fams)}), "
                                f"first at line {first}",
                                "give each task_id exactly one task_family"))
    success = np.asarray(scores, dtype=float)
    wins = np.bincount(model_index, weights=success, minlength=model_names.size)
    total = np.bincount(model_index, minlength=model_names.size)
    for m, name in enumerate(model_names):
        if wins[m] in (0, total[m]):
            kind = "no successes" if wins[m] == 0 else "no failures"
            problems.append(Problem(
                f"{source} model {name}",
                f"has {kind} in {total[m]} run(s): a logistic curve of success against task length "
                "cannot be fitted", "drop this model's runs, or add runs on tasks it "
                + ("succeeds at" if wins[m] == 0 else "fails at")))
    return RunTable(source=source, models=tuple(map(str, model_names)),
                    families=tuple(map(str, family_names)), tasks=tuple(map(str, task_names)),
                    model_index=model_index, task_index=task_index,
                    task_family=task_family, human_minutes=np.asarray(minutes, dtype=float),
                    success=success, line=line)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def read_release_dates(path: str | Path) -> ReleaseDates:
    """Read ``model,release_date`` CSV rows (ISO dates); METR's ``release_dates.yaml`` is accepted too."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(Problem(source, f"cannot read: {e}", "give a CSV with model,release_date"),
                         title="cannot read release dates") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        return _release_dates_yaml(source, text)
    problems: list[Problem] = []
    dates: dict[str, dt.date] = {}
    lines: dict[str, int] = {}
    reader = csv.reader(text.splitlines())
    header = [h.strip() for h in next(reader, [])]
    if "model" not in header or "release_date" not in header:
        raise InputError(Problem(f"{source} line 1", f"header is {','.join(header) or 'empty'}",
                                 "start the file with the header model,release_date"),
                         title=f"invalid release dates in {source}")
    mi, di = header.index("model"), header.index("release_date")
    for n, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{source} line {n}"
        model = row[mi].strip() if mi < len(row) else ""
        raw = row[di].strip() if di < len(row) else ""
        day = _parse_date(raw)
        if not model:
            problems.append(Problem(f"{where} field model", "missing", "name the model as in the runs"))
        if day is None:
            problems.append(Problem(f"{where} field release_date", f"'{raw}' is not an ISO date",
                                    "write the date as YYYY-MM-DD"))
        if not model or day is None:
            continue
        if model in dates and dates[model] != day:
            problems.append(Problem(f"{where} field release_date",
                                    f"{model} already dated {dates[model]} on line {lines[model]}",
                                    "give each model one release date"))
            continue
        dates[model], lines[model] = day, n
    if problems:
        raise InputError(_cap(problems, source), title=f"invalid release dates in {source}")
    return ReleaseDates(source=source, dates=dates, lines=lines)


def _release_dates_yaml(source: str, text: str) -> ReleaseDates:
    from .._input import load_yaml

    data = load_yaml(text, origin=source)
    table = data.get("date") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise InputError(Problem(source, "expected a mapping 'date: {model: YYYY-MM-DD}'",
                                 "use METR's release_dates.yaml layout or a model,release_date CSV"))
    problems, dates = [], {}
    for model, value in table.items():
        day = value if isinstance(value, dt.date) else _parse_date(str(value))
        if day is None:
            problems.append(Problem(f"{source} date.{model}", f"'{value}' is not an ISO date",
                                    "write the date as YYYY-MM-DD"))
        else:
            dates[str(model)] = day
    if problems:
        raise InputError(problems, title=f"invalid release dates in {source}")
    return ReleaseDates(source=source, dates=dates, lines=dict.fromkeys(dates, 0))
