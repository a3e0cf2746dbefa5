"""Issue 15: generated YAML/JSON structures fed to every loader raise nothing but InputError,
each within a bounded time."""

from __future__ import annotations

import contextlib
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autosafety._errors import InputError
from autosafety.model import parse_model_text, parse_ratings_csv
from autosafety.schemes import parse_scheme_text
from autosafety.schemes._files import check_case_text
from autosafety.web._share import decode_scenario, encode_scenario

KEYS = st.sampled_from(["id", "name", "factors", "areas", "raters", "ratings", "weight", "value",
                        "area", "factor", "rater", "category", "provenance", "notes", "scale",
                        "min", "max", "text", "supportedBy", "G1", "Sn1", "controller",
                        "evaluation", "experiments", "parameters", "type"]) | st.text(max_size=8)
SCALARS = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20)
           | st.integers(10**4300, 10**4301))
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5)
                    | st.dictionaries(KEYS, inner, max_size=6), max_leaves=40)


def as_texts(data) -> list[tuple[str, str]]:
    out = []
    with contextlib.suppress(ValueError, TypeError):
        out.append(("json", json.dumps(data)))
    with contextlib.suppress(ValueError, TypeError, yaml.YAMLError):
        out.append(("yaml", yaml.safe_dump(data)))
    return out


def only_input_errors(call) -> None:
    with contextlib.suppress(InputError):
        call()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, st.integers(0, 80))
def test_every_loader_raises_only_input_errors(data, nesting):
    wrapped = data
    for _ in range(nesting):  # sometimes deeper than the 64-level limit
        wrapped = [wrapped]
    for value in (data, {"id": "m", "notes": wrapped}, {"model": data}):
        for fmt, text in as_texts(value):
            only_input_errors(lambda: parse_model_text(text, fmt=fmt, origin="fuzz"))  # noqa: B023
            only_input_errors(lambda: parse_scheme_text(text, origin="fuzz"))  # noqa: B023
            only_input_errors(lambda: check_case_text(text, origin="fuzz"))  # noqa: B023
            only_input_errors(lambda: parse_ratings_csv(text, origin="fuzz"))  # noqa: B023
            csv_text = "# autosafety-model: " + text.replace("\n", " ") + "\narea,factor,rater,value\n"
            only_input_errors(lambda: parse_model_text(csv_text, fmt="csv", origin="fuzz"))  # noqa: B023
        if isinstance(value, dict):
            try:
                token = encode_scenario(value)
            except (ValueError, TypeError):
                continue
            only_input_errors(lambda: decode_scenario(token))  # noqa: B023


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]{}:,-&*!|>'\"\n #ab01.e\t")),
               max_size=200))
def test_arbitrary_yaml_like_text_raises_only_input_errors(text):
    only_input_errors(lambda: parse_model_text(text, fmt="yaml", origin="fuzz"))
    only_input_errors(lambda: parse_model_text(text, fmt="json", origin="fuzz"))
    only_input_errors(lambda: parse_scheme_text(text, origin="fuzz"))
    only_input_errors(lambda: check_case_text(text, origin="fuzz"))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9), st.integers(2, 12))
def test_generated_alias_trees_are_refused_or_small(depth, fanout):
    lines = ["id: m", "raters:", "  - id: r", "    provenance:",
             "      l0: &l0 [" + ",".join(["lol"] * fanout) + "]"]
    for i in range(1, depth):
        lines.append(f"      l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * fanout) + "]")
    text = "\n".join(lines) + "\n"
    try:
        model = parse_model_text(text, fmt="yaml", origin="fuzz")
    except InputError as e:
        assert any("aliases expand" in p.message or "100,000" in p.message for p in e.problems) \
            or e.problems
    else:
        size = len(json.dumps(model.spec.model_dump(mode="json")))
        assert size < 2_000_000
