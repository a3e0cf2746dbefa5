"""Every cross-reference check of a model file (model/_check.py) through `autosafety validate`:
exit status 2, the problem located by field path, no traceback."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

BASE: dict[str, Any] = {
    "id": "small", "categories": ["safety", "capabilities"],
    "factors": [{"id": "f", "weight": 1}, {"id": "g", "weight": 1}],
    "areas": [{"id": "a", "category": "safety"}, {"id": "b", "category": "capabilities"}],
    "raters": [{"id": "r"}],
    "ratings": [{"area": x, "factor": y, "rater": "r", "value": 5} for x in "ab" for y in "fg"],
}


def _edit(change):
    data = copy.deepcopy(BASE)
    change(data)
    return data


CASES = [
    (lambda d: d["ratings"].append(dict(d["ratings"][0], value=6)),
     "ratings[4]: second rating of (a, f) by 'r'"),
    (lambda d: d["ratings"][0].update(low=4, high=6),
     "ratings[0].credibility: an interval needs its credibility"),
    (lambda d: d["ratings"][0].update(low=6, high=8, credibility=0.8),
     "ratings[0].value: value 5 lies outside its interval [6, 8]"),
    (lambda d: d["ratings"][0].update(low=7, high=6, credibility=0.8),
     "ratings[0]: low (7) is above high (6)"),
    (lambda d: d["ratings"][0].update(low=4),
     "ratings[0]: an interval needs both low and high"),
    (lambda d: d["raters"][0].update(group="llms"), "raters[0].group: unknown group 'llms'"),
    (lambda d: d["categories"].append("governance"),
     "categories[2]: category 'governance' has no areas"),
    (lambda d: d.update(stated_ranking={"order": ["a", "mars"]}),
     "stated_ranking.order[1]: unknown area 'mars'"),
    (lambda d: d.update(stated_ranking={"order": ["a", "b", "a"]}),
     "stated_ranking.order: area 'a' is listed 2 times"),
    (lambda d: d["factors"].append({"id": "f"}), "factors[2].id: duplicate factor id 'f'"),
    (lambda d: [f.update(weight=0) for f in d["factors"]], "factors: all factor weights are zero"),
    (lambda d: d["ratings"].pop(), "ratings: area 'b' has no rating on factor 'g'"),
    (lambda d: d["ratings"][0].update(value=11), "ratings[0].value: 11 is outside the scale 1-10"),
]


@pytest.mark.parametrize("change, expected", CASES)
def test_each_check_is_reported_with_its_location(cli, tmp_path, change, expected):
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(_edit(change)))
    run = cli("validate", str(path))
    assert run.code == 2, (run.out, run.err)
    assert f"{path}: {expected}" in run.err and "Traceback" not in run.err


def test_the_unchanged_file_is_valid(cli, tmp_path):
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(BASE))
    assert cli("validate", str(path)).code == 0
