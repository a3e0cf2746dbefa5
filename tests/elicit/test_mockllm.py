"""Elicitation through Inspect's mockllm provider with scripted answers: good, malformed,
refusing and out-of-range; caching and resume; provenance; paper-based rating."""

from __future__ import annotations

import json

import pytest
from inspect_ai.model import ChatMessageUser, ModelOutput, ModelUsage, get_model

from autosafety.elicit import (
    AnswerCache,
    Paper,
    collect_ratings,
    elicit,
    parse_papers_csv,
    plan_requests,
    rubric_version,
)
from autosafety.model import load_model, merge_ratings, parse_ratings_csv, ratings_to_csv

# Inspect's retry helper passes a deprecated tenacity argument; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:The 'initial' parameter:DeprecationWarning")

MODEL = load_model("wehner-2026")


def _output(text: str, stop_reason: str = "stop") -> ModelOutput:
    out = ModelOutput.from_content(model="mockllm", content=text, stop_reason=stop_reason)  # type: ignore[arg-type]
    out.usage = ModelUsage(input_tokens=100, output_tokens=10, total_tokens=110)
    return out


class Script:
    """A mockllm answer function: the answer depends on the area named in the prompt."""

    def __init__(self, by_area: dict[str, str], default: str = '{"rating": 6, "rationale": "ok"}'):
        self.by_area, self.default, self.calls = by_area, default, 0

    def __call__(self, input, tools, tool_choice, config) -> ModelOutput:
        self.calls += 1
        user = next(m for m in input if isinstance(m, ChatMessageUser)).text
        for name, text in self.by_area.items():
            if f"Research area: {name}\n" in user:
                if text == "FILTERED":
                    return _output("", stop_reason="content_filter")
                return _output(text)
        return _output(self.default)


def _mock(script) -> dict:
    return {"mockllm/model": get_model("mockllm/model", custom_outputs=script, memoize=False)}


def test_scripted_list_of_outputs_in_order():
    """custom_outputs as a list, one call at a time: each answer lands on its own request."""
    texts = ['{"rating": 7, "rationale": "a"}', "not a rating at all",
             "I'm sorry, I can't rate that.", '{"rating": 42}']
    models = {"mockllm/model": get_model("mockllm/model", memoize=False,
                                         custom_outputs=[_output(t) for t in texts])}
    report = elicit(MODEL, llms=["mockllm/model"], areas=["interpretability"],
                    factors=["task_length", "insight_vs_engineering", "data_availability",
                             "feedback_quality"], models=models, concurrency=1)
    statuses = [report.answers[r.key].status for r in report.requests]
    assert statuses == ["ok", "unparseable", "refused", "out_of_range"]
    assert not report.complete
    assert [r.value for r in report.ratings] == [7.0]
    raws = {a.status: a.raw for _, a in report.failures}
    assert raws == {"unparseable": texts[1], "refused": texts[2], "out_of_range": texts[3]}


def test_failures_are_recorded_with_raw_text_and_never_become_ratings(tmp_path):
    script = Script({"Interpretability": "```json\n{\"rating\": 8, \"rationale\": \"fenced\"}\n```",
                     "Alignment Theory": "I cannot help with rating this.",
                     "AI Control": "{rating: seven}",
                     "Scalable Oversight": '{"rating": 0, "rationale": "too low"}',
                     "Agent Scaffolding": "FILTERED"})
    report = elicit(MODEL, llms=["mockllm/model"], samples=2, models=_mock(script),
                    cache=tmp_path / "c.sqlite", concurrency=4)
    assert script.calls == len(report.requests) == 2 * 10 * 7
    by_area: dict[str, set[str]] = {}
    for r in report.requests:
        by_area.setdefault(r.area, set()).add(report.answers[r.key].status)
    assert by_area["interpretability"] == {"ok"}
    assert by_area["alignment_theory"] == {"refused"}
    assert by_area["ai_control"] == {"unparseable"}
    assert by_area["scalable_oversight"] == {"out_of_range"}
    assert by_area["agent_scaffolding"] == {"refused"}
    failed_areas = {"alignment_theory", "ai_control", "scalable_oversight", "agent_scaffolding"}
    assert len(report.failures) == 2 * 7 * len(failed_areas)
    assert {r.area for r in report.ratings}.isdisjoint(failed_areas)
    assert len(report.ratings) == 2 * 7 * 6
    assert report.progress.failed == len(report.failures)
    assert all(a.raw == "{rating: seven}" for r, a in report.failures if r.area == "ai_control")
    assert {r.value for r in report.ratings if r.area == "interpretability"} == {8.0}


def test_provenance_on_every_rating():
    report = elicit(MODEL, llms=["mockllm/model"], samples=3, temperature=0.7,
                    factors=["feedback_quality"], models=_mock(Script({})))
    assert len(report.ratings) == 3 * 10
    for rating in report.ratings:
        p = rating.provenance
        req = next(r for r in report.requests if r.area == rating.area and
                   r.sample == p["sample"])
        assert p["model"] == "mockllm/model" and p["provider"] == "mockllm"
        assert p["temperature"] == 0.7
        assert p["prompt_hash"] == req.prompt_hash
        assert p["rubric_version"] == rubric_version(MODEL.factors[3], MODEL.spec.scale)
        assert p["input_tokens"] == 100 and p["output_tokens"] == 10
        assert p["time"].endswith("+00:00")
        assert rating.rater == f"mockllm/model#{p['sample']}"
    assert sorted({r.provenance["sample"] for r in report.ratings}) == [0, 1, 2]


def test_ratings_round_trip_the_csv_and_merge_as_llm_raters():
    report = elicit(MODEL, llms=["mockllm/model"], samples=2, models=_mock(Script({})))
    ratings = parse_ratings_csv(ratings_to_csv(report.ratings))
    assert ratings == report.ratings
    merged = merge_ratings(MODEL, ratings)
    kinds = {r.id: r.kind for r in merged.raters}
    assert kinds["mockllm/model#0"] == kinds["mockllm/model#1"] == "llm"


def test_rerun_with_cache_makes_no_successful_call_again(tmp_path):
    cache = tmp_path / "answers.sqlite"
    first = Script({"Alignment Theory": "no idea"})
    one = elicit(MODEL, llms=["mockllm/model"], models=_mock(first), cache=cache)
    assert first.calls == 70 and len(one.failures) == 7
    second = Script({})
    two = elicit(MODEL, llms=["mockllm/model"], models=_mock(second), cache=cache)
    assert second.calls == 0  # unparseable answers are kept, not re-asked, by default
    assert two.progress.cached == 70 and two.ratings == one.ratings
    third = Script({})
    three = elicit(MODEL, llms=["mockllm/model"], models=_mock(third), cache=cache,
                   retry_failed=True)
    assert third.calls == 7  # only the unusable answers are asked again
    assert three.complete and len(three.ratings) == 70
    assert AnswerCache(cache).counts() == {"ok": 70}


def test_changed_rubric_is_a_new_request(tmp_path):
    cache = tmp_path / "answers.sqlite"
    elicit(MODEL, llms=["mockllm/model"], factors=["task_length"], models=_mock(Script({})),
           cache=cache)
    data = MODEL.spec.model_dump()
    data["factors"][0]["rubric"]["10"] = "typical tasks take seconds"
    changed = MODEL.replace(factors=data["factors"])
    again = Script({})
    report = elicit(changed, llms=["mockllm/model"], factors=["task_length"], models=_mock(again),
                    cache=cache)
    assert again.calls == 10
    old = plan_requests(MODEL, llms=["mockllm/model"], factors=["task_length"])[0]
    assert report.requests[0].rubric_version != old.rubric_version


def test_paper_based_rating_aggregates_with_the_spread_as_interval():
    csv_text = ("area,title,abstract\n"
                "interpretability,Sparse autoencoders at scale,We train SAEs on activations.\n"
                "interpretability,Circuit discovery,\"We find circuits, automatically.\"\n"
                "interpretability,A conceptual framework,We propose definitions.\n")
    papers = parse_papers_csv(csv_text, MODEL)
    by_title = {"Sparse autoencoders": 8, "Circuit discovery": 6, "A conceptual framework": 2}

    def answer(input, tools, tool_choice, config):
        user = next(m for m in input if isinstance(m, ChatMessageUser)).text
        value = next((v for t, v in by_title.items() if f"Title: {t}" in user), 3)
        return _output(json.dumps({"rating": value, "rationale": "paper"}))

    report = elicit(MODEL, llms=["mockllm/model"], factors=["insight_vs_engineering"],
                    areas=["interpretability", "alignment_theory"], papers=papers,
                    models={"mockllm/model": get_model("mockllm/model", custom_outputs=answer,
                                                       memoize=False)})
    interp = [r for r in report.requests if r.area == "interpretability"]
    assert len(interp) == 3 and all(r.paper for r in interp)
    ratings = {r.area: r for r in report.ratings}
    assert ratings["interpretability"].value == pytest.approx(16 / 3)
    assert (ratings["interpretability"].low, ratings["interpretability"].high) == (2.0, 8.0)
    assert ratings["interpretability"].credibility == pytest.approx(2 / 4)
    assert ratings["interpretability"].provenance["papers_rated"] == 3
    assert ratings["alignment_theory"].value == 3  # no papers: rated from its description
    assert ratings["alignment_theory"].low is None
    merge_ratings(MODEL, report.ratings)  # valid intervals for the model


def test_collect_ignores_cells_without_answers():
    reqs = plan_requests(MODEL, llms=["mockllm/model"], factors=["task_length"])
    assert collect_ratings(reqs, {}) == []


def test_papers_csv_problems_are_located():
    from autosafety._errors import InputError

    with pytest.raises(InputError) as e:
        parse_papers_csv("area,title\nnowhere,A paper\ninterpretability,\n", MODEL, origin="p.csv")
    text = str(e.value)
    assert "p.csv: line 2 area: unknown area 'nowhere'" in text
    assert "p.csv: line 3 title: empty title" in text
    with pytest.raises(InputError, match="missing column"):
        parse_papers_csv("area,name\nx,y\n", MODEL)
    assert parse_papers_csv("area,title\ninterpretability,T\n", MODEL) == [
        Paper("interpretability", "T", "")]
