"""The one parser of 'AREA:FACTOR' cell keys, shared by the CLI (``--rating``), the web API
(``ratings``) and scenario files, so that all three accept and refuse the same keys alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from .._errors import InputError, Problem

CELL_EXAMPLE = "interpretability:feedback_quality"
"""An example key, shown in every error about a malformed one."""
CELL_PATTERN = r"^[^:]+:[^:]+$"
"""A cell key: an area id and a factor id joined by one ':' (ids never contain ':')."""


def split_cell(key: object) -> tuple[str, str]:
    """``"area:factor"`` -> ``("area", "factor")``; a pair passes through. Anything else raises
    ValueError with the message every front end shows."""
    if isinstance(key, tuple) and len(key) == 2 and all(isinstance(x, str) for x in key):
        return key[0], key[1]
    area, sep, factor = str(key).partition(":")
    if not (sep and area and factor) or ":" in factor:
        raise ValueError(f"'{str(key)[:100]}' is not AREA:FACTOR (e.g. {CELL_EXAMPLE})")
    return area, factor


def parse_cells(cells: Mapping[str, float], *, where: str, option: bool = False
                ) -> dict[tuple[str, str], float]:
    """``{"area:factor": 7}`` -> ``{("area", "factor"): 7.0}``, every malformed key reported in one
    InputError located at ``where.KEY`` (a field path) or, for a command-line ``option``,
    ``where KEY``."""
    out: dict[tuple[str, str], float] = {}
    problems = []
    for key, value in cells.items():
        try:
            out[split_cell(key)] = value
        except ValueError as e:
            location = f"{where} {key[:100]}" if option else f"{where}.{key[:100]}"
            problems.append(Problem(location, str(e), "write the key as AREA:FACTOR"))
    if problems:
        raise InputError(problems, title=f"invalid {where}")
    return out


CellKey = Annotated[
    tuple[str, str], BeforeValidator(split_cell),
    PlainSerializer(lambda cell: f"{cell[0]}:{cell[1]}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": CELL_PATTERN,
                    "description": f"'area:factor', e.g. '{CELL_EXAMPLE}'"})]
"""A cell key in a Pydantic schema: read from ``"area:factor"`` (or a pair), held as the pair,
written back as ``"area:factor"``."""
