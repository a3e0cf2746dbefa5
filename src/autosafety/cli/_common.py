"""Helpers shared by CLI commands: parsing KEY=VALUE options and writing tables, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import InputError, Problem

if TYPE_CHECKING:
    from rich.text import Text

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile(f"{_CONTROL.pattern[:-1]}\n\t]")


def plain(value: object, *, newlines: bool = False) -> str:
    """User text made safe for a terminal: control characters (ESC, CR, BEL...), and
    bidirectional overrides, shown as escapes (``\\x1b``) instead of being obeyed; newlines and
    tabs too unless ``newlines``."""
    pattern = _CONTROL if newlines else _CONTROL_OR_NEWLINE
    return pattern.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))


def literal(value: object, *, style: str = "", newlines: bool = False) -> Text:
    """User text for Rich, printed exactly as written: never read as markup (``[/bold]``) or emoji
    codes, control characters escaped (see :func:`plain`)."""
    from rich.text import Text

    return Text(plain(value, newlines=newlines), style=style)


class OutputFormat(StrEnum):
    """How a command prints its result."""

    table = "table"
    csv = "csv"
    json = "json"


def parse_number(text: str, *, where: str) -> float:
    """A finite float from command-line text, else an InputError naming ``where``."""
    try:
        value = float(text)
    except ValueError:
        raise InputError(Problem(where, f"'{text}' is not a number", "give a number")) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(Problem(where, f"'{text}' is not a finite number", "give a finite number"))
    return value


def parse_assignments(items: Sequence[str], *, option: str) -> dict[str, float]:
    """``["a=1", "b=2.5"]`` -> ``{"a": 1.0, "b": 2.5}``, every malformed item reported."""
    out: dict[str, float] = {}
    problems = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            problems.append(Problem(f"{option} {item}", "expected KEY=VALUE", f"e.g. {option} x=1.5"))
            continue
        try:
            out[key.strip()] = parse_number(value.strip(), where=f"{option} {item}")
        except InputError as e:
            problems += e.problems
    if problems:
        raise InputError(problems, title=f"invalid {option}")
    return out


def parse_cell_assignments(items: Sequence[str], *, option: str) -> dict[tuple[str, str], float]:
    """``["area:factor=7"]`` -> ``{("area", "factor"): 7.0}`` (keys read by the one AREA:FACTOR
    parser, :func:`autosafety.model._cells.parse_cells`)."""
    from ..model._cells import parse_cells

    return parse_cells(parse_assignments(items, option=option), where=option, option=True)


def write_json(data: Any) -> None:
    """Print data as indented JSON."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print rows as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    sys.stdout.write(out.getvalue())


def write_text_file(path: Path, text: str, *, force: bool = False) -> None:
    """Write text to a new file; refuse to overwrite an existing one unless ``force``."""
    if path.exists() and not force:
        raise InputError(Problem(str(path), "file exists", "choose another path or pass --force"),
                         title=f"not overwriting {path}")
    path.write_text(text, encoding="utf-8")
