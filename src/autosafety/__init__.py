"""autosafety: which AI research will be automated first, and can an automated-safety plan be trusted?

The Python API mirrors the CLI: ``load_model(name_or_path).score(...)``.
"""

from ._errors import InputError, Problem
from .model import Model, ScoreResult, datasets, load_model

__all__ = ["InputError", "Model", "Problem", "ScoreResult", "datasets", "load_model"]
__version__ = "0.1.0"
