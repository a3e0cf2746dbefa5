"""The request matrix: one request per (LLM, sample, area, factor[, paper]), each with a stable key."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .._errors import InputError, Problem
from ..model import Model
from ..model._check import factor_scale
from ._prompt import SYSTEM_PROMPT, Paper, cell_prompt, prompt_hash, rubric_version

_LLM = re.compile(r"^[A-Za-z0-9_.\-]+/\S+$")


@dataclass(frozen=True)
class Request:
    """One call to make: an LLM asked to rate one cell (or one paper of a cell) once."""

    llm: str
    """Inspect model string, e.g. 'openai/gpt-4o' or 'openai-api/local/my-model'."""
    sample: int
    """Index of the sample (0..k-1) for this LLM and cell."""
    area: str
    """Area id."""
    factor: str
    """Factor id."""
    user: str
    """The user message."""
    prompt_hash: str
    """Hash of the system and user messages."""
    rubric_version: str
    """Version of the factor's rubric and the prompt template."""
    low: float
    """Bottom of the factor's scale."""
    high: float
    """Top of the factor's scale."""
    temperature: float | None
    """Sampling temperature (None: the provider's default)."""
    paper: Paper | None = None
    """The paper rated, for paper-based rating."""
    system: str = SYSTEM_PROMPT
    """The system message."""

    @property
    def key(self) -> str:
        """Cache key: the same request (model, messages, sample, temperature) gets the same key."""
        text = json.dumps([self.llm, self.prompt_hash, self.sample, self.temperature])
        return hashlib.sha256(text.encode()).hexdigest()


def check_llms(llms: Sequence[str]) -> list[Problem]:
    """Problems with model strings (they must look like PROVIDER/NAME)."""
    problems = [Problem(f"--llm {m}", "expected PROVIDER/NAME",
                        "e.g. anthropic/claude-3-5-haiku-latest, openai/gpt-4o, "
                        "openai-api/SERVICE/MODEL") for m in llms if not _LLM.match(m)]
    if not llms:
        problems.append(Problem("--llm", "no model given", "pass --llm PROVIDER/NAME at least once"))
    dupes = sorted({m for m in llms if list(llms).count(m) > 1})
    problems += [Problem(f"--llm {m}", "given twice", "use --samples for repeated samples")
                 for m in dupes]
    return problems


def _select(kind: str, wanted: Sequence[str] | None, known: list[str]) -> tuple[list[str], list[Problem]]:
    if not wanted:
        return known, []
    ids = [x.strip() for item in wanted for x in item.split(",") if x.strip()]
    bad = [Problem(f"--{kind}s {x}", f"unknown {kind} '{x}'", f"use one of: {', '.join(known)}")
           for x in ids if x not in known]
    return [x for x in known if x in ids], bad


def plan_requests(model: Model, *, llms: Sequence[str], samples: int = 1,
                  factors: Sequence[str] | None = None, areas: Sequence[str] | None = None,
                  papers: Sequence[Paper] = (), temperature: float | None = None) -> list[Request]:
    """Every request of an elicitation, in a stable order; every bad argument is reported at once.

    Areas with papers are rated paper by paper; the others from their description.
    """
    problems = check_llms(llms)
    if samples < 1:
        problems.append(Problem("--samples", f"must be at least 1, got {samples}", "give K >= 1"))
    if temperature is not None and not 0 <= temperature <= 2:
        problems.append(Problem("--temperature", f"{temperature} is outside 0-2", "give 0 to 2"))
    factor_ids, bad = _select("factor", factors, model.factor_ids)
    area_ids, bad_areas = _select("area", areas, model.area_ids)
    problems += bad + bad_areas
    if problems:
        raise InputError(problems, title="invalid elicitation")
    by_area: dict[str, list[Paper]] = {}
    for p in papers:
        by_area.setdefault(p.area, []).append(p)
    area_of = {a.id: a for a in model.areas}
    factor_of = {f.id: f for f in model.factors}
    out: list[Request] = []
    for llm in llms:
        for aid in area_ids:
            for fid in factor_ids:
                factor, scale = factor_of[fid], factor_scale(model.spec, fid)
                version = rubric_version(factor, scale)
                cell_papers: list[Paper | None] = list(by_area.get(aid, [])) or [None]
                for paper in cell_papers:
                    user = cell_prompt(area_of[aid], factor, scale, paper=paper)
                    digest = prompt_hash(SYSTEM_PROMPT, user)
                    out += [Request(llm, k, aid, fid, user, digest, version, scale.min, scale.max,
                                    temperature, paper) for k in range(samples)]
    return out


def parse_papers_csv(text: str, model: Model, *, origin: str = "papers.csv") -> list[Paper]:
    """Papers from a CSV with columns area, title[, abstract]; every bad row is reported."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in ("area", "title") if c not in header]
    if missing:
        raise InputError(Problem(f"{origin}: header", f"missing column(s) {', '.join(missing)}",
                                 "the header must be area,title,abstract"),
                         title=f"{origin} is not a valid papers CSV")
    problems, papers, seen = [], [], set()
    try:
        rows = list(reader)
    except csv.Error as e:
        raise InputError(Problem(f"{origin}: line {reader.line_num}", f"malformed CSV: {e}",
                                 "fix the quoting")) from None
    for n, raw in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        where = f"{origin}: line {n}"
        if None in raw:
            problems.append(Problem(where, "more fields than header columns",
                                    "quote fields that contain commas"))
        elif row["area"] not in model.area_ids:
            problems.append(Problem(f"{where} area", f"unknown area '{row['area']}'",
                                    f"use one of: {', '.join(model.area_ids)}"))
        elif not row["title"]:
            problems.append(Problem(f"{where} title", "empty title", "give the paper's title"))
        else:
            paper = Paper(row["area"], row["title"], row.get("abstract", ""))
            if (paper.area, paper.id) in seen:
                problems.append(Problem(where, f"duplicate paper '{paper.title}'", "remove it"))
            seen.add((paper.area, paper.id))
            papers.append(paper)
    if not problems and not papers:
        problems.append(Problem(origin, "no papers", "add rows: area,title,abstract"))
    if problems:
        raise InputError(problems, title=f"{origin} is not a valid papers CSV")
    return papers
