"""EXCALIBUR's exchange files: ``.dtt`` (assessments) and ``.rls`` (realizations).

A ``.dtt`` file starts with ``* CLASS ASCII OUTPUT FILE. NQ=   3   QU=   5  50  95`` and has one line
per (expert, item)::

        1     Anna    1  subducted dist LOG  2.00000E+0002  4.00000E+0002  6.00000E+0002

expert number (columns 1-5), expert id (6-14), item number (15-20), item id (to the scale), the
scale ``UNI`` or ``LOG``, then one value per quantile (values from -1000 to -990, e.g. ``-995``,
mean "not answered"), then optionally the question. A ``.rls`` line is item number, item id,
realization (-995 for a target item), scale and optionally the question. Every problem is reported
with its file and line.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._errors import InputError, Problem
from ._cooke import ExpertJudgements, expert_judgements

_SCALE = re.compile(r"(?<![A-Za-z])(UNI|LOG)(?![A-Za-z])", re.IGNORECASE)
_HEADER = re.compile(r"QU\s*=\s*((?:\s*[-+0-9.eE]+)+)\s*$")
_NQ = re.compile(r"NQ\s*=\s*(\d+)")
_LOOSE = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\d+)\s+(.*)$")


def _missing(x: float) -> bool:
    return -1000.0 <= x <= -990.0


@dataclass
class _Line:
    number: int
    expert_no: int
    expert: str
    item_no: int
    item: str
    scale: str
    values: list[float]


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def parse_dtt(text: str, *, origin: str = "dtt") -> tuple[list[float], list[_Line]]:
    """The quantile levels (as fractions) and the assessment lines of a ``.dtt`` text."""
    problems: list[Problem] = []
    lines = text.splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise InputError(Problem(f"{origin} line 1", "the file is empty",
                                 "give an EXCALIBUR .dtt file"), title="invalid .dtt file")
    head_no, head = numbered[0]
    m = _HEADER.search(head)
    levels: list[float] = []
    if m:
        parsed = [_number(t) for t in m.group(1).split()]
        if any(x is None for x in parsed):
            m = None
        else:
            levels = [float(x) / 100.0 for x in parsed if x is not None]
    if not m or not levels:
        raise InputError(Problem(f"{origin} line {head_no}", "no quantile header "
                                 "('* CLASS ASCII OUTPUT FILE. NQ=   3   QU=   5  50  95')",
                                 "start the file with the QU= line listing the percentiles"),
                         title="invalid .dtt file")
    nq = _NQ.search(head)
    if nq and int(nq.group(1)) != len(levels):
        problems.append(Problem(f"{origin} line {head_no}", f"NQ={nq.group(1)} but {len(levels)} "
                                "percentiles after QU=", "make them agree"))
    if any(not 0 < x < 1 for x in levels) or any(b <= a for a, b in itertools.pairwise(levels)):
        problems.append(Problem(f"{origin} line {head_no}", f"percentiles {[x * 100 for x in levels]} "
                                "are not increasing between 0 and 100", "e.g. QU=   5  50  95"))
    out: list[_Line] = []
    for n, line in numbered[1:]:
        where = f"{origin} line {n}"
        parsed_line = _parse_dtt_line(line, len(levels))
        if isinstance(parsed_line, str):
            problems.append(Problem(where, parsed_line, "expected: expert number, expert id, item "
                                    f"number, item id, UNI or LOG, then {len(levels)} numbers"))
            continue
        out.append(_Line(n, *parsed_line))
    if problems:
        raise InputError(problems, title="invalid .dtt file")
    return levels, out


def _parse_dtt_line(line: str, nq: int) -> tuple[int, str, int, str, str, list[float]] | str:
    scale = _SCALE.search(line, 20) if len(line) > 20 else None
    fixed = (scale is not None and line[:5].strip().isdigit() and line[14:20].strip().isdigit()
             and bool(line[5:14].strip()))
    if fixed and scale is not None:
        expert_no, expert = int(line[:5]), line[5:14].strip()
        item_no, item = int(line[14:20]), line[20:scale.start()].strip()
        rest = line[scale.end():]
    else:
        m = _LOOSE.match(line)
        scale = _SCALE.search(m.group(4)) if m else None
        if not m or scale is None:
            return "not an assessment line (no UNI/LOG scale or no expert and item numbers)"
        expert_no, expert, item_no = int(m.group(1)), m.group(2), int(m.group(3))
        item = m.group(4)[:scale.start()].strip()
        rest = m.group(4)[scale.end():]
    if not item:
        return "the item id is empty"
    tokens = rest.split()
    if len(tokens) < nq:
        return f"{len(tokens)} value(s) for {nq} quantiles"
    values = [_number(t) for t in tokens[:nq]]
    if any(x is None for x in values):
        bad = next(t for t, x in zip(tokens, values) if x is None)
        return f"'{bad}' is not a number"
    return expert_no, expert, item_no, item, scale.group(1).lower(), [float(x) for x in values
                                                                         if x is not None]


def parse_rls(text: str, *, origin: str = "rls") -> dict[str, tuple[float, str, int]]:
    """Item id -> (realization, NaN if missing; scale; line) from a ``.rls`` text."""
    problems: list[Problem] = []
    out: dict[str, tuple[float, str, int]] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin} line {n}"
        scale = _SCALE.search(line)
        head = line[:scale.start()].split() if scale else []
        if scale is None or len(head) < 3 or not head[0].isdigit():
            problems.append(Problem(where, "not a realization line", "expected: item number, item id, "
                                    "realization, UNI or LOG"))
            continue
        value = _number(head[-1])
        if value is None:
            problems.append(Problem(where, f"'{head[-1]}' is not a number", "give the realization"))
            continue
        item = line[:scale.start()].strip()[len(head[0]):].strip()
        item = item[: item.rfind(head[-1])].strip()
        if item in out:
            problems.append(Problem(where, f"item '{item}' again (first on line {out[item][2]})",
                                    "give each item once"))
            continue
        out[item] = (math.nan if _missing(value) else value, scale.group(1).lower(), n)
    if problems:
        raise InputError(problems, title="invalid .rls file")
    return out


def read_excalibur(dtt: Path | str, rls: Path | str) -> ExpertJudgements:
    """Read an EXCALIBUR case (``.dtt`` assessments and ``.rls`` realizations); an item missing
    from the ``.rls`` file, or with realization -995, is a target item."""
    dtt, rls = Path(dtt), Path(rls)
    texts = []
    for path in (dtt, rls):
        try:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError as e:
            raise InputError(Problem(str(path), f"cannot read: {e.strerror}",
                                     "check the path")) from None
    return judgements_from_text(texts[0], texts[1], dtt_origin=str(dtt), rls_origin=str(rls))


def judgements_from_text(dtt_text: str, rls_text: str, *, dtt_origin: str = "dtt",
                         rls_origin: str = "rls") -> ExpertJudgements:
    """:func:`read_excalibur` on texts."""
    levels, lines = parse_dtt(dtt_text, origin=dtt_origin)
    real = parse_rls(rls_text, origin=rls_origin)
    problems: list[Problem] = []
    experts: dict[int, tuple[str, int]] = {}
    items: dict[int, tuple[str, str, int]] = {}
    seen: dict[tuple[int, int], int] = {}
    for ln in lines:
        where = f"{dtt_origin} line {ln.number}"
        e = experts.setdefault(ln.expert_no, (ln.expert, ln.number))
        if e[0] != ln.expert:
            problems.append(Problem(where, f"expert {ln.expert_no} is '{ln.expert}' here but '{e[0]}' "
                                    f"on line {e[1]}", "use one id per expert number"))
        it = items.setdefault(ln.item_no, (ln.item, ln.scale, ln.number))
        if it[:2] != (ln.item, ln.scale):
            problems.append(Problem(where, f"item {ln.item_no} is '{ln.item}' {ln.scale.upper()} here "
                                    f"but '{it[0]}' {it[1].upper()} on line {it[2]}",
                                    "use one id and scale per item number"))
        key = (ln.expert_no, ln.item_no)
        if key in seen:
            problems.append(Problem(where, f"expert {ln.expert_no} answers item {ln.item_no} again "
                                    f"(first on line {seen[key]})", "keep one line per expert and item"))
        seen[key] = ln.number
    if not lines:
        problems.append(Problem(f"{dtt_origin}", "no assessment lines", "add one line per expert and item"))
    names = [x[0] for x in items.values()]
    for item, (_, scale, n) in real.items():
        if item not in names:
            problems.append(Problem(f"{rls_origin} line {n}", f"item '{item}' is not in {dtt_origin}",
                                    "use the item ids of the .dtt file"))
        elif scale != items[next(k for k, v in items.items() if v[0] == item)][1]:
            problems.append(Problem(f"{rls_origin} line {n}", f"item '{item}' is {scale.upper()} here "
                                    f"but not in {dtt_origin}", "use the same scale"))
    if problems:
        raise InputError(problems, title="invalid EXCALIBUR case")
    e_nos, i_nos = sorted(experts), sorted(items)
    e_idx = {k: x for x, k in enumerate(e_nos)}
    i_idx = {k: x for x, k in enumerate(i_nos)}
    values = np.full((len(e_nos), len(i_nos), len(levels)), np.nan)
    origin: dict[tuple[int, int], int] = {}
    for ln in lines:
        row = [math.nan if _missing(x) else x for x in ln.values]
        values[e_idx[ln.expert_no], i_idx[ln.item_no]] = row
        origin[(e_idx[ln.expert_no], i_idx[ln.item_no])] = ln.number
    item_ids = [items[k][0] for k in i_nos]
    realizations = [real[i][0] if i in real else math.nan for i in item_ids]

    def locate(e: int, i: int) -> str:
        return f"{dtt_origin} line {origin.get((e, i), '?')}"

    return expert_judgements([experts[k][0] for k in e_nos], item_ids, levels, values, realizations,
                             [items[k][1] for k in i_nos], locate=locate)


def _sci(x: float) -> str:
    if not math.isfinite(x):
        x = -995.0
    if x == 0:
        return " 0.00000E+0000"
    exp = math.floor(math.log10(abs(x)))
    mant = x / 10.0 ** exp
    if round(abs(mant), 5) >= 10:
        mant, exp = mant / 10, exp + 1
    sign = "-" if x < 0 else " "
    return f"{sign}{abs(mant):.5f}E{'-' if exp < 0 else '+'}{abs(exp):04d}"


def excalibur_texts(judgements: ExpertJudgements) -> tuple[str, str]:
    """The ``.dtt`` and ``.rls`` texts of assessments (ids cut to 8 and 14 characters, missing
    answers written as -995). Values keep 6 significant digits."""
    j = judgements
    levels = "  ".join(f"{round(100 * q):2d}" for q in j.quantiles)
    dtt = [f"* CLASS ASCII OUTPUT FILE. NQ= {len(j.quantiles):3d}   QU=  {levels}"]
    for e, ex in enumerate(j.experts):
        for i, it in enumerate(j.items):
            vals = " ".join(_sci(x) for x in j.values[e, i])
            dtt.append(f" {e + 1:4d} {ex[:8]:>8s} {i + 1:4d} {it[:14]:>14s} {j.scales[i].upper():>3s} "
                       f"{vals} ")
    rls = [f" {i + 1:4d} {it[:14]:>14s} {_sci(float(j.realizations[i]))} {j.scales[i].upper():>3s} "
           for i, it in enumerate(j.items)]
    return "\n".join(dtt) + "\n", "\n".join(rls) + "\n"


def write_excalibur(judgements: ExpertJudgements, dtt: Path | str, rls: Path | str) -> None:
    """Write assessments as EXCALIBUR ``.dtt`` and ``.rls`` files."""
    dtt_text, rls_text = excalibur_texts(judgements)
    Path(dtt).write_text(dtt_text, encoding="utf-8")
    Path(rls).write_text(rls_text, encoding="utf-8")

