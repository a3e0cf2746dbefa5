"""Timelines: when does each research area's AI speedup reach 10x? The task-level model.

An area is a set of tasks with time shares; the AI time horizon grows along a capability trend
(METR's, by default); a task's success follows METR's logistic form in log task length; the area's
speedup is Amdahl's law over its tasks; the date its speedup reaches the milestone is solved exactly
per Monte Carlo draw. Factor models (the 004 table) come in through a documented bridge.

``simulate(source, ...)`` returns a :class:`TimelineResult` that keeps its inputs.
"""

from ._files import (
                     default_bridge,
                     load_bridge,
                     load_trend,
                     task_model_from_data,
                     task_model_schema,
                     template,
                     trend_presets,
)
from ._presets import ai2027_forecast
from ._result import TimelineResult
from ._sensitivity import sensitivity
from ._simulate import MAX_DRAWS, simulate
from ._spec import BridgeSpec, Quantity, TaskModelSpec, TrendSpec

__all__ = [
    "MAX_DRAWS", "BridgeSpec", "Quantity", "TaskModelSpec", "TimelineResult", "TrendSpec",
    "ai2027_forecast", "default_bridge", "load_bridge", "load_trend", "sensitivity", "simulate",
    "task_model_from_data", "task_model_schema", "template", "trend_presets",
]
