"""A tolerant parser for rating answers: strict JSON first, then JSON inside prose, then patterns."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "refused", "unparseable", "out_of_range", "error"]
"""Outcome of one request: a usable rating, or why there is none ('error': the call failed)."""

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_PATTERNS = [
    re.compile(rf"\brating\b[^0-9+\-]{{0,20}}({_NUMBER})", re.IGNORECASE),
    re.compile(rf"({_NUMBER})\s*(?:/|out of)\s*\d+", re.IGNORECASE),
    re.compile(rf"\b(?:score|rate it|i rate|i'd rate|i would rate)\b[^0-9+\-]{{0,20}}({_NUMBER})",
               re.IGNORECASE),
]
_ONLY_NUMBER = re.compile(rf"^\s*({_NUMBER})\s*\.?\s*$")
_REFUSAL = re.compile(
    r"\b(?:i\s*(?:can(?:not|'t|’t)|won(?:'t|’t)|am\s+(?:not\s+able|unable)|'m\s+(?:not\s+able|unable)"
    r"|’m\s+(?:not\s+able|unable)|must\s+decline|decline)|as\s+an\s+ai\b[^.]*\b(?:can(?:not|'t)|"
    r"unable)|unable\s+to\s+(?:provide|give|rate))", re.IGNORECASE)


@dataclass(frozen=True)
class Parsed:
    """What was read from one answer."""

    status: Status
    """'ok' when ``value`` is a usable rating."""
    value: float | None = None
    """The rating read (also kept when out of range)."""
    rationale: str = ""
    """The model's rationale, if it gave one."""
    problem: str = ""
    """Why the answer is not usable (empty when ok)."""


def _json_objects(text: str) -> list[dict[str, object]]:
    """Every JSON object embedded in ``text`` (code fences and prose around it are ignored)."""
    found = []
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            obj, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(obj, dict):
            found.append(obj)
        start = text.find("{", end)
    return found


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        m = re.search(_NUMBER, value)
        return float(m.group()) if m else None
    return None


def _read(text: str) -> tuple[float | None, str]:
    for obj in _json_objects(text):
        keys = {k.lower(): k for k in obj}
        for name in ("rating", "score", "value"):
            if name in keys:
                value = _number(obj[keys[name]])
                if value is not None:
                    why = next((obj[keys[k]] for k in ("rationale", "reason", "reasoning",
                                                       "explanation") if k in keys), "")
                    return value, why if isinstance(why, str) else json.dumps(why)
    m = _ONLY_NUMBER.match(text)
    if m:
        return float(m.group(1)), ""
    for pattern in _PATTERNS:
        m = pattern.search(text)
        if m:
            return float(m.group(1)), text.strip()
    return None, ""


def parse_answer(text: str, *, low: float, high: float, refused: bool = False) -> Parsed:
    """Read a rating on the scale [low, high] from a model's answer.

    ``refused`` is True when the provider itself flagged a refusal (e.g. a content filter).
    A refusal without any rating in it is 'refused'; text with no rating is 'unparseable'; a
    rating outside the scale is 'out_of_range' (never clipped).
    """
    value, rationale = _read(text)
    if value is None or not math.isfinite(value):
        if refused or _REFUSAL.search(text):
            return Parsed("refused", problem="the model declined to rate")
        what = "an empty answer" if not text.strip() else "no rating found in the answer"
        return Parsed("unparseable", problem=what)
    if refused:
        return Parsed("refused", value, rationale, "the provider flagged the answer as a refusal")
    if not low <= value <= high:
        return Parsed("out_of_range", value, rationale,
                      f"rating {value:g} is outside the scale {low:g}-{high:g}")
    return Parsed("ok", value, rationale.strip())
