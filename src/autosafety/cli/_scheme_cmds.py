"""`autosafety scheme ...`: level, collapse verdict and safety case of an automated-safety scheme."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ._common import plain, write_json, write_text_file

app = typer.Typer(name="scheme", no_args_is_help=True, rich_markup_mode=None,
                  help="Automated-safety schemes: level 1-4, collapse verdict, worries, less automation "
                       "and a GSN safety case (seed: 'Automation collapse').")

SchemeArg = Annotated[str, typer.Argument(
    metavar="FILE",
    help="A scheme file (.yaml/.json) or a built-in example (see `autosafety scheme examples`).")]


@app.command()
def schema() -> None:
    """Print the JSON Schema of scheme files (YAML and JSON)."""
    from ..schemes import json_schema

    write_json(json_schema())


@app.command()
def init(path: Annotated[Path | None, typer.Argument(help="Where to write (default: stdout).")] = None,
         force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False) -> None:
    """Write a commented scheme template to edit (a valid level-2 scheme as written)."""
    from importlib import resources

    text = resources.files("autosafety.schemes").joinpath("data/template.yaml").read_text("utf-8")
    if path is None:
        typer.echo(text, nl=False)
    else:
        write_text_file(path, text, force=force)
        typer.echo(f"wrote {path}; check it with `autosafety scheme assess {path}`", err=True)


@app.command()
def examples(fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text") -> None:
    """List the built-in example schemes with their level."""
    from ..schemes import assess, load_scheme
    from ..schemes import examples as list_examples

    rows = [(e, assess(load_scheme(e.name)).level) for e in list_examples()]
    if fmt == "json":
        write_json([{"name": e.name, "title": e.title, "level": lv, "description": e.description}
                    for e, lv in rows])
        return
    for e, lv in rows:
        typer.echo(f"{e.name}  (level {lv})\n  {e.title}\n  {' '.join(e.description.split())}")


def _print_assessment(data: dict[str, Any]) -> None:
    def echo(text: str) -> None:  # names and notes are the user's: control characters escaped
        typer.echo(plain(text, newlines=True))

    echo(f"{data['scheme']}\nlevel {data['level']}: {data['level_name']}")
    if data["claimed_level_note"]:
        echo(f"note: {data['claimed_level_note']}")
    echo("\nwhy:")
    for r in data["reasons"]:
        echo(f"  {r['field']} = {r['value']}" + (f" ({r['note']})" if r["note"] else ""))
        echo(f"    seed: \u201c{' '.join(r['quote'].split())}\u201d")
    v = data["verdict"]
    echo(f"\nverdict ({v['kind']}): {' '.join(v['summary'].split())}")
    if v["collapses_into"]:
        echo(f"  collapses into: {', '.join(v['collapses_into'])}")
    for o in v["obligations"]:
        echo(f"  - {' '.join(o.split())}")
    echo("\nworries:")
    for w in data["worries"]:
        echo(f"  [{' ' if w['open'] else 'x'}] {w['id']}: {w['name']} ({w['family']})")
    if not data["worries"]:
        echo("  none triggered")
    echo("\nless automation:")
    for o in data["less_automation"]:
        gains = ", ".join(g["name"] for g in o["gains"])
        echo(f"  {o['component']}: {' '.join(o['alternative'].split())} (gains: {gains})")
    if not data["less_automation"]:
        echo("  none: already a human-written algorithm")


@app.command()
def assess(scheme: SchemeArg,
           fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text") -> None:
    """Classify a scheme (level 1-4 with reasons), give its collapse verdict, worries and alternatives."""
    from .._errors import InputError, Problem
    from ..schemes import assess as assess_scheme
    from ..schemes import load_scheme

    if fmt not in ("text", "json"):
        raise InputError(Problem("--format", f"unknown format '{fmt}'", "use text or json"))
    data = assess_scheme(load_scheme(scheme)).to_dict()
    if fmt == "json":
        write_json(data)
    else:
        _print_assessment(data)


@app.command()
def case(scheme: SchemeArg,
         fmt: Annotated[str, typer.Option("--format", "-f",
                                          help="yaml (gsn2x), dot, svg, mermaid, md or json.")] = "yaml",
         out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write.")] = None,
         force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False) -> None:
    """Write the scheme's safety-case skeleton (GSN) or its full report."""
    from .._errors import InputError, Problem
    from ..schemes import CASE_FORMATS, assess_and_build, load_scheme, render

    if fmt not in CASE_FORMATS:
        raise InputError(Problem("--format", f"unknown format '{fmt}'", "use " + ", ".join(CASE_FORMATS)))
    text = render(*assess_and_build(load_scheme(scheme)), fmt)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_text_file(out, text, force=force)
        typer.echo(f"wrote {out}", err=True)


@app.command()
def validate(
        case_files: Annotated[list[Path], typer.Argument(
            metavar="CASE...", help="gsn2x YAML files (modules; `uses` are read too), or the JSON from "
                                    "`scheme case -f json`.")],
        exclude: Annotated[list[str] | None, typer.Option(
            "--exclude", "-x", help="A module to leave out of reference checks (as gsn2x -x).")] = None,
        layer: Annotated[list[str] | None, typer.Option(
            "--layer", "-l", help="A layer attribute that must be used (as gsn2x -l).")] = None,
        extended_check: Annotated[bool, typer.Option(help="Also check V08 (as gsn2x).")] = False,
        warn_dialectic: Annotated[bool, typer.Option(
            help="Warn when counter elements are used (V11).")] = False,
        fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text") -> None:
    """Check safety cases with gsn2x's rules, in gsn2x's order and words: warnings (V02, V05, C01,
    C11, ...) exit 0, errors exit 2. Several files are modules of one argument, as in gsn2x."""
    from .._errors import InputError, Problem
    from ..schemes import RULES, validate_files

    if fmt not in ("text", "json"):
        raise InputError(Problem("--format", f"unknown format '{fmt}'", "use text or json"))
    result = validate_files(case_files, excluded=exclude or [], layers=layer or [],
                            extended_check=extended_check, warn_dialectic=warn_dialectic)
    diags, n_err = result.violations, len(result.errors)
    if fmt == "json":
        write_json(result.to_dict())
        if n_err:
            raise typer.Exit(2)
        return
    for note in result.notes:
        typer.echo(plain(f"note: {note}"), err=True)
    summary = f"{n_err} errors and {len(diags) - n_err} warnings detected"
    if n_err:
        raise InputError([Problem(f"({v.module})" if v.module is not None else "(argument)",
                                  f"{v.severity} {v.rule + ': ' if v.rule else ''}{v.message}",
                                  RULES.get(v.rule, "")) for v in diags], title=summary)
    for v in diags:
        typer.echo(plain(v.gsn2x()), err=True)
    if diags:
        typer.echo(f"Warning: {len(diags)} warnings detected.", err=True)
    typer.echo(f"ok: {', '.join(str(f) for f in case_files)}: {result.elements} elements in "
               f"{len(result.modules)} module(s), {result.undeveloped} undeveloped")


@app.command()
def confidence(
        case_file: Annotated[str, typer.Argument(
            metavar="CASE", help="A gsn2x YAML safety case, or a built-in example scheme's name.")],
        fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
    """Confidence in each claim as bounds [lower, upper] (and under independence), by each
    strategy's decomposition, with the residual-doubts register ranked by cost."""
    from .._errors import InputError, Problem
    from ..schemes import EXAMPLES, assess_and_build, load_scheme, residual_doubts, validate_files

    if fmt not in ("table", "json"):
        raise InputError(Problem("--format", f"unknown format '{fmt}'", "use table or json"))
    if case_file in EXAMPLES:
        case, base = assess_and_build(load_scheme(case_file))[1], None
    else:
        result = validate_files([case_file])
        if result.errors:
            raise InputError([Problem(case_file, v.gsn2x()) for v in result.errors],
                             title=f"{case_file} is not a valid safety case")
        case, base = result.modules[0], Path(case_file).parent
    conf = residual_doubts(case, origin=case_file, base=base)
    if fmt == "json":
        write_json(conf.to_dict())
        return
    rows = [(nid, c) for nid, c in conf.nodes.items()]
    typer.echo(f"{'element':<12} {'state':<10} {'bounds':<16} {'independent':<16} source")
    for nid, c in rows:
        typer.echo(plain(f"{nid:<12} {c.state:<10} {_iv(c.bounds):<16} {_iv(c.independent):<16} {c.source}"))
    if conf.top:
        top = conf.nodes[conf.top]
        typer.echo(f"\ntop claim {conf.top}: {top.state}, {_iv(top.bounds)} "
                   f"(independent {_iv(top.independent)})")
    if conf.register:
        typer.echo("\nresidual doubts (what resolving each would add to the top claim's lower bound):")
    for d in conf.register:
        cost = "n/a" if d.cost is None else f"{d.cost:+.3f}"
        typer.echo(plain(f"  {cost:>7}  {d.node} ({d.kind}): {' '.join(d.text.split())[:90]}"))


def _iv(iv: Any) -> str:
    return f"[{iv.lo:.3f}, {iv.hi:.3f}]"
