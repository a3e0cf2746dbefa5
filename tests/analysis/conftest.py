"""Random and built-in models for the analysis tests."""

from __future__ import annotations

import numpy as np
import pytest

from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating, load_model


def random_model(seed: int, *, areas: int = 6, factors: int = 4, raters: int = 1,
                 categories: int = 2, integer: bool = False, interval: float = 0.0) -> Model:
    """A model on a 1-10 scale with random weights and ratings (optionally with intervals)."""
    rng = np.random.default_rng(seed)
    cats = [f"c{i}" for i in range(categories)]
    spec = ModelSpec(
        id=f"random-{seed}", categories=cats,
        factors=[Factor(id=f"f{j}", weight=float(rng.uniform(0.2, 3))) for j in range(factors)],
        areas=[Area(id=f"a{i}", category=cats[i % categories]) for i in range(areas)],
        raters=[Rater(id=f"r{k}") for k in range(raters)],
        ratings=[_rating(rng, i, j, k, integer, interval) for i in range(areas)
                 for j in range(factors) for k in range(raters)])
    return Model(spec)


def _rating(rng: np.random.Generator, i: int, j: int, k: int, integer: bool,
            interval: float) -> Rating:
    v = float(rng.integers(1, 11)) if integer else float(rng.uniform(1, 10))
    extra = {}
    if interval:
        extra = {"low": max(1.0, v - interval), "high": min(10.0, v + interval), "credibility": 0.8}
    return Rating(area=f"a{i}", factor=f"f{j}", rater=f"r{k}", value=v, **extra)


@pytest.fixture(scope="session")
def wehner() -> Model:
    return load_model("wehner-2026")


@pytest.fixture(scope="session")
def fields() -> Model:
    return load_model("safety-fields-2026")


