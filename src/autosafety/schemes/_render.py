"""Outputs of a safety case and assessment: gsn2x YAML, Graphviz DOT and SVG, Mermaid, Markdown, JSON."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from typing import Literal

import yaml

from .._errors import InputError, Problem
from ._assess import Assessment
from ._confidence import Confidence, residual_doubts
from ._gsn import SafetyCase, validate

CaseFormat = Literal["yaml", "dot", "svg", "mermaid", "md", "json"]
CASE_FORMATS: tuple[str, ...] = CaseFormat.__args__  # type: ignore[attr-defined]
MEDIA_TYPES = {"yaml": "application/yaml", "dot": "text/vnd.graphviz", "svg": "image/svg+xml",
               "mermaid": "text/plain", "md": "text/markdown", "json": "application/json"}

_DOT_SHAPES = {"Goal": 'shape=box', "Strategy": 'shape=parallelogram', "Solution": 'shape=circle',
               "Context": 'shape=box, style="rounded"', "Assumption": 'shape=ellipse',
               "Justification": 'shape=ellipse', "CounterGoal": 'shape=box, color="red"',
               "CounterSolution": 'shape=circle, color="red"'}
_MERMAID_SHAPES = {"Goal": ('["', '"]'), "Strategy": ('[/"', '"/]'), "Solution": ('(("', '"))'),
                   "Context": ('("', '")'), "Assumption": ('(["', '"])'), "Justification": ('(["', '"])'),
                   "CounterGoal": ('["', '"]'), "CounterSolution": ('(("', '"))')}
_SUFFIX = {"Assumption": "A", "Justification": "J"}
STATE_COLOURS = {"supported": "#d8f0d8", "challenged": "#f6d2c6", "unknown": "#e4e4e4"}
"""Fill colour of an element by its confidence state (the same in DOT, SVG, Mermaid and the page)."""


def _conf_line(conf: Confidence | None, nid: str) -> str | None:
    if conf is None or nid not in conf.nodes:
        return None
    c = conf.nodes[nid]
    return f"{c.state} [{c.bounds.lo:.2f}, {c.bounds.hi:.2f}]"


class _GsnDumper(yaml.SafeDumper):
    """Writes reference lists in flow style (``supportedBy: [S1, G2]``) as gsn2x's examples do."""


_GsnDumper.add_representer(
    list, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def to_yaml(case: SafetyCase) -> str:
    """gsn2x-compatible YAML (a `module` entry, then the elements)."""
    return yaml.dump(case.to_gsn2x(), Dumper=_GsnDumper, sort_keys=False, allow_unicode=True, width=100)


def _wrap(text: str, width: int = 38) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width) or [""]


def _dot_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _safe_url(url: str) -> bool:
    return bool(url) and not re.match(r"^\s*(javascript|data|vbscript):", url, re.IGNORECASE)


def to_dot(case: SafetyCase, *, confidence: Confidence | None = None) -> str:
    """Graphviz DOT with GSN shapes: supportedBy solid arrows, inContextOf hollow arrows; with
    ``confidence``, each argued element shows its bounds and is filled by its state."""
    lines = ["digraph gsn {", "  rankdir=TB;", '  node [fontname="Helvetica", fontsize=10];',
             "  edge [arrowsize=0.8];"]
    if case.brief:
        lines.append(f"  label={_dot_str(case.brief)}; labelloc=t;")
    context_parents: dict[str, list[str]] = {}
    for n in case.nodes.values():
        for c in n.in_context_of:
            context_parents.setdefault(c, []).append(n.id)
    for n in case.nodes.values():
        body = _wrap(n.text)
        if n.undeveloped:
            body.append("\u25c7 undeveloped")
        conf_line = _conf_line(confidence, n.id)
        if conf_line:
            body.append(conf_line)
        label = "\\n".join(s.replace("\\", "\\\\").replace('"', '\\"') for s in [n.id, *body])
        attrs = [_DOT_SHAPES.get(n.type, "shape=box"), f'label="{label}"']
        if confidence is not None and n.id in confidence.nodes:
            attrs.append(f'fillcolor="{STATE_COLOURS[confidence.nodes[n.id].state]}"')
        if n.type in _SUFFIX:
            attrs.append(f'xlabel="{_SUFFIX[n.type]}"')
        filled = confidence is not None and n.id in confidence.nodes
        if n.undeveloped or filled:
            styles = [s for s, on in (("dashed", n.undeveloped), ("filled", filled)) if on]
            attrs.append(f'style="{",".join(styles)}"')
        if _safe_url(n.url):
            attrs.append(f"URL={_dot_str(n.url)}")
        lines.append(f"  {_dot_str(n.id)} [{', '.join(attrs)}];")
    for n in case.nodes.values():
        for child in n.supported_by:
            lines.append(f"  {_dot_str(n.id)} -> {_dot_str(child)} [arrowhead=normal];")
        for ctx in n.in_context_of:
            lines.append(f"  {_dot_str(n.id)} -> {_dot_str(ctx)} [arrowhead=empty];")
        for target in n.challenges:
            lines.append(f'  {_dot_str(n.id)} -> {_dot_str(target)} [color="red", style="dashed"];')
    for ctx, parents in context_parents.items():
        if len(parents) == 1 and ctx in case.nodes:
            lines.append(f"  {{rank=same; {_dot_str(parents[0])}; {_dot_str(ctx)};}}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_to_svg(dot: str, *, timeout: float = 60.0) -> str:
    """SVG from DOT text with Debian's graphviz `dot` binary."""
    exe = shutil.which("dot")
    if exe is None:
        raise InputError(Problem("graphviz", "the `dot` program is not installed",
                                 "install graphviz (apt-get install graphviz; scripts/setup.sh does it)"))
    run = subprocess.run([exe, "-Tsvg"], input=dot.encode(), capture_output=True, timeout=timeout,
                         check=False)
    if run.returncode != 0:
        raise InputError(Problem("graphviz", f"dot failed: {run.stderr.decode(errors='replace').strip()}",
                                 "check the safety case"))
    return run.stdout.decode("utf-8")


def to_svg(case: SafetyCase, *, confidence: Confidence | None = None) -> str:
    """The case drawn as SVG by Graphviz."""
    return dot_to_svg(to_dot(case, confidence=confidence))


def _mermaid_text(text: str) -> str:
    escaped = text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return "<br/>".join(_wrap(escaped, 40))


def to_mermaid(case: SafetyCase, *, confidence: Confidence | None = None) -> str:
    """A Mermaid flowchart: supportedBy `-->`, inContextOf `-.->`, undeveloped nodes dashed; with
    ``confidence``, bounds in each argued element and a class per state."""
    mid = {nid: "n_" + re.sub(r"[^A-Za-z0-9_]", "_", nid) for nid in case.nodes}
    lines = ["flowchart TD"]
    for n in case.nodes.values():
        left, right = _MERMAID_SHAPES.get(n.type, ('["', '"]'))
        conf_line = _conf_line(confidence, n.id)
        label = _mermaid_text(f"{n.id}: {n.text}") + (f"<br/>{conf_line}" if conf_line else "")
        lines.append(f"  {mid[n.id]}{left}{label}{right}")
    for n in case.nodes.values():
        lines += [f"  {mid[n.id]} --> {mid[c]}" for c in n.supported_by if c in mid]
        lines += [f"  {mid[n.id]} -.-> {mid[c]}" for c in n.in_context_of if c in mid]
    undeveloped = [mid[n.id] for n in case.nodes.values() if n.undeveloped]
    lines.append("  classDef undeveloped stroke-dasharray: 5 5")
    if undeveloped:
        lines.append(f"  class {','.join(undeveloped)} undeveloped")
    if confidence is not None:
        for state, colour in STATE_COLOURS.items():
            members = [mid[k] for k, c in confidence.nodes.items() if c.state == state and k in mid]
            lines.append(f"  classDef {state} fill:{colour}")
            if members:
                lines.append(f"  class {','.join(members)} {state}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(assessment: Assessment, case: SafetyCase) -> str:
    """The report: level and reasons, collapse verdict, open worries as a checklist, less automation."""
    a, v = assessment, assessment.verdict
    out = [f"# {_md(a.scheme.name)}", "", f"**Level {a.level}: {a.level_name}**", ""]
    if a.scheme.description:
        out += [_md(a.scheme.description), ""]
    if a.claimed_level_note:
        out += [f"> **Claimed level differs.** {_md(a.claimed_level_note)}", ""]
    out += ["## Why this level", ""]
    for r in a.reasons:
        note = f" ({_md(r.note)})" if r.note else ""
        out.append(f"- `{r.field}` = `{r.value}`{note}. The seed: \u201c{_md(r.quote)}\u201d")
    out += ["", "## Verdict", "", _md(v.summary), "", f"> {_md(v.quote)}", ""]
    if v.collapses_into:
        out += [f"Collapses into a human-written scheme of: **{', '.join(v.collapses_into)}**.", ""]
    for note in v.notes:
        out += [f"> {_md(note)}", ""]
    if v.obligations:
        out += ["Obligations:", "", *[f"1. {_md(o)}" for o in v.obligations], ""]
    out += ["## Worries to develop", ""]
    for t in a.worries:
        box = "x" if t.evidence else " "
        out.append(f"- [{box}] **{_md(t.worry.name)}** ({t.worry.family}): {_md(t.worry.claim)}")
        out.append(f"  - seed: \u201c{_md(t.worry.quote)}\u201d")
        out.append(f"  - triggered by: {_md('; '.join(t.because))}")
        if t.evidence:
            out.append(f"  - evidence: {_md('; '.join(t.evidence))}")
    if not a.worries:
        out.append("No known worry is triggered.")
    out += ["", "## Less automation", ""]
    if a.options:
        out += ["| component | instead of | less automated alternative | gains |", "|---|---|---|---|"]
        out += [f"| {o.alternative.component} | {_md(o.alternative.instead_of)} | "
                f"{_md(o.alternative.alternative)} | {', '.join(g['name'] for g in o.gains)} |"
                for o in a.options]
    else:
        out.append("The scheme is already a human-written algorithm; the seed names no less automated "
                   "variant.")
    problems = validate(case)
    status = "valid under gsn2x's rules" if not problems else f"{len(problems)} rule violation(s)"
    conf = residual_doubts(case)
    open_goals = sum(1 for n in case.nodes.values() if n.undeveloped)
    out += ["", "## Safety case", "", f"{len(case.nodes)} elements, {open_goals} undeveloped; {status}.", "",
            "```mermaid", to_mermaid(case, confidence=conf).rstrip(), "```", ""]
    return "\n".join(out + _confidence_md(conf))


def _confidence_md(conf: Confidence) -> list[str]:
    """The top claim's confidence and the residual-doubt register (open worries first)."""
    out = ["## Confidence", ""]
    if conf.top:
        t = conf.nodes[conf.top]
        out += [f"Top claim {conf.top}: **{t.state}**, bounds [{t.bounds.lo:.2f}, {t.bounds.hi:.2f}] "
                f"(under independence [{t.independent.lo:.2f}, {t.independent.hi:.2f}]).", ""]
        if t.state == "unknown":
            out += ["The top claim stays unknown until evidence with a confidence is attached; the register "
                    "lists what would raise it most, the seed's open worries first.", ""]
    out += ["### Residual doubts", ""]
    if not conf.register:
        return [*out, "None: every goal is developed, every solution has a confidence and no defeater "
                      "stands.", ""]
    out += ["| rank | element | kind | raises the top claim's lower bound by | doubt |",
            "|---|---|---|---|---|"]
    for i, d in enumerate(conf.register, 1):
        cost = "n/a" if d.cost is None else f"{d.cost:.2f}"
        kind = f"{d.kind} ({d.worry})" if d.worry else d.kind
        out.append(f"| {i} | {d.node} | {kind} | {cost} | {_md(d.text)} |")
    return [*out, ""]


def to_json(assessment: Assessment, case: SafetyCase) -> str:
    """The assessment, the case (gsn2x data) and its validation, as JSON."""
    data = {**assessment.to_dict(), "case": case.to_gsn2x(),
            "validation": [{"node": p.node, "rule": p.rule, "message": p.message} for p in validate(case)]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render(assessment: Assessment, case: SafetyCase, fmt: str) -> str:
    """The case or report in one of :data:`CASE_FORMATS`."""
    if fmt not in CASE_FORMATS:
        raise InputError(Problem("--format", f"unknown format '{fmt}'", "use " + ", ".join(CASE_FORMATS)))
    if fmt == "yaml":
        return to_yaml(case)
    if fmt == "dot":
        return to_dot(case, confidence=residual_doubts(case))
    if fmt == "svg":
        return to_svg(case, confidence=residual_doubts(case))
    if fmt == "mermaid":
        return to_mermaid(case, confidence=residual_doubts(case))
    if fmt == "md":
        return to_markdown(assessment, case)
    return to_json(assessment, case)
