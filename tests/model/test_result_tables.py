"""A score result as plain data, a data frame, text and HTML, on a model small enough to score by hand.

Weights f1 = 1, f2 = 3 (so 1/4 and 3/4). Ratings: a1 (2, 6) -> 5, a2 (8, 4) -> 5, a3 (10, 8) -> 8.5.
So a3 ranks 1, and a1, a2 tie at rank 2 (a1 first: file order). Safety (a1, a3) averages 6.75,
capabilities (a2) 5. A second rater rated only a3 on f1 (10, as the first): a3 has 3 of 4 cells
rated, a1 and a2 2 of 4.
"""

import pandas as pd

from autosafety.model import model_from_data


def _result():
    ratings = [("a1", 2, 6), ("a2", 8, 4), ("a3", 10, 8)]
    return model_from_data({
        "id": "tiny", "name": "Tiny <model>",
        "factors": [{"id": "f1", "weight": 1.0}, {"id": "f2", "weight": 3.0}],
        "areas": [{"id": "a1", "name": "Alpha & Co", "category": "safety"},
                  {"id": "a2", "category": "capabilities"},
                  {"id": "a3", "name": "Gamma", "category": "safety"}],
        "raters": [{"id": "me"}, {"id": "you"}],
        "ratings": [{"area": a, "factor": f, "rater": "me", "value": v}
                    for a, v1, v2 in ratings for f, v in (("f1", v1), ("f2", v2))]
                   + [{"area": "a3", "factor": "f1", "rater": "you", "value": 10}],
    }).score()


def test_to_dict_lists_areas_by_rank_with_ties_and_coverage():
    assert _result().to_dict() == {
        "model": "tiny",
        "pooling": "mean",
        "areas": [
            {"id": "a3", "name": "Gamma", "category": "safety", "score": 8.5, "rank": 1,
             "tied": False, "coverage": 0.75},
            {"id": "a1", "name": "Alpha & Co", "category": "safety", "score": 5.0, "rank": 2,
             "tied": True, "coverage": 0.5},
            {"id": "a2", "name": "a2", "category": "capabilities", "score": 5.0, "rank": 2,
             "tied": True, "coverage": 0.5},
        ],
        "categories": {"safety": 6.75, "capabilities": 5.0},
        "gaps": {"capabilities - safety": -1.75},
        "weights": {"f1": 1.0, "f2": 3.0},
        "overrides": {"weights": {}, "ratings": {}},
    }


def test_to_frame_has_one_row_per_area_by_rank_then_the_pooled_ratings():
    frame = _result().to_frame()
    assert list(frame.columns) == ["name", "category", "score", "rank", "f1", "f2"]
    assert frame.index.name == "area"
    assert list(frame.index) == ["a3", "a1", "a2"]
    assert frame.to_numpy().tolist() == [
        ["Gamma", "safety", 8.5, 1, 10.0, 8.0],
        ["Alpha & Co", "safety", 5.0, 2, 2.0, 6.0],
        ["a2", "capabilities", 5.0, 2, 8.0, 4.0],
    ]
    assert pd.api.types.is_integer_dtype(frame["rank"])


def test_repr_is_the_ranked_table_with_tie_marks_and_averages():
    assert repr(_result()) == "\n".join([
        "ScoreResult('tiny', pooling='mean')",
        "    1    8.50  Gamma [safety]",
        "    2=   5.00  Alpha & Co [safety]",
        "    2=   5.00  a2 [capabilities]",
        "  safety: 6.75",
        "  capabilities: 5.00",
        "  gap capabilities - safety: -1.75",
    ])


def test_html_is_the_ranked_table_escaped_with_tie_marks_and_averages():
    assert _result()._repr_html_() == (
        "<table><caption>Tiny &lt;model&gt;</caption>"
        "<tr><th>rank</th><th>area</th><th>category</th><th>score</th></tr>"
        "<tr><td>1</td><td>Gamma</td><td>safety</td><td>8.50</td></tr>"
        "<tr><td>2=</td><td>Alpha &amp; Co</td><td>safety</td><td>5.00</td></tr>"
        "<tr><td>2=</td><td>a2</td><td>capabilities</td><td>5.00</td></tr>"
        "<tr><td></td><td><b>safety average</b></td><td></td><td>6.75</td></tr>"
        "<tr><td></td><td><b>capabilities average</b></td><td></td><td>5.00</td></tr>"
        "</table>")
