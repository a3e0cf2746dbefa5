"""`autosafety elicit` and `autosafety agreement` through the real CLI entry point, against the
loopback OpenAI-compatible server; the 004 pooling (human 5 : LLM 3) end to end; bad input."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from .conftest import SMALL_MODEL, use_server

# Inspect's retry helper passes a deprecated tenacity argument; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:The 'initial' parameter:DeprecationWarning")

LLMS = ["--llm", "openai-api/local/alpha", "--llm", "openai-api/local/beta"]
FAST = ["--backoff", "0.01", "--timeout", "10", "--model-arg", "max_retries=0", "--quiet"]


def _rows(path):
    return list(csv.DictReader(line for line in path.read_text().splitlines()
                               if not line.startswith("#")))


def test_elicit_then_score_reproduces_the_5_to_3_pooling(cli, start_server, monkeypatch,
                                                         small_model_file, tmp_path):
    use_server(monkeypatch, start_server())
    out = tmp_path / "llm.csv"
    run = cli("elicit", str(small_model_file), *LLMS, "--samples", "2", "--out", str(out), *FAST)
    assert run.code == 0, run.err
    rows = _rows(out)
    assert len(rows) == 2 * 2 * 3 * 2  # llms x samples x areas x factors
    assert {r["rater"] for r in rows} == {f"openai-api/local/{m}#{k}" for m in ("alpha", "beta")
                                          for k in (0, 1)}
    assert all(json.loads(r["provenance"])["model"].startswith("openai-api/local/") for r in rows)

    run = cli("score", str(small_model_file), "--ratings", str(out), "--source-weight", "human=5",
              "--source-weight", "llm=3", "--format", "json")
    assert run.code == 0, run.err
    scores = {a["id"]: a["score"] for a in json.loads(run.out)["areas"]}

    # the 004 pipeline by hand: average the LLM ratings, weigh the author 5 to the LLMs' 3
    spec = yaml.safe_load(SMALL_MODEL)
    human = {(r["area"], r["factor"]): r["value"] for r in spec["ratings"]}
    llm = defaultdict(list)
    for r in rows:
        llm[(r["area"], r["factor"])].append(float(r["value"]))
    weights = {f["id"]: f["weight"] for f in spec["factors"]}
    for area in ("interp", "theory", "agents"):
        pooled = {f: (5 * human[(area, f)] + 3 * sum(llm[(area, f)]) / 4) / 8 for f in weights}
        expected = sum(weights[f] * pooled[f] for f in weights) / sum(weights.values())
        assert scores[area] == pytest.approx(expected, abs=1e-9)

    run = cli("agreement", str(small_model_file), "--ratings", str(out), "--format", "json",
              "--bootstrap", "100")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["raters"] == {"author": "human", "openai-api/local/alpha": "llm",
                              "openai-api/local/beta": "llm"}
    assert {a["split"] for a in data["alphas"]} == {"all", "llm", "human-vs-llm"}
    assert len(data["cells"]) == 6
    table = cli("agreement", str(small_model_file), "--ratings", str(out), "--bootstrap", "50")
    assert table.code == 0 and "Most disagreed cells" in table.out
    csv_run = cli("agreement", str(small_model_file), "--ratings", str(out), "--format", "csv",
                  "--bootstrap", "50")
    assert csv_run.out.splitlines()[0] == "split,scope,subject,alpha,low,high,cells,raters"


def test_rerun_uses_the_cache(cli, start_server, monkeypatch, small_model_file, tmp_path):
    server = start_server()
    use_server(monkeypatch, server)
    out = tmp_path / "llm.csv"
    args = ["elicit", str(small_model_file), *LLMS, "--out", str(out), *FAST]
    assert cli(*args).code == 0
    first = out.read_text().splitlines()[1:]
    again = cli(*args)
    assert again.code == 0 and "0 new, 12 cached" in again.err
    assert out.read_text().splitlines()[1:] == first
    assert len(server.delivered()) == 12


def test_incomplete_matrix_exits_1_and_lists_failures(cli, start_server, monkeypatch,
                                                      small_model_file, tmp_path):
    use_server(monkeypatch, start_server("--die-after", "5"))
    out = tmp_path / "llm.csv"
    run = cli("elicit", str(small_model_file), *LLMS, "--out", str(out), "--retries", "0",
              "--concurrency", "1", *FAST)
    assert run.code == 1
    assert "incomplete: 7 of 12 requests have no rating" in run.err
    failures = list(csv.DictReader(Path(str(out) + ".failures.csv").read_text().splitlines()))
    assert len(failures) == 7 and {f["status"] for f in failures} == {"error"}
    assert len(_rows(out)) == 5


@pytest.mark.parametrize(("args", "message"), [
    (["--factors", "nope"], "--factors nope: unknown factor 'nope'"),
    (["--areas", "interp,mars"], "--areas mars: unknown area 'mars'"),
    (["--samples", "0"], "--samples: must be at least 1"),
    (["--concurrency", "0"], "--concurrency: must be at least 1"),
    (["--temperature", "5"], "--temperature: 5.0 is outside 0-2"),
    (["--model-arg", "oops"], "--model-arg oops: expected KEY=VALUE"),
])
def test_bad_options(cli, small_model_file, tmp_path, args, message):
    run = cli("elicit", str(small_model_file), "--llm", "mockllm/model", "--out",
              str(tmp_path / "o.csv"), *args)
    assert run.code == 2
    assert message in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize(("llm", "message"), [
    ("gpt-4o", "--llm gpt-4o: expected PROVIDER/NAME"),
    ("nosuchprovider/model", "--llm nosuchprovider/model:"),
    ("openai-api/nokeyservice/model", "NOKEYSERVICE_API_KEY"),
])
def test_bad_models(cli, small_model_file, tmp_path, monkeypatch, llm, message):
    monkeypatch.delenv("NOKEYSERVICE_API_KEY", raising=False)
    run = cli("elicit", str(small_model_file), "--llm", llm, "--out", str(tmp_path / "o.csv"),
              "--quiet")
    assert run.code == 2, run.err
    assert message in run.err
    assert "Traceback" not in run.err


def test_bad_files(cli, small_model_file, tmp_path):
    papers = tmp_path / "papers.csv"
    papers.write_text("area,title\nmars,Rovers\n")
    run = cli("elicit", str(small_model_file), "--llm", "mockllm/model", "--papers", str(papers),
              "--out", str(tmp_path / "o.csv"))
    assert run.code == 2 and f"{papers}: line 2 area: unknown area 'mars'" in run.err
    run = cli("elicit", str(small_model_file), "--llm", "mockllm/model", "--out",
              str(tmp_path / "missing" / "o.csv"))
    assert run.code == 2 and "its folder does not exist" in run.err
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not a database " * 100)
    run = cli("elicit", str(small_model_file), "--llm", "mockllm/model", "--out",
              str(tmp_path / "o.csv"), "--cache", str(junk), "--quiet")
    assert run.code == 2 and "not a usable cache database" in run.err


def test_agreement_bad_input(cli, small_model_file):
    run = cli("agreement", str(small_model_file))
    assert run.code == 2 and "agreement needs two or more" in run.err
    run = cli("agreement", str(small_model_file), "--bootstrap", "1", "--confidence", "1.5")
    assert run.code == 2
    assert "--bootstrap: must be at least 2" in run.err and "--confidence" in run.err


def test_cli_start_does_not_import_inspect_or_krippendorff():
    import subprocess
    import sys

    code = ("import sys; import autosafety.cli._main; "
            "print(sorted(m for m in ('inspect_ai', 'krippendorff', 'openai') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_papers_through_the_cli(cli, start_server, monkeypatch, small_model_file, tmp_path):
    use_server(monkeypatch, start_server())
    papers = tmp_path / "papers.csv"
    papers.write_text("area,title,abstract\ninterp,SAEs,We train sparse autoencoders.\n"
                      "interp,Circuits,\"We find circuits, automatically.\"\n"
                      "interp,Probes,We train linear probes.\n")
    out = tmp_path / "p.csv"
    run = cli("elicit", str(small_model_file), "--llm", "openai-api/local/alpha", "--factors",
              "insight", "--areas", "interp", "--papers", str(papers), "--out", str(out), *FAST)
    assert run.code == 0, run.err
    (row,) = _rows(out)
    prov = json.loads(row["provenance"])
    values = [p["rating"] for p in prov["papers"]]
    assert len(values) == 3 and prov["method"] == "papers"
    assert float(row["value"]) == pytest.approx(sum(values) / 3)
    assert (float(row["low"]), float(row["high"])) == (min(values), max(values))
    assert float(row["credibility"]) == pytest.approx(0.5)
    assert all(1 <= v <= 10 and v == int(v) for v in values)
