"""Defaults of the uncertainty analysis (autosafety.analysis), declared once: the Python
functions, the CLI options, the web API's request schemas and the docs all read them from here.
Nothing heavy is imported, so ``autosafety --help`` stays fast."""

from __future__ import annotations

RATING_NOISE = 0.1
"""Sd of a rating that has no interval of its own, as a share of its factor's scale range."""
WEIGHT_CONCENTRATION = 20.0
"""Dirichlet concentration of weight draws around the point weights where a command draws weights
by default (``check``, ``check_claim``, Sobol): alpha = concentration x normalised weights, so each
normalised weight w has sd sqrt(w (1 - w) / 21)."""
DRAWS = 10_000
"""Monte Carlo draws of the CLI and the Python functions."""
INTERVAL = 0.9
"""Central probability of the score and gap intervals Monte Carlo reports."""
SOBOL_N = 4096
"""Base sample size N of Sobol indices (Saltelli: N (2D + 2) model runs)."""
MAX_DRAWS = 100_000_000
"""Largest number of Monte Carlo draws accepted (memory is bounded; time is not)."""
