"""autosafety: which AI research will be automated first, and can an automated-safety plan be trusted?

The Python API mirrors the CLI: ``load_model(name_or_path).score(...)``. Names are imported lazily so
that the command line starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import InputError, Problem

if TYPE_CHECKING:
    from .model import Model, ScoreResult, datasets, load_model

__all__ = ["InputError", "Model", "Problem", "ScoreResult", "datasets", "load_model"]
__version__ = "0.1.0"

_LAZY = {"Model", "ScoreResult", "datasets", "load_model"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'autosafety' has no attribute {name!r}")
