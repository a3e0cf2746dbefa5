"""Robustness of a model's conclusions: Monte Carlo, flip thresholds, sensitivity, implied weights."""

from ._montecarlo import MonteCarloResult, monte_carlo
from ._plan import MAX_DRAWS, Scenario

__all__ = ["MAX_DRAWS", "MonteCarloResult", "Scenario", "monte_carlo"]
