"""Claims in words: how each kind reads back, how claim text is parsed (and refused, word for word),
and the verdict of check_claim on small models whose probabilities and flips are worked out by hand
(a Beta law for two Dirichlet weights, a normal law for rating noise) or by brute force."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest
from scipy import stats

from autosafety._errors import InputError
from autosafety.analysis import check_claim, parse_claim
from autosafety.analysis._claims import Claim
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating, _core

from .conftest import random_model


def table_model(model_id: str, rows: dict[str, tuple[str, tuple[float, ...]]], *,
                names: dict[str, str] | None = None, factor_names: tuple[str, ...] = (),
                weights: tuple[float, ...] = ()) -> Model:
    """One rater; rows: area -> (category, ratings of f0, f1, ...)."""
    n = len(next(iter(rows.values()))[1])
    fnames = factor_names or ("",) * n
    ws = weights or (1.0,) * n
    spec = ModelSpec(
        id=model_id, categories=list(dict.fromkeys(c for c, _ in rows.values())),
        factors=[Factor(id=f"f{j}", name=fnames[j], weight=ws[j]) for j in range(n)],
        areas=[Area(id=a, name=(names or {}).get(a, ""), category=c) for a, (c, _) in rows.items()],
        raters=[Rater(id="r")],
        ratings=[Rating(area=a, factor=f"f{j}", rater="r", value=v)
                 for a, (_, vals) in rows.items() for j, v in enumerate(vals)])
    return Model(spec)


def tri() -> Model:
    """Two equal weights; with w = the normalised weight of f0 (f1 has 1 - w):
    a = 1 + 8w, b = 6 - 4w, c = 4.5; categories p = {a, c}, q = {b}.
    a > b iff w > 5/12; a > c iff w > 7/16; c > b iff w > 3/8; mean(p) > q iff w > 13/32."""
    return table_model("tri", {"a": ("p", (9, 1)), "b": ("q", (2, 6)), "c": ("p", (4.5, 4.5))},
                       factor_names=("Alpha", ""))


def hand_names() -> Model:
    return table_model("named", {"a0": ("x", (5, 5)), "a1": ("y", (6, 6)), "a2": ("x", (7, 7))},
                       names={"a1": "Area One"})


W = stats.beta(10, 10)  # the share of f0 under the default Dirichlet (20 x (1/2, 1/2))
DRAWS = 4000


def within_mc(p_mc: float, p_true: float, draws: int) -> bool:
    return abs(p_mc - p_true) <= 4.5 * math.sqrt(p_true * (1 - p_true) / draws)


# -- describe ------------------------------------------------------------------------------------

@pytest.mark.parametrize("claim, words", [
    (Claim("t", "top", "a1", k=2), "a1 is in the top 2"),
    (Claim("t", "category", "x", "y"), "the average of x scores above the average of y"),
    (Claim("t", "areas", "a0", "a2"), "a0 scores above a2"),
])
def test_describe(claim, words):
    assert claim.describe() == words


# -- parsing --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, higher, lower, k", [
    ("'Area One' > a0", "areas", "a1", "a0", 0),
    ('"area one" above A0', "areas", "a1", "a0", 0),
    ("A1 > a0", "areas", "a1", "a0", 0),
    ("a2 < a0", "areas", "a0", "a2", 0),
    ("a2 below a0", "areas", "a0", "a2", 0),
    ("a2 ranks after a0", "areas", "a0", "a2", 0),
    ("a2 scores lower than a0", "areas", "a0", "a2", 0),
    ("a2 comes before a0", "areas", "a2", "a0", 0),
    ("a2 higher than a0", "areas", "a2", "a0", 0),
    ("X > y", "category", "x", "y", 0),
    ("y BELOW x", "category", "x", "y", 0),
    ("Area One in top 1", "top", "a1", "", 1),
    ("a0 is in the top 3", "top", "a0", "", 3),
    ("A2 top-2", "top", "a2", "", 2),
])
def test_parse(text, kind, higher, lower, k):
    c = parse_claim(hand_names(), text)
    assert c == Claim(text, kind, higher, lower, k)


NAMES = "use categories: x, y; areas: a0, a1, a2"


@pytest.mark.parametrize("text, title, expected", [
    ("hello world", "invalid input",
     [("claim 'hello world'", "not a claim I can check", "write 'X > Y', 'X above Y' or 'AREA in top K'")]),
    ("mars > x", "invalid claim", [("claim 'mars > x'", "unknown name 'mars'", NAMES)]),
    ("a0 > venus", "invalid claim", [("claim 'a0 > venus'", "unknown name 'venus'", NAMES)]),
    ("mars > venus", "invalid claim", [("claim 'mars > venus'", "unknown name 'mars'", NAMES),
                                       ("claim 'mars > venus'", "unknown name 'venus'", NAMES)]),
    ("x > a0", "invalid input",
     [("claim 'x > a0'", "compares a category with an area", "compare two categories or two areas")]),
    ("a0 > A0", "invalid input",
     [("claim 'a0 > A0'", "compares a name with itself", "name two different categories or areas")]),
    ("x in top 1", "invalid input", [("claim 'x in top 1'", "'x' is not an area", NAMES)]),
    ("mars in top 1", "invalid input", [("claim 'mars in top 1'", "'mars' is not an area", NAMES)]),
    ("a0 in top 4", "invalid input", [("claim 'a0 in top 4'", "top 4 is out of range", "use 1 to 3")]),
    ("a0 in top 0", "invalid input", [("claim 'a0 in top 0'", "top 0 is out of range", "use 1 to 3")]),
])
def test_refused_claims(text, title, expected):
    with pytest.raises(InputError) as e:
        parse_claim(hand_names(), text)
    assert e.value.title == title
    assert [(p.location, p.message, p.fix) for p in e.value.problems] == expected


# -- check_claim: areas and categories ------------------------------------------------------------

def test_an_area_claim_that_holds():
    res = check_claim(tri(), "a > b", draws=DRAWS, rating_noise=False)
    assert (res.holds, res.value) == (True, 1.0)
    assert within_mc(res.probability, W.sf(5 / 12), DRAWS)
    assert res.se == pytest.approx(math.sqrt(res.probability * (1 - res.probability) / DRAWS), rel=1e-12)
    # f0 alone: its share x / (x + 1) reaches 5/12 at x = 5/7; f1 alone would need 7/5
    assert res.nearest_flip["factor"] == "f0"
    assert res.nearest_flip["threshold"] == pytest.approx(5 / 7, rel=1e-12)
    # on the line of two shares the only tie is (5/12, 7/12)
    ch = res.smallest_change
    assert (ch["conclusion"], ch["possible"]) == ("a > b", True)
    assert ch["size"] == pytest.approx(math.sqrt(2) / 12, abs=1e-6)
    assert ch["weights"] == pytest.approx({"f0": 10 / 12, "f1": 14 / 12}, abs=1e-6)


def test_an_area_claim_that_fails_reports_the_change_for_the_order_that_holds():
    res = check_claim(tri(), "b > a", draws=DRAWS, rating_noise=False)
    assert (res.holds, res.value) == (False, -1.0)
    assert within_mc(res.probability, W.cdf(5 / 12), DRAWS)
    assert res.nearest_flip["threshold"] == pytest.approx(5 / 7, rel=1e-12)
    assert res.smallest_change["conclusion"] == "a > b"
    assert res.smallest_change["weights"] == pytest.approx({"f0": 10 / 12, "f1": 14 / 12}, abs=1e-6)


def test_a_category_claim():
    res = check_claim(tri(), "p > q", draws=DRAWS, rating_noise=False)
    assert res.holds is True
    assert res.value == pytest.approx(0.75, abs=1e-12)  # (5 + 4.5) / 2 - 4
    assert within_mc(res.probability, W.sf(13 / 32), DRAWS)
    # mean(p) - q = 8w - 13/4: f0 alone ties at x / (x + 1) = 13/32, x = 13/19
    assert res.nearest_flip["factor"] == "f0"
    assert res.nearest_flip["threshold"] == pytest.approx(13 / 19, rel=1e-12)
    assert res.smallest_change["conclusion"] == "p > q"
    assert res.smallest_change["weights"] == pytest.approx({"f0": 26 / 32, "f1": 38 / 32}, abs=1e-6)
    failing = check_claim(tri(), "q > p", draws=DRAWS, rating_noise=False)
    assert failing.holds is False and failing.value == pytest.approx(-0.75, abs=1e-12)
    assert within_mc(failing.probability, W.cdf(13 / 32), DRAWS)
    assert failing.smallest_change["conclusion"] == "p > q"


def test_a_category_of_two_areas_is_their_mean():
    """Category x = {a0: 5, a2: 7} averages 6 = y; a one-point lead flips the verdict."""
    tie = check_claim(hand_names(), "x > y", draws=200, rating_noise=False)
    assert (tie.holds, tie.value, tie.smallest_change) == (False, 0.0, None)
    m = table_model("two", {"a0": ("x", (5, 5)), "a1": ("y", (6, 6)), "a2": ("x", (9, 9))})
    lead = check_claim(m, "x > y", draws=200, rating_noise=False)
    assert (lead.holds, lead.value, lead.probability, lead.se) == (True, 1.0, 1.0, 0.0)
    assert lead.smallest_change["possible"] is False  # every factor favours x
    assert check_claim(m, "y > x", draws=200, rating_noise=False).probability == 0.0


def test_rating_noise_by_default_on_one_factor():
    """One factor: the weights cannot vary; B - A ~ N(1, 2 x 0.9^2) with the default noise 0.1 x 9."""
    m = table_model("one", {"A": ("p", (5,)), "B": ("q", (6,))})
    res = check_claim(m, "B > A", draws=DRAWS)
    assert within_mc(res.probability, NormalDist(1, 0.9 * math.sqrt(2)).cdf(0) * -1 + 1, DRAWS)
    assert res.to_dict() == {
        "model": "one", "claim": "B > A", "reads_as": "B scores above A", "holds": True, "value": 1.0,
        "probability": res.probability, "se": math.sqrt(res.probability * (1 - res.probability) / DRAWS),
        "draws": DRAWS, "seed": 0, "nearest_flip": None,
        "smallest_change": {"model": "one", "conclusion": "B > A", "distance": "l2", "possible": False,
                            "size": None, "weights": None, "share_change": None}}
    seeded = check_claim(m, "B > A", draws=DRAWS, seed=7, rating_noise=0.0)
    assert (seeded.probability, seeded.mc.seed, seeded.to_dict()["seed"]) == (1.0, 7, 7)


def test_other_options_reach_the_monte_carlo():
    """A scenario that lifts A above B half the time, nothing else random."""
    from autosafety.analysis import Scenario

    m = table_model("one", {"A": ("p", (5,)), "B": ("q", (6,))})
    scen = [Scenario(name="up", probability=0.5, ratings={("A", "f0"): 9}),
            Scenario(name="flat", probability=0.5)]
    res = check_claim(m, "A > B", draws=DRAWS, rating_noise=False, scenarios=scen)
    assert res.holds is False
    assert within_mc(res.probability, 0.5, DRAWS)
    assert res.mc.settings["scenarios"] == [s.to_dict() for s in scen]


@pytest.mark.parametrize("a, b, holds", [(2e-9, 0.0, True), (0.0, 7e-10, False)])
def test_a_lead_just_above_the_tie_precision_counts(a, b, holds):
    """Scores are compared to 9 decimals: a lead of 2e-9 counts."""
    spec = ModelSpec(id="tiny", scale={"min": 0, "max": 10}, categories=["p"],
                     factors=[Factor(id="f0")],
                     areas=[Area(id="A", category="p"), Area(id="B", category="p")],
                     raters=[Rater(id="r")],
                     ratings=[Rating(area="A", factor="f0", rater="r", value=a),
                              Rating(area="B", factor="f0", rater="r", value=b)])
    res = check_claim(Model(spec), "A > B", draws=10, rating_noise=False)
    assert res.value == pytest.approx(a - b, rel=1e-6)
    assert res.holds is holds


def test_weights_given_replace_the_model_weights():
    """With f0 at 1/3 (raw 0.5 against 1): a = 1 + 8/3, b = 6 - 4/3, a - b = -1."""
    res = check_claim(tri(), "a > b", weights={"f0": 0.5}, draws=200, rating_noise=False,
                      weight_concentration=None)
    assert res.holds is False
    assert res.value == pytest.approx(-1.0, abs=1e-12)
    assert res.probability == 0.0
    assert res.model.weights.tolist() == [0.5, 1.0]
    assert res.to_dict()["model"] == "tri"


# -- check_claim: top k ---------------------------------------------------------------------------

def test_top_k_claim_that_holds_at_the_boundary_rank():
    res = check_claim(tri(), "a in top 1", draws=DRAWS, rating_noise=False)
    assert (res.holds, res.value, res.smallest_change) == (True, 1.0, None)
    assert within_mc(res.probability, W.sf(7 / 16), DRAWS)  # a leads c iff w > 7/16 (and then b)
    # f0 alone: x / (x + 1) = 7/16 at x = 7/9; f1 alone: 1 / (1 + y) = 7/16 at y = 9/7 (further)
    assert res.nearest_flip == {
        "factor": "f0", "weight": 1.0, "threshold": pytest.approx(7 / 9, rel=1e-9), "direction": "fall",
        "statement": "the weight of Alpha would have to fall from 1 to 0.7778 (and beyond) for a to leave "
                     "the top 1"}


def test_top_k_claim_that_fails():
    res = check_claim(tri(), "b in top 2", draws=DRAWS, rating_noise=False)
    assert (res.holds, res.value) == (False, 3.0)
    assert within_mc(res.probability, W.cdf(5 / 12), DRAWS)  # b is last iff a and c lead it
    assert res.nearest_flip == {
        "factor": "f0", "weight": 1.0, "threshold": pytest.approx(5 / 7, rel=1e-9), "direction": "fall",
        "statement": "the weight of Alpha would have to fall from 1 to 0.7143 (and beyond) for b to enter "
                     "the top 2"}
    d = res.to_dict()
    assert (d["reads_as"], d["holds"], d["value"], d["draws"]) == ("b is in the top 2", False, 3.0, DRAWS)


def test_top_k_flip_by_a_rising_weight_named_by_id():
    """Columns swapped: f1 (no display name) now carries the claim; b enters the top 2 when the
    weight of f0 rises to 7/5 or f1 falls to 5/7 (nearer)... so weigh f1 by 3 to make rising f0 nearer."""
    m = table_model("rise", {"a": ("p", (1, 9)), "b": ("q", (6, 2)), "c": ("p", (4.5, 4.5))},
                    factor_names=("", "Beta"), weights=(1.0, 1.0))
    res = check_claim(m, "b in top 2", draws=100, rating_noise=False)
    assert res.nearest_flip["factor"] == "f1"
    assert res.nearest_flip["statement"].startswith("the weight of Beta would have to fall from 1 to 0.7143")
    m2 = table_model("rise2", {"a": ("p", (9, 1)), "b": ("q", (2, 6)), "c": ("p", (4.5, 4.5))},
                     weights=(0.25, 1.0))
    # w = x / (x + 1) with x = 0.25 is 1/5 < 5/12: b is in the top 2 now; it leaves once f0 rises
    # past 5/7 (f1 would have to fall to 0.35: further)
    res2 = check_claim(m2, "b in top 2", draws=100, rating_noise=False)
    assert res2.holds is True
    assert res2.nearest_flip == {
        "factor": "f0", "weight": 0.25, "threshold": pytest.approx(5 / 7, rel=1e-9), "direction": "rise",
        "statement": "the weight of f0 would have to rise from 0.25 to 0.7143 (and beyond) for b to leave "
                     "the top 2"}


def test_top_k_ties_between_factors_report_the_first():
    """f1 and f2 are the same column: a leads c (38/6 against 36/6) until f1 (or f2) rises from 1
    to 1.25 (37 + y = 27 + 9y); f0 would have to fall from 4 to 32/9. f1 comes first in the file."""
    m = table_model("twin", {"a": ("p", (9, 1, 1)), "b": ("q", (1, 1, 1)), "c": ("p", (4.5, 9, 9))},
                    weights=(4.0, 1.0, 1.0))
    res = check_claim(m, "a in top 1", draws=100, rating_noise=False)
    assert res.holds is True
    assert res.nearest_flip == {
        "factor": "f1", "weight": 1.0, "threshold": pytest.approx(1.25, rel=1e-9), "direction": "rise",
        "statement": "the weight of f1 would have to rise from 1 to 1.25 (and beyond) for a to leave the "
                     "top 1"}


def _status(m: Model, area: int, k: int, j: int, x: float) -> bool:
    ws = m.weights.copy()
    ws[j] = x
    return bool(_core.ranks(_core.weighted_scores(m.pooled(), ws))[area] <= k)


def _brute_topk(m: Model, area: int, k: int) -> tuple[str, float, float] | None:
    """(factor, weight, threshold) of the nearest single-weight change of 'area in top k': each
    weight on a grid from 0 to 40 times the largest weight, the nearest change then bisected."""
    w, r = m.weights, m.pooled()
    now = _core.ranks(_core.weighted_scores(r, w))[area] <= k
    best = None
    grid = np.linspace(0, 40 * w.max(), 20_001)
    for j, fid in enumerate(m.factor_ids):
        ws = np.broadcast_to(w, (grid.size, w.size)).copy()
        ws[:, j] = grid
        keep = ws.sum(axis=1) > 0
        status = _core.ranks(_core.weighted_scores(r, ws[keep]))[:, area] <= k
        change = np.flatnonzero(status != now)
        if change.size == 0:
            continue
        g = grid[keep][change]
        out = g[np.argmin(np.abs(g - w[j]))]
        inside = float(w[j])  # bisect between the point weight (status now) and the changed point
        for _ in range(60):
            mid = (inside + out) / 2
            if _status(m, area, k, j, mid) == now:
                inside = mid
            else:
                out = mid
        t = (inside + out) / 2
        if best is None or abs(t - w[j]) < abs(best[2] - best[1]) - 1e-9:
            best = (fid, float(w[j]), float(t))
    return best


@pytest.mark.parametrize("seed, scale", [(1, 1.0), (2, 1.0), (3, 0.02), (4, 1.0), (5, 0.02)])
def test_top_k_nearest_flip_matches_brute_force_on_random_models(seed, scale):
    m0 = random_model(seed, areas=5, factors=3)
    m = m0.with_weights({f: x * scale for f, x in zip(m0.factor_ids, m0.weights)})
    directions = set()
    for area in range(5):
        for k in (1, 2, 4):
            res = check_claim(m, f"{m.area_ids[area]} in top {k}", draws=10, rating_noise=False,
                              weight_concentration=None)
            brute = _brute_topk(m, area, k)
            if brute is None:
                assert res.nearest_flip is None
                continue
            flip = res.nearest_flip
            _, w, t = brute
            assert abs(flip["threshold"] - flip["weight"]) == pytest.approx(abs(t - w), rel=1e-7)
            j = m.factor_ids.index(flip["factor"])
            assert flip["weight"] == m.weights[j]
            direction = "fall" if flip["threshold"] < flip["weight"] else "rise"
            directions.add(direction)
            now = res.holds
            assert flip["direction"] == direction
            assert flip["statement"] == (
                f"the weight of {flip['factor']} would have to {direction} from {flip['weight']:g} to "
                f"{flip['threshold']:.4g} (and beyond) for {m.area_ids[area]} to "
                f"{'leave' if now else 'enter'} the top {k}")
            # moving that weight just past the threshold changes the verdict
            ws = m.weights.copy()
            ws[j] = flip["threshold"] + (1e-7 if direction == "rise" else -1e-7) * scale
            after = _core.ranks(_core.weighted_scores(m.pooled(), ws))[area] <= k
            assert after != now
    assert directions == {"fall", "rise"}


def test_a_tie_at_the_point_weights_that_breaks_when_a_weight_rises():
    """a = 9 - 8w ties c = 5 at w = 1/2: a shares rank 1 now and leaves it as soon as f0 rises
    (f0 comes first, so its threshold, its own weight, is the one reported)."""
    m = table_model("tie", {"a": ("p", (1, 9)), "b": ("q", (2, 6)), "c": ("p", (5, 5))})
    res = check_claim(m, "a in top 1", draws=10, rating_noise=False)
    assert (res.holds, res.value) == (True, 1.0)
    assert res.nearest_flip == {
        "factor": "f0", "weight": 1.0, "threshold": 1.0, "direction": "rise",
        "statement": "the weight of f0 would have to rise from 1 to 1 (and beyond) for a to leave the top 1"}
    assert _status(m, 0, 1, 0, 1.001) is False and _status(m, 0, 1, 0, 0.999) is True


def test_a_top_k_claim_whose_only_change_is_at_weight_zero_has_no_flip():
    """With w the share of f0: a = 5 + 4w, b = 5 - 3w, c = 5. b is third (3.5 at w = 1/2) and the
    three meet only at w = 0, where b ties into the top; a weight cannot go below 0, and raising
    f1 only draws every score towards 5, so no weight change puts b in the top 2."""
    m = table_model("zero", {"a": ("p", (9, 5)), "b": ("q", (2, 5)), "c": ("p", (5, 5))})
    res = check_claim(m, "b in top 2", draws=10, rating_noise=False)
    assert (res.holds, res.value, res.nearest_flip) == (False, 3.0, None)
    assert not any(_status(m, 1, 2, j, x) for j in (0, 1) for x in np.linspace(1e-6, 50, 2001))


def test_a_tie_at_the_point_weights_that_breaks_when_a_weight_falls():
    """The mirror of the test above: a = 1 + 8w ties c = 5 at w = 1/2 and leaves the top once f0
    falls (raising f0 lifts a), so the direction is 'fall' though the threshold equals the weight."""
    m = table_model("tie2", {"a": ("p", (9, 1)), "b": ("q", (2, 6)), "c": ("p", (5, 5))})
    res = check_claim(m, "a in top 1", draws=10, rating_noise=False)
    assert res.nearest_flip == {
        "factor": "f0", "weight": 1.0, "threshold": 1.0, "direction": "fall",
        "statement": "the weight of f0 would have to fall from 1 to 1 (and beyond) for a to leave the top 1"}
    assert _status(m, 0, 1, 0, 0.999) is False and _status(m, 0, 1, 0, 1.001) is True


def test_areas_tied_up_to_rounding_are_a_tie_with_no_smallest_change():
    """0.1 * 3 + 0.7 * 1 + 0.2 * 3 = 1.6 = 0.1 * 7 + 0.7 * 1 + 0.2 * 1 on paper; in floating point
    A leads by about 2e-16. That is a tie, not a claim to turn round."""
    m = table_model("round", {"A": ("p", (3, 1, 3)), "B": ("p", (7, 1, 1))}, weights=(0.1, 0.7, 0.2))
    res = check_claim(m, "A > B", draws=10, rating_noise=False)
    assert 0 < abs(res.value) < 1e-12
    assert res.holds is False and res.smallest_change is None
