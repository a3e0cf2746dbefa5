"""Reading and writing model files (YAML, JSON, CSV) and rating CSVs, with located errors."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from .._errors import InputError, Problem
from .._input import load_json, load_yaml
from ._model import Model
from ._spec import ModelSpec, Rating

MAX_BYTES = 20 * 1024 * 1024
"""Largest model or ratings file accepted (20 MB)."""

CSV_HEADER_PREFIX = "# autosafety-model:"
RATING_COLUMNS = ["area", "factor", "rater", "value", "low", "high", "credibility", "rationale",
                  "provenance"]
REQUIRED_COLUMNS = RATING_COLUMNS[:4]
Format = Literal["yaml", "json", "csv"]


def read_text(path: Path) -> str:
    """The text of a user file, refusing missing, oversized or non-UTF-8 files."""
    if not path.is_file():
        raise InputError(Problem(str(path), "no such file", "check the path"))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(Problem(str(path), f"file is {size / 1e6:.1f} MB, over the "
                                 f"{MAX_BYTES // 2**20} MB limit", "split it or trim it"))
    try:
        return path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise InputError(Problem(str(path), f"not UTF-8 text ({e.reason} at byte {e.start})",
                                 "save the file as UTF-8")) from None


def _field_path(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def pydantic_problems(err: ValidationError, origin: str) -> list[Problem]:
    """One Problem per Pydantic error, located by field path."""
    problems = []
    for e in err.errors():
        loc = _field_path(x for x in e["loc"] if x != "[key]")  # a bad dict key: located at the key
        msg = e["msg"]
        fix = ""
        if e["type"] == "value_error" and "error" in e.get("ctx", {}):
            msg = str(e["ctx"]["error"])  # our own message, without Pydantic's "Value error, "
        elif e["type"] == "extra_forbidden":
            msg, fix = "unknown field", "remove it or check its spelling (see `autosafety schema`)"
        elif e["type"] == "missing":
            fix = "add this field"
        elif e["type"] in ("float_parsing", "float_type"):
            fix = "give a number"
        elif e["type"] == "finite_number":
            msg, fix = "NaN or infinity is not allowed", "give a finite number"
        elif e["type"] == "greater_than_equal":
            fix = "give a value >= 0"
        problems.append(Problem(f"{origin}: {loc}", msg, fix))
    return problems


def model_from_data(data: Any, *, origin: str = "model") -> Model:
    """A validated Model from parsed YAML/JSON data, every problem listed with its field path."""
    if not isinstance(data, dict):
        raise InputError(Problem(origin, f"expected a mapping at the top level, got "
                                 f"{type(data).__name__}", "see `autosafety init` for a template"),
                         title=f"{origin} is not a valid model")
    try:
        spec = ModelSpec.model_validate(data)
    except ValidationError as e:
        raise InputError(_one_pass(pydantic_problems(e, origin), data, origin),
                         title=f"{origin} is not a valid model") from None
    return Model(spec, origin=origin)


_REFERENCES = {"factors": (".factor",), "areas": (".area", "stated_ranking.order"),
               "raters": (".rater",), "groups": (".group",)}


def _one_pass(schema: list[Problem], data: dict[str, Any], origin: str) -> list[Problem]:
    """The schema's problems with the cross-reference checks of what could still be read (see
    :mod:`._salvage`), in the file's order; a check is left out where the schema already reported
    the same place or a place it lies in (a section that is not a list is not also empty)."""
    from ._check import check_spec
    from ._salvage import salvage

    refused = {p.location for p in schema}
    unread = [ref for section, refs in _REFERENCES.items() if f"{origin}: {section}" in refused
              for ref in refs]  # a reference into a section that is not a list is not "unknown"
    cross = [p for p in check_spec(salvage(data), origin=origin)
             if not any(p.location == r or p.location.startswith((r + ".", r + "["))
                        for r in refused)
             and not any(ref in p.location.removeprefix(f"{origin}: ") for ref in unread)]
    order = list(ModelSpec.model_fields)

    def key(p: Problem) -> tuple[int, list[int | str]]:
        path = p.location.removeprefix(f"{origin}: ")
        head = re.split(r"[.\[]", path, maxsplit=1)[0]
        parts = [int(x) if x.isascii() and x.isdigit() else x for x in re.split(r"([0-9]+)", path)]
        return (order.index(head) if head in order else len(order), parts)

    return sorted(schema + cross, key=key)


def parse_model_text(text: str, *, fmt: Format, origin: str = "model") -> Model:
    """A Model from the text of a YAML, JSON or CSV model file."""
    text = text.removeprefix("\ufeff")  # spreadsheets and some editors start files with a BOM
    if fmt == "csv":
        return _model_from_csv(text, origin=origin)
    data = load_json(text, origin=origin) if fmt == "json" else load_yaml(text, origin=origin)
    return model_from_data(data, origin=origin)


def format_of(path: Path) -> Format:
    """The file format implied by a file name's extension."""
    ext = path.suffix.lower()
    if ext in (".yaml", ".yml"):
        return "yaml"
    if ext in (".json", ".csv"):
        return ext[1:]  # type: ignore[return-value]
    raise InputError(Problem(str(path), f"unknown file extension '{ext}'",
                             "use .yaml, .yml, .json or .csv"))


def read_model_file(path: Path) -> Model:
    """A Model from a YAML, JSON or CSV file."""
    fmt = format_of(path)
    return parse_model_text(read_text(path), fmt=fmt, origin=str(path))


# -- CSV ----------------------------------------------------------------------------------------
def parse_ratings_csv(text: str, *, origin: str = "ratings.csv",
                      model: Model | ModelSpec | None = None) -> list[Rating]:
    """Ratings from a tidy CSV (area,factor,rater,value[,low,high,credibility,rationale,...]).

    With ``model`` (or a bare spec), the rows that parse are also checked against it in the same
    pass, each at its line: unknown areas and factors (with "did you mean"), values off the
    factor's scale, a cell a rater rates twice (in the file, or already in the model)."""
    text = text.removeprefix("\ufeff")  # spreadsheets write a UTF-8 BOM first
    records = _csv_records(text, origin)
    header = records[0][1] if records else []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(Problem(f"{origin}: header", f"missing column(s) {', '.join(missing)}",
                                 f"the header must include {','.join(REQUIRED_COLUMNS)}"),
                         title=f"{origin} is not a valid ratings CSV")
    unknown = [c for c in header if c not in RATING_COLUMNS]
    problems = [Problem(f"{origin}: header", f"unknown column '{c}'",
                        f"use only {','.join(RATING_COLUMNS)}") for c in unknown]
    problems += [Problem(f"{origin}: header", f"column '{c}' appears {header.count(c)} times",
                         "keep one column of each name (the later one would silently win)")
                 for c in dict.fromkeys(header) if header.count(c) > 1]
    ratings: list[Rating] = []
    row_lines: list[str] = []
    for number, fields in records[1:]:
        line = f"{origin}: line {number}"
        if len(fields) > len(header):
            problems.append(Problem(line, "more fields than header columns",
                                    "quote fields that contain commas"))
            continue
        data: dict[str, Any] = {k: v for k, v in zip(header, fields) if k in RATING_COLUMNS and v != ""}
        if data.get("provenance"):
            try:
                data["provenance"] = load_json(data["provenance"], origin=f"{line} provenance")
            except InputError as e:
                problems += [Problem(p.location, f"not a usable JSON object ({p.message})",
                                     'write it as JSON, e.g. {"model": "..."}') for p in e.problems]
                continue
        try:
            ratings.append(Rating.model_validate(data))
            row_lines.append(line)
        except ValidationError as e:
            problems += [Problem(f"{line} {p.location.removeprefix(f'{origin}: ')}", p.message, p.fix)
                         for p in pydantic_problems(e, origin)]
    if model is not None:
        spec, where = (model.spec, model.origin) if isinstance(model, Model) else (model, "the model")
        problems += _against(spec, ratings, row_lines, where=where)
        problems.sort(key=_line_number)
    if problems:
        raise InputError(problems, title=f"{origin} is not a valid ratings CSV")
    return ratings


def _csv_records(text: str, origin: str) -> list[tuple[int, list[str]]]:
    """(line the record starts on, its fields) for each record of a CSV text. Blank lines and
    comment lines (a '#' first on a line where a record would start) are left out; a '#' inside
    a quoted field spanning lines is data."""
    lines = io.StringIO(text).readlines()        # the lines the csv reader reads, one by one
    reader = csv.reader(io.StringIO(text))
    records, read = [], 0
    try:
        for fields in reader:
            start, read = read + 1, reader.line_num
            if fields and not lines[start - 1].startswith("#"):
                records.append((start, fields))
    except csv.Error as e:
        raise InputError(Problem(f"{origin}: line {reader.line_num}", f"malformed CSV: {e}",
                                 "fix the quoting"), title=f"{origin} is not a valid CSV") from None
    return records


def _line_number(p: Problem) -> int:
    """The CSV line a problem is at (the last "line N": the file's name may hold one)."""
    found = re.findall(r"line (\d+)", p.location)
    return int(found[-1]) if found else 0


def _against(spec: ModelSpec, ratings: list[Rating], lines: list[str], *,
             where: str) -> list[Problem]:
    """Problems of parsed CSV ratings against the model they are for, located by line (``where``
    names the model's file, for a cell it already rates)."""
    from ._check import off_scale, suggest

    problems = []
    areas = {a.id for a in spec.areas if a.id is not None}
    factors = {f.id for f in spec.factors if f.id is not None}
    taken = {(r.area, r.factor, r.rater): where for r in spec.ratings}
    for r, line in zip(ratings, lines):
        for field, known in (("area", areas), ("factor", factors)):
            value = getattr(r, field)
            if value not in known:
                problems.append(Problem(f"{line} {field}", f"unknown {field} '{value}' in "
                                        f"{spec.id}", suggest(value, known)))
        if r.factor in factors:
            problems += [Problem(f"{line} {field}", message, fix)
                         for field, message, fix in off_scale(spec, r)]
        key = (r.area, r.factor, r.rater)
        if key in taken:
            problems.append(Problem(line, f"second rating of ({r.area}, {r.factor}) by "
                                    f"'{r.rater}' (first in {taken[key]})",
                                    "keep one rating per area, factor and rater"))
        else:
            taken[key] = "line " + line.rsplit("line ", 1)[-1]   # the file's name may hold ": "
    return problems


def ratings_to_csv(ratings: Iterable[Rating]) -> str:
    """The tidy ratings CSV for ``ratings`` (empty optional fields left blank)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RATING_COLUMNS)
    for r in ratings:
        writer.writerow([r.area, r.factor, r.rater, repr(r.value),
                         "" if r.low is None else repr(r.low),
                         "" if r.high is None else repr(r.high),
                         "" if r.credibility is None else repr(r.credibility), r.rationale,
                         json.dumps(r.provenance, sort_keys=True) if r.provenance else ""])
    return out.getvalue()


def _model_from_csv(text: str, *, origin: str) -> Model:
    first = text.split("\n", 1)[0]
    if not first.startswith(CSV_HEADER_PREFIX):
        raise InputError(Problem(f"{origin}: line 1", "this CSV has ratings but no model (factors, "
                                 "areas, raters)", f"start it with a '{CSV_HEADER_PREFIX} {{...}}' "
                                 "line as `autosafety export MODEL --format csv` writes, or merge "
                                 "it into a model with `autosafety score MODEL --ratings FILE`"))
    try:
        meta = load_json(first[len(CSV_HEADER_PREFIX):], origin=f"{origin}: line 1")
    except InputError as e:
        raise InputError([Problem(p.location, f"malformed model header: {p.message}",
                                  "fix the JSON after the prefix") for p in e.problems]) from None
    if not isinstance(meta, dict):
        raise InputError(Problem(f"{origin}: line 1", "the model header must be a JSON object",
                                 "write it as {...}"))
    # one pass: the header's schema problems and every row's, the rows checked against the
    # header's factors and areas (what of them could be read)
    header: list[Problem] = []
    try:
        spec = ModelSpec.model_validate({**meta, "ratings": []})
    except ValidationError as e:
        from ._salvage import salvage

        header = [Problem(f"{origin}: line 1 {p.location.removeprefix(f'{origin}: ')}", p.message,
                          p.fix)
                  for p in pydantic_problems(e, origin)]
        spec = salvage({**meta, "ratings": []})
    try:
        ratings = parse_ratings_csv(text, origin=origin, model=spec)
    except InputError as e:
        unread = [f" {s[:-1]}" for s in ("factors", "areas")
                  if any(p.location == f"{origin}: line 1 {s}" for p in header)]
        rows = [p for p in e.problems if not (unread and p.location.endswith(tuple(unread)))]
        raise InputError(header + rows, title=f"{origin} is not a valid model") from None
    if header:
        raise InputError(header, title=f"{origin} is not a valid model")
    return model_from_data({**meta, "ratings": [r.model_dump() for r in ratings]}, origin=origin)


# -- export -------------------------------------------------------------------------------------
def dump_model(model: Model, fmt: Format) -> str:
    """The model as YAML, JSON or CSV text that loads back to an identical model."""
    data = model.spec.model_dump(mode="json")
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if fmt == "csv":
        meta = {k: v for k, v in data.items() if k != "ratings"}
        header = CSV_HEADER_PREFIX + " " + json.dumps(meta, ensure_ascii=False)
        return header + "\n" + ratings_to_csv(model.spec.ratings)
    raise InputError(Problem("--format", f"unknown format '{fmt}'", "use yaml, json or csv"))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of model files (YAML and JSON share it)."""
    schema = ModelSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "autosafety model"
    return schema
