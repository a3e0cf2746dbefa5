"""Robustness of a model's conclusions: Monte Carlo, flip thresholds, sensitivity, implied weights.

Every function takes a :class:`autosafety.model.Model` and returns a result object that keeps its
inputs (model, seed, settings) and has ``to_dict()`` (JSON-safe) and, where tabular, ``to_frame()``.
Plotly figure dicts for all of them are in :mod:`autosafety.analysis.figures`.
"""

from .._defaults import DRAWS, INTERVAL, MAX_DRAWS, RATING_NOISE, SOBOL_N, WEIGHT_CONCENTRATION
from . import figures
from ._claims import Claim, ClaimCheck, check_claim, parse_claim
from ._distance import WeightChange, smallest_change
from ._flips import FlipResult, flip_thresholds, thresholds
from ._implied import ImpliedWeights, implied_weights
from ._montecarlo import MonteCarloResult, monte_carlo
from ._plan import DEFAULT_RATING_SD
from ._sampling import dirichlet, simulate, two_piece_normal
from ._scenario import Scenario, load_scenarios
from ._sobol import SobolResult, sobol
from ._sweeps import Comparison, TornadoResult, add_factor, leave_one_out, tornado

__all__ = [
    "DEFAULT_RATING_SD", "DRAWS", "INTERVAL", "MAX_DRAWS", "RATING_NOISE", "SOBOL_N",
    "WEIGHT_CONCENTRATION", "Claim", "ClaimCheck", "Comparison", "FlipResult",
    "ImpliedWeights", "MonteCarloResult", "Scenario", "SobolResult", "TornadoResult",
    "WeightChange", "add_factor", "check_claim", "dirichlet", "figures", "flip_thresholds",
    "implied_weights", "leave_one_out", "load_scenarios", "monte_carlo", "parse_claim", "simulate",
    "smallest_change", "sobol", "thresholds", "tornado", "two_piece_normal",
]
