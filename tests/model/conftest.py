"""Small models built in code for pooling and scoring tests."""

from typing import Any

import pytest


def make_spec(**overrides: Any) -> dict[str, Any]:
    """A valid two-area, two-factor model as plain data; keyword arguments replace fields."""
    spec: dict[str, Any] = {
        "id": "tiny",
        "scale": {"min": 1, "max": 10},
        "factors": [{"id": "f1", "weight": 1.0}, {"id": "f2", "weight": 3.0}],
        "areas": [{"id": "a1", "category": "safety"}, {"id": "a2", "category": "capabilities"}],
        "raters": [{"id": "me", "kind": "human"}],
        "ratings": [
            {"area": "a1", "factor": "f1", "rater": "me", "value": 2},
            {"area": "a1", "factor": "f2", "rater": "me", "value": 6},
            {"area": "a2", "factor": "f1", "rater": "me", "value": 8},
            {"area": "a2", "factor": "f2", "rater": "me", "value": 4},
        ],
    }
    spec.update(overrides)
    return spec


@pytest.fixture
def tiny_spec() -> dict[str, Any]:
    return make_spec()
