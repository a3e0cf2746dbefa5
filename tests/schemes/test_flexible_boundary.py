"""The 'flexible research environment' rule at its boundary: four kinds of action is flexible."""

from __future__ import annotations

import pytest

from autosafety.schemes import features, scheme_from_data

ACTIONS = ["generate_data", "sample_models", "run_experiments", "set_experiment_parameters",
           "launch_training_jobs"]


@pytest.mark.parametrize("n, flexible", [(3, False), (4, True), (5, True)])
def test_four_kinds_of_action_make_the_environment_flexible(n, flexible):
    scheme = scheme_from_data({
        "name": "boundary", "algorithm": {"written_by": "ai"},
        "controller": {"model": "controller-model", "may": ACTIONS[:n]},
        "evaluation": {"experiments": [{"id": "bench", "type": "existing_datasets"}]},
        "oversight": {"humans_check": "empirical_results", "checkers": ["team"]}})
    got = features(scheme).get("flexible_environment", [])
    assert got == ([f"controller.may lists {n} kinds of action"] if flexible else [])
