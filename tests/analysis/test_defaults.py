"""Defaults are declared once (autosafety/_defaults.py): the Python functions, the CLI, the web
API and the docs all say the same numbers."""

from __future__ import annotations

import inspect
from pathlib import Path

from autosafety import _defaults as D
from autosafety.analysis import check_claim, monte_carlo, sobol
from autosafety.cli import _analysis_cmds as cmds
from autosafety.web._schemas import MonteCarloRequest

DOCS = (Path(__file__).parents[2] / "docs" / "analysis.md").read_text(encoding="utf-8")


def _default(fn, name):
    value = inspect.signature(fn).parameters[name].default
    return value


def test_python_cli_and_api_share_the_defaults():
    assert (D.RATING_NOISE, D.WEIGHT_CONCENTRATION, D.DRAWS, D.INTERVAL) == (0.1, 20.0, 10_000, 0.9)
    assert _default(monte_carlo, "draws") == _default(check_claim, "draws") == D.DRAWS
    assert _default(check_claim, "weight_concentration") == D.WEIGHT_CONCENTRATION
    assert _default(check_claim, "rating_noise") == D.RATING_NOISE
    assert _default(sobol, "weight_concentration") == D.WEIGHT_CONCENTRATION
    assert _default(cmds.check, "concentration") == D.WEIGHT_CONCENTRATION
    assert _default(cmds.check, "noise") == _default(cmds.mc, "noise") == D.RATING_NOISE
    assert _default(cmds.check, "draws") == _default(cmds.mc, "draws") == D.DRAWS
    assert _default(cmds.sensitivity, "concentration") == D.WEIGHT_CONCENTRATION
    assert MonteCarloRequest.model_fields["rating_noise"].default == D.RATING_NOISE


def test_the_docs_state_the_same_defaults():
    assert f"The default noise is {D.RATING_NOISE:g}" in DOCS
    assert f"(default `c = {D.WEIGHT_CONCENTRATION:g}`)" in DOCS
    assert (f"(default: {D.DRAWS:,} draws, Dirichlet concentration {D.WEIGHT_CONCENTRATION:g}, "
            f"noise {D.RATING_NOISE:g})") in DOCS
