"""Loading trends, bridges and task-level files (YAML/JSON), with every problem located."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .._errors import InputError, Problem
from ._spec import BridgeSpec, TaskModelSpec, TrendSpec

S = TypeVar("S", bound=BaseModel)
SHARE_TOLERANCE = 1e-3
"""An area's task shares must sum to 1 within this."""


def _data_text(name: str) -> str:
    return resources.files("autosafety.timeline").joinpath("data", name).read_text("utf-8")


def parse_text(text: str, *, origin: str) -> Any:
    """YAML or JSON text -> plain data through the project's bounded loader (aliases, depth,
    duplicate keys refused), syntax errors located."""
    from .._input import load_yaml

    return load_yaml(text, origin=origin, kind="YAML or JSON")


def validate(cls: type[S], data: Any, *, origin: str, what: str) -> S:
    """A validated spec, or an InputError listing every problem with its field path."""
    from ..model._files import pydantic_problems

    if not isinstance(data, dict):
        raise InputError(Problem(origin, f"expected a mapping at the top level, got "
                                 f"{type(data).__name__}", f"see the {what} format in docs/timeline.md"),
                         title=f"{origin} is not a valid {what}")
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        raise InputError(pydantic_problems(e, origin), title=f"{origin} is not a valid {what}") from None


def _read(path: Path) -> Any:
    from ..model import read_text

    return parse_text(read_text(path), origin=str(path))


@cache
def trend_presets() -> dict[str, TrendSpec]:
    """The built-in capability trends by name."""
    data = yaml.safe_load(_data_text("trends.yaml"))
    return {k: TrendSpec.model_validate({"id": k, **v}) for k, v in data.items()}


def load_trend(trend: str | Path | TrendSpec | None) -> TrendSpec:
    """A trend preset by name, a trend file, or a spec as it is (None: 'metr-2025')."""
    if isinstance(trend, TrendSpec):
        return trend
    presets = trend_presets()
    if trend is None or (isinstance(trend, str) and trend in presets):
        return presets[trend or "metr-2025"]
    path = Path(trend)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(Problem(f"--trend {trend}", "neither a trend preset nor a YAML/JSON file",
                                 f"use one of {', '.join(presets)} or a file"))
    return validate(TrendSpec, _read(path), origin=str(path), what="trend")


@cache
def default_bridge() -> BridgeSpec:
    """The built-in bridge from factor ratings to tasks."""
    return BridgeSpec.model_validate(yaml.safe_load(_data_text("bridge.yaml")))


def load_bridge(path: Path | BridgeSpec | None) -> BridgeSpec:
    """The bridge in a YAML/JSON file, or the built-in one."""
    if path is None:
        return default_bridge()
    if isinstance(path, BridgeSpec):
        return path
    return validate(BridgeSpec, _read(path), origin=str(path), what="bridge")


def task_model_from_data(data: Any, *, origin: str = "tasks") -> TaskModelSpec:
    """A validated task-level model; shares, ids and intervals checked with their locations."""
    spec = validate(TaskModelSpec, data, origin=origin, what="task-level model")
    problems = []
    seen: set[str] = set()
    for i, area in enumerate(spec.areas):
        where = f"{origin}: areas[{i}] ({area.id})"
        if area.id in seen:
            problems.append(Problem(where, f"duplicate area id '{area.id}'", "give each area its own id"))
        seen.add(area.id)
        total = sum(t.share for t in area.tasks)
        if abs(total - 1) > SHARE_TOLERANCE:
            problems.append(Problem(f"{where}.tasks", f"task shares sum to {total:.4g}, not 1",
                                    "make the shares of the area's tasks add up to 1"))
        ids = [t.id for t in area.tasks]
        for dup in sorted({x for x in ids if ids.count(x) > 1}):
            problems.append(Problem(f"{where}.tasks", f"duplicate task id '{dup}'", "rename one"))
        for j, t in enumerate(area.tasks):
            tw = f"{where}.tasks[{j}] ({t.id})"
            d = t.duration
            if d.value <= 0 or (d.low is not None and d.low <= 0):
                problems.append(Problem(f"{tw}.duration", "durations must be > 0 hours",
                                        "give a positive duration and interval"))
            for name in ("verifiability", "compute_fraction"):
                q = getattr(t, name)
                if not all(0 <= v <= 1 for v in (q.value, q.low or 0, q.high or 0)):
                    problems.append(Problem(f"{tw}.{name}", "must lie in [0, 1]",
                                            "give a share between 0 and 1"))
            r = t.review_overhead
            if min(r.value, r.low or 0) < 0:
                problems.append(Problem(f"{tw}.review_overhead", "must be >= 0", "give a share >= 0"))
        if min(area.adoption_lag.value, area.adoption_lag.low or 0) < 0:
            problems.append(Problem(f"{where}.adoption_lag", "must be >= 0 years", "give a lag >= 0"))
    sp = spec.settings
    if sp.ai_speed.value <= 0 or (sp.ai_speed.low is not None and sp.ai_speed.low <= 0):
        problems.append(Problem(f"{origin}: settings.ai_speed", "must be > 0", "give a positive speed"))
    if isinstance(spec.trend, str) and spec.trend not in trend_presets():
        problems.append(Problem(f"{origin}: trend", f"unknown trend preset '{spec.trend}'",
                                f"use one of {', '.join(trend_presets())} or write the trend out"))
    unknown_cats = [c for c in spec.categories if c not in {a.category for a in spec.areas}]
    problems += [Problem(f"{origin}: categories", f"no area is in category '{c}'", "remove it")
                 for c in unknown_cats]
    if problems:
        raise InputError(problems, title=f"{origin} is not a valid task-level model")
    return spec


def is_task_model(data: Any) -> bool:
    """True if parsed data looks like a task-level file (areas with tasks)."""
    areas = data.get("areas") if isinstance(data, dict) else None
    return isinstance(areas, list) and any(isinstance(a, dict) and "tasks" in a for a in areas)


def read_source(path: Path) -> tuple[str, Any]:
    """('tasks', TaskModelSpec) or ('model', factor Model) from a file."""
    from ..model import load_model

    if path.suffix.lower() in (".yaml", ".yml", ".json") and path.is_file():
        data = _read(path)
        if is_task_model(data):
            return "tasks", task_model_from_data(data, origin=str(path))
    return "model", load_model(path)


def task_model_schema() -> dict[str, Any]:
    """JSON Schema of the task-level file format."""
    return TaskModelSpec.model_json_schema()


def template() -> str:
    """A commented task-level template with the task taxonomy, for interviews to fill."""
    return _data_text("template.yaml")


def dumps_schema() -> str:
    """The schema as indented JSON text."""
    return json.dumps(task_model_schema(), indent=2)
