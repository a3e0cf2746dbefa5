"""Levers on the factor model: exact effects against the closed form, files and bad input."""

import numpy as np
import pytest
import yaml

from autosafety import InputError, load_model
from autosafety.levers import apply, builtin_catalogue, parse_levers, rank_levers, resolve
from autosafety.levers._catalogue import _builtin_text


@pytest.fixture(scope="module")
def model():
    return load_model("wehner-2026")


def closed_form(model, changes):
    """Change of (safety, capabilities) averages: weight share x change x areas changed / areas in
    the category, summed over the changes, from the raw YAML (not through the levers code)."""
    w = {f.id: f.weight for f in model.factors}
    total = sum(w.values())
    n = {c: sum(a.category == c for a in model.areas) for c in model.categories}
    out = {"safety": 0.0, "capabilities": 0.0}
    for ch in changes:
        if "rating" not in ch:
            continue
        if "category" in ch:
            out[ch["category"]] += w[ch["rating"]] / total * ch["by"] * n[ch["category"]] / n[ch["category"]]
        else:
            for a in ch["areas"]:
                cat = next(x.category for x in model.areas if x.id == a)
                out[cat] += w[ch["rating"]] / total * ch["by"] / n[cat]
    return out


def test_every_builtin_lever_matches_the_closed_form(model):
    raw = yaml.safe_load(_builtin_text())["levers"]
    ranking = rank_levers(model)
    got = {e.lever.id: e for e in ranking.effects}
    assert len(got) == len(raw) == 11
    for lever in raw:
        want = closed_form(model, lever["changes"])
        e = got[lever["id"]]
        assert e.safety == pytest.approx(want["safety"], abs=1e-12)
        assert e.capabilities == pytest.approx(want["capabilities"], abs=1e-12)
        assert e.net == pytest.approx(want["safety"] - want["capabilities"], abs=1e-12)
    nets = [e.net for e in ranking.effects]
    assert nets == sorted(nets, reverse=True)
    # the feedback lever: 2.5 / 8.6 of a point on every safety area
    assert got["feedback_quality"].net == pytest.approx(2.5 / 8.6, abs=1e-12)
    assert ranking.gap == pytest.approx(6.448 - 5.208, abs=0.01)


def test_random_levers_on_some_areas_match_the_closed_form(model):
    rng = np.random.default_rng(3)
    for _ in range(30):
        changes = []
        for _ in range(int(rng.integers(1, 4))):
            f = model.factor_ids[int(rng.integers(len(model.factor_ids)))]
            j = model.factor_ids.index(f)
            inside = [a for i, a in enumerate(model.area_ids) if 1.9 <= model.pooled()[i, j] <= 9.1]
            areas = [str(a) for a in rng.choice(inside, size=int(rng.integers(1, 4)), replace=False)]
            changes.append({"rating": f, "areas": areas, "by": float(rng.uniform(-0.9, 0.9))})
        spec = parse_levers(yaml.safe_dump({"levers": [{"id": "x", "changes": changes}]}), origin="t")
        e = rank_levers(model, spec).effects[0]
        want = closed_form(model, changes)
        assert e.safety == pytest.approx(want["safety"], abs=1e-12)
        assert e.capabilities == pytest.approx(want["capabilities"], abs=1e-12)


def test_linear_in_units(model):
    one = rank_levers(model, units=1.0)
    half = rank_levers(model, units=0.5)
    a = {e.lever.id: e.net for e in one.effects}
    for e in half.effects:
        assert e.net == pytest.approx(a[e.lever.id] / 2, abs=1e-12)


def test_weight_lever_is_rescored(model):
    spec = parse_levers("levers: [{id: w, changes: [{weight: scheming_risk, by: -0.4}]}]", origin="t")
    e = rank_levers(model, spec).effects[0]
    dropped = model.with_weights({"scheming_risk": 0.0}).score().category_scores
    base = model.score().category_scores
    assert e.safety == pytest.approx(dropped["safety"] - base["safety"], abs=1e-12)
    assert e.capabilities == pytest.approx(dropped["capabilities"] - base["capabilities"], abs=1e-12)


def _words(text):
    """Letters and digits only: the seed's file has mangled quote marks and dashes."""
    return " ".join("".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else
                            (" " if ch in "\n\t" else "") for ch in text).split())


def test_builtin_catalogue_quotes_the_seed():
    with open("/work/shared/seeds/004_a77ae4fd84e5fb41.txt", encoding="utf-8") as f:
        seed = _words(f.read())
    for lever in builtin_catalogue().levers:
        assert lever.quote and lever.unit and lever.magnitude_note
        for part in lever.quote.split(" ... "):
            assert _words(part) in seed, (lever.id, part)


def test_builtin_on_a_model_without_its_factors_skips_with_reasons():
    r = rank_levers(load_model("safety-fields-2026"))
    skipped = dict(r.skipped)
    assert "no factor 'insight_vs_engineering'" in skipped["research_proposals"]
    assert {e.lever.id for e in r.effects} == {"compute_commitment", "feedback_quality",
                                              "safety_benchmark", "adopt_ai_tools"}
    fb = next(e for e in r.effects if e.lever.id == "feedback_quality")
    # weights 1:1, +1 on nine areas, and Mech Interp's 5/5 clipped at the top of the scale
    assert fb.safety == pytest.approx(0.5 * 9 / 10, abs=1e-12)
    assert fb.clipped == ["Mech Interp, Feedback quality: clipped at 5 (would be 6)"]


def test_user_file_errors_are_located(model):
    text = """
levers:
- id: bad
  changes:
  - {rating: no_such_factor, category: safety, by: 1}
  - {rating: feedback_quality, areas: [interpretability, nowhere], by: 1}
  - {delay: 0.1, category: moon}
  - {parameter: warp_speed, by: 0.1}
"""
    with pytest.raises(InputError) as e:
        resolve(model, parse_levers(text, origin="my.yaml"), origin="my.yaml")
    locs = [p.location for p in e.value.problems]
    assert locs == ["my.yaml: levers[0] (bad).changes[0].rating",
                    "my.yaml: levers[0] (bad).changes[1].areas[1]",
                    "my.yaml: levers[0] (bad).changes[2].category",
                    "my.yaml: levers[0] (bad).changes[3].parameter"]
    assert "no factor 'no_such_factor'" in e.value.problems[0].message
    assert "review_overhead_max" in e.value.problems[3].fix


@pytest.mark.parametrize(("text", "where", "what"), [
    ("levers: [{id: a, changes: [{rating: f, by: 1}]}]", "levers[0].changes[0]", "category' or 'areas"),
    ("levers: [{id: a, changes: [{rating: f, weight: g, by: 1, category: s}]}]", "levers[0].changes[0]",
     "exactly one"),
    ("levers: [{id: a, changes: []}]", "levers[0].changes", "at least 1"),
    ("levers: [{id: a, changes: [{delay: .nan, category: s}]}]", "levers[0].changes[0].delay", "NaN"),
    ("levers: [{id: a, colour: red, changes: [{delay: 1, category: s}]}]", "levers[0].colour", "unknown"),
    ("levers: [{id: a, changes: [{delay: 1, category: s}]}, {id: a, changes: [{delay: 1, category: s}]}]",
     "levers", "appears 2 times"),
])
def test_schema_errors_are_located(text, where, what):
    with pytest.raises(InputError) as e:
        parse_levers(text, origin="f.yaml")
    p = e.value.problems[0]
    assert p.location == f"f.yaml: {where}"
    assert what in p.message


def test_off_scale_is_refused_or_clipped_where_it_happens(model):
    text = "levers: [{id: up, changes: [{rating: scheming_risk, category: capabilities, by: 1.5}]}]"
    lv = resolve(model, parse_levers(text, origin="u.yaml"), origin="u.yaml").levers
    with pytest.raises(InputError) as e:
        apply(model, lv)
    msgs = [p.message for p in e.value.problems]
    # 9.0 + 1.5 in pre-training, data generation, agent scaffolding, training efficiency
    assert len(msgs) == 4 and "from 9 to 10.5" in msgs[0]
    assert "(pretraining_algorithms:scheming_risk)" in e.value.problems[0].location
    assert "clip: true" in e.value.problems[0].fix
    clipped = resolve(model, parse_levers(text.replace("id: up,", "id: up, clip: true,"), origin="u"),
                      origin="u").levers
    ap = apply(model, clipped)
    assert len(ap.clipped) == 4 and "clipped at 10" in ap.clipped[0]
    e2 = rank_levers(model, parse_levers(text.replace("id: up,", "id: up, clip: true,"), origin="u"))
    # post-training goes 7 -> 8.5, the four others 9 -> 10: 0.4/8.6 x (1.5 + 4 x 1) / 5
    assert e2.effects[0].capabilities == pytest.approx(0.4 / 8.6 * 5.5 / 5, abs=1e-12)
