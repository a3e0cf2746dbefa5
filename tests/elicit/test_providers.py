"""`elicit` checks each provider's package and API key before it creates a cache file or shows a
progress bar; a re-run that the cache answers needs neither (issue 13)."""

from __future__ import annotations

import pytest

from autosafety.elicit import _providers
from autosafety.elicit._providers import PROVIDERS, provider_problems

from .conftest import use_server

pytestmark = pytest.mark.filterwarnings("ignore:The 'initial' parameter:DeprecationWarning")
KEYS = ("ANTHROPIC_API_KEY", "AZURE_ANTHROPIC_API_KEY", "AZUREAI_ANTHROPIC_API_KEY",
        "OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZUREAI_OPENAI_API_KEY", "LOCAL_API_KEY",
        "LOCAL_BASE_URL")


def test_a_missing_key_or_package_stops_before_any_cache_file(cli, small_model_file, tmp_path,
                                                            monkeypatch):
    for var in KEYS:
        monkeypatch.delenv(var, raising=False)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    out = run_dir / "llm.csv"
    run = cli("elicit", str(small_model_file), "--llm", "anthropic/claude-sonnet-4-5", "--llm",
              "openai/gpt-4o", "--out", str(out), "--cache", str(run_dir / "c" / "cache.sqlite"))
    assert run.code == 2 and "Traceback" not in run.err
    assert ("--llm openai/gpt-4o: the OpenAI provider needs its API key in the environment "
            "variable OPENAI_API_KEY") in run.err
    assert "--llm anthropic/claude-sonnet-4-5: the Anthropic provider needs its API key" in run.err
    assert "export ANTHROPIC_API_KEY=" in run.err
    assert "rating" not in run.err.replace("requested", "")  # no progress bar was drawn
    assert list(run_dir.iterdir()) == []  # no cache, no folder, no output

    run = cli("elicit", str(small_model_file), "--llm", "openai/gpt-4o", "--out", str(out))
    assert run.code == 2 and list(run_dir.iterdir()) == []  # the default cache (OUT.cache.sqlite)


def test_the_messages_name_provider_package_pip_command_and_variable(monkeypatch):
    monkeypatch.setattr(_providers, "_installed", lambda module: module != "anthropic")
    problems = provider_problems(["anthropic/claude", "mockllm/model"], environ={})
    assert [str(p) for p in problems] == [
        "--llm anthropic/claude: the Anthropic provider needs the Python package 'anthropic', "
        "which is not installed (fix: pip install anthropic)",
        "--llm anthropic/claude: the Anthropic provider needs its API key in the environment "
        "variable ANTHROPIC_API_KEY (or AZURE_ANTHROPIC_API_KEY, AZUREAI_ANTHROPIC_API_KEY), "
        "which is not set (fix: export ANTHROPIC_API_KEY=... or pass --model-arg api_key=...)"]
    assert provider_problems(["anthropic/claude"], environ={"ANTHROPIC_API_KEY": "k"})[0].fix == \
        "pip install anthropic"


def test_what_each_provider_needs(monkeypatch):
    monkeypatch.setattr(_providers, "_installed", lambda module: True)
    assert provider_problems(["mockllm/model"], environ={}) == []  # Inspect's mock: nothing
    assert provider_problems(["openai/gpt-4o"], environ={"OPENAI_API_KEY": "k"}) == []
    assert provider_problems(["openai/gpt-4o"], environ={}, model_args={"api_key": "k"}) == []
    compat = provider_problems(["openai-api/my-lab/m"], environ={}, model_args={"base_url": "u"})
    assert [p.message.split(" in the environment variable ")[1] for p in compat] == [
        "MY_LAB_API_KEY, which is not set"]
    assert provider_problems(["hf/gpt2"], environ={}) == []  # left to Inspect at model load
    assert all(p.keys or name == "mockllm" for name, p in PROVIDERS.items())


def test_missing_inspect_is_named_with_the_extra(monkeypatch):
    monkeypatch.setattr(_providers, "_installed", lambda module: module != "inspect_ai")
    (p,) = provider_problems(["mockllm/model"], environ={})
    assert p.location == "inspect-ai" and "pip install -e '.[llm]'" in p.fix


def test_a_run_the_cache_answers_needs_no_key(cli, start_server, monkeypatch, small_model_file,
                                              tmp_path):
    use_server(monkeypatch, start_server())
    out = tmp_path / "llm.csv"
    args = ("elicit", str(small_model_file), "--llm", "openai-api/local/alpha", "--out", str(out),
            "--backoff", "0.01", "--model-arg", "max_retries=0", "--quiet")
    assert cli(*args).code == 0
    monkeypatch.delenv("LOCAL_API_KEY")
    monkeypatch.delenv("LOCAL_BASE_URL")
    run = cli(*args)
    assert run.code == 0, run.err
    assert "0 new" in run.err and "cached" in run.err
