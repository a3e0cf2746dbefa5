"""Rubrics and prompts: what a rater LLM is asked for one (area, factor) cell or one paper.

Pure functions: the same inputs always give the same prompt text and hash, so a prompt hash in a
rating's provenance identifies exactly what the model was shown.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..model import Area, Factor, Scale

PROMPT_VERSION = 1
"""Version of the prompt template; part of every rubric version."""

SYSTEM_PROMPT = (
    "You are an expert in machine-learning research who rates research areas for a forecasting "
    "model of which areas of AI research will be sped up by AI automation first. Rate carefully "
    "and independently, using only the rubric given. Answer with a JSON object and nothing else."
)

RATING_SCHEMA: dict[str, object] = {
    "type": "object",
    "properties": {
        "rating": {"type": "number", "description": "The rating on the rubric's scale."},
        "rationale": {"type": "string", "description": "One or two sentences explaining it."},
    },
    "required": ["rating", "rationale"],
    "additionalProperties": False,
}
"""JSON schema of the structured answer."""


@dataclass(frozen=True)
class Paper:
    """A paper given as evidence for an area (one row of a papers CSV)."""

    area: str
    """Id of the area the paper belongs to."""
    title: str
    """The paper's title."""
    abstract: str = ""
    """Its abstract (may be empty)."""

    @property
    def id(self) -> str:
        """A short stable id: the hash of the title and abstract."""
        return _digest(self.title, self.abstract)[:12]


def _digest(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def anchors(factor: Factor, scale: Scale) -> list[tuple[str, str]]:
    """The factor's rubric anchors in scale order, or the scale's two ends if it has none."""
    if factor.rubric:
        def key(item: tuple[str, str]) -> float:
            try:
                return float(item[0])
            except ValueError:
                return float("inf")
        return sorted(factor.rubric.items(), key=key)
    low, high = ("more", "less") if factor.direction == "lower" else ("less", "more")
    return [(f"{scale.min:g}", f"the area is much {low} amenable to automation on this factor"),
            (f"{scale.max:g}", f"the area is much {high} amenable to automation on this factor")]


def rubric_version(factor: Factor, scale: Scale) -> str:
    """``"<template version>-<hash>"``: changes whenever the factor's definition, anchors or scale do."""
    content = json.dumps({"name": factor.name or factor.id, "description": factor.description,
                          "anchors": anchors(factor, scale), "scale": [scale.min, scale.max]},
                         sort_keys=True, ensure_ascii=False)
    return f"{PROMPT_VERSION}-{_digest(content)[:8]}"


def cell_prompt(area: Area, factor: Factor, scale: Scale, *, paper: Paper | None = None) -> str:
    """The user message asking for a rating of ``area`` (or of one of its papers) on ``factor``."""
    lines = [f"Research area: {area.name or area.id}"]
    if area.description:
        lines.append(f"Area description: {area.description}")
    if paper is not None:
        lines += ["", "Rate the research described by this paper from the area, as representative "
                  "of the area's work:", f"Title: {paper.title}"]
        if paper.abstract:
            lines.append(f"Abstract: {paper.abstract}")
    lines += ["", f"Factor: {factor.name or factor.id}"]
    if factor.description:
        lines.append(f"Definition: {factor.description}")
    lines += ["", f"Rubric (scale {scale.min:g} to {scale.max:g}; intermediate values allowed):"]
    lines += [f"  {value}: {meaning}" for value, meaning in anchors(factor, scale)]
    subject = "this paper's research" if paper is not None else "this research area"
    lines += ["", f"Rate {subject} on the factor. Reply with only a JSON object: "
              f'{{"rating": <number from {scale.min:g} to {scale.max:g}>, '
              '"rationale": "<one or two sentences>"}']
    return "\n".join(lines)


def prompt_hash(system: str, user: str) -> str:
    """A short hash of the exact messages sent."""
    return _digest(system, user)[:16]
