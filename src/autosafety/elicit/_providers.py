"""What each LLM provider needs before a run starts: its Python package and its API key.

Checked without importing Inspect or the provider's package (``importlib.util.find_spec`` and the
environment only), so a missing key is reported at once, before any cache file or progress bar.
The table follows Inspect's provider documentation (https://inspect.aisi.org.uk/providers.html)
and its ``inspect_ai/model/_providers`` modules; providers not listed here (hf, vllm, ollama,
bedrock, azureai, ...) are checked by Inspect itself when the models are loaded, which also
happens before the cache is opened.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import InputError, Problem


@dataclass(frozen=True)
class Provider:
    """What one Inspect provider needs."""

    title: str
    """The provider's name in messages."""
    package: str = ""
    """The pip package Inspect imports for it ('' for none)."""
    module: str = ""
    """The import name of that package."""
    keys: tuple[str, ...] = ()
    """Environment variables of which one must hold the API key (empty: no key needed)."""


def _openai(title: str, *keys: str) -> Provider:
    """A provider Inspect reaches through the ``openai`` package."""
    return Provider(title, "openai", "openai", keys)


PROVIDERS: dict[str, Provider] = {
    "mockllm": Provider("Inspect's mock LLM"),
    "openai": _openai("OpenAI", "OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZUREAI_OPENAI_API_KEY"),
    "anthropic": Provider("Anthropic", "anthropic", "anthropic",
                          ("ANTHROPIC_API_KEY", "AZURE_ANTHROPIC_API_KEY",
                           "AZUREAI_ANTHROPIC_API_KEY")),
    "google": Provider("Google", "google-genai", "google.genai",
                       ("GOOGLE_API_KEY", "GEMINI_API_KEY", "VERTEX_API_KEY",
                        "GOOGLE_GENAI_USE_VERTEXAI")),
    "mistral": Provider("Mistral", "mistralai", "mistralai", ("MISTRAL_API_KEY",)),
    "groq": Provider("Groq", "groq", "groq", ("GROQ_API_KEY",)),
    "grok": Provider("Grok (xAI)", "xai-sdk", "xai_sdk", ("XAI_API_KEY", "GROK_API_KEY")),
    "together": _openai("Together AI", "TOGETHER_API_KEY"),
    "fireworks": _openai("Fireworks AI", "FIREWORKS_API_KEY"),
    "deepseek": _openai("DeepSeek", "DEEPSEEK_API_KEY"),
    "openrouter": _openai("OpenRouter", "OPENROUTER_API_KEY"),
    "perplexity": _openai("Perplexity", "PERPLEXITY_API_KEY"),
    "sambanova": _openai("SambaNova", "SAMBANOVA_API_KEY"),
    "moonshot": _openai("Moonshot AI", "MOONSHOT_API_KEY"),
}
"""Providers checked before a run, by the first part of the model string."""
KEY_ARGS = {"api_key", "bedrock", "vertex", "azure"}
"""``--model-arg`` names that supply credentials another way (the key check is then skipped)."""


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a missing parent package ('google' for google.genai)
        return False


Need = tuple[str, tuple[str, ...]]
"""What a provider needs from the environment: ``("key" or "base_url", names)``, any name will do."""


def _needs(llm: str) -> tuple[Provider, tuple[Need, ...]] | None:
    """The provider of ``llm`` and the variables it needs (all of them)."""
    name, _, rest = llm.partition("/")
    if name == "openai-api":  # openai-api/SERVICE/MODEL: SERVICE_API_KEY and SERVICE_BASE_URL
        service = rest.split("/", 1)[0]
        if not service:
            return None  # Inspect says what is wrong with the name
        var = service.upper().replace("-", "_")
        return (_openai(f"OpenAI-compatible '{service}'"),
                (("key", (f"{var}_API_KEY",)), ("base_url", (f"{var}_BASE_URL",))))
    provider = PROVIDERS.get(name)
    if provider is None:
        return None
    return provider, ((("key", tuple(provider.keys)),) if provider.keys else ())


def provider_problems(llms: Sequence[str], *, model_args: Mapping[str, Any] | None = None,
                      environ: Mapping[str, str] | None = None) -> list[Problem]:
    """Every missing package or API-key variable of the providers of ``llms``, one per model."""
    env = os.environ if environ is None else environ
    args = set(model_args or {})
    problems = []
    if not _installed("inspect_ai"):
        problems.append(Problem("inspect-ai", "not installed (needed to call LLMs)",
                                "pip install 'autosafety[llm]' (from a checkout: "
                                "pip install -e '.[llm]')"))
    for llm in dict.fromkeys(llms):
        needs = _needs(llm)
        if needs is None:
            continue
        provider, variables = needs
        if provider.module and not _installed(provider.module):
            problems.append(Problem(
                f"--llm {llm}", f"the {provider.title} provider needs the Python package "
                f"'{provider.package}', which is not installed", f"pip install {provider.package}"))
        for kind, names in variables:
            given = "base_url" in args if kind == "base_url" else bool(args & KEY_ARGS)
            if given or any(env.get(n) for n in names):
                continue
            what = "its base URL" if kind == "base_url" else "its API key"
            which = names[0] if len(names) == 1 else f"{names[0]} (or {', '.join(names[1:])})"
            problems.append(Problem(
                f"--llm {llm}", f"the {provider.title} provider needs {what} in the "
                f"environment variable {which}, which is not set",
                f"export {names[0]}=..." + ("" if kind == "base_url"
                                            else " or pass --model-arg api_key=...")))
    return problems


def check_providers(llms: Sequence[str], *, model_args: Mapping[str, Any] | None = None) -> None:
    """Raise an InputError listing what the providers of ``llms`` lack (see :data:`PROVIDERS`)."""
    problems = provider_problems(llms, model_args=model_args)
    if problems:
        raise InputError(problems, title="cannot use the requested models")
