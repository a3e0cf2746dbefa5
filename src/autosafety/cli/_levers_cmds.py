"""`autosafety levers MODEL`: the 004 post's levers ranked by how much they close the gap; with
--timeline by the months they move the dates; with --budget/--cost the best portfolio."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import OutputFormat, write_csv, write_json
from ._model_cmds import ModelArg

if TYPE_CHECKING:
    from rich.console import Console


def levers(model: ModelArg,
           levers_file: Annotated[str | None, typer.Option(
               "--levers", metavar="FILE", help="A lever file (YAML/JSON; see --schema); default: "
               "the built-in catalogue of the 004 post's levers.")] = None,
           units: Annotated[float, typer.Option(help="Units of each lever (1 = as the catalogue "
                                                "states it).")] = 1.0,
           timeline: Annotated[bool, typer.Option(
               "--timeline", help="Also: months each lever moves the 10x dates (common random "
               "numbers).")] = False,
           draws: Annotated[int, typer.Option(help="Timeline draws.")] = 20_000,
           seed: Annotated[int, typer.Option(help="Random seed (results are reproducible).")] = 0,
           budget: Annotated[float | None, typer.Option(
               help="Budget for --cost: the portfolio that closes the gap most.")] = None,
           cost: Annotated[Path | None, typer.Option(
               metavar="FILE", help="Cost per unit of each lever (YAML/JSON; see docs/levers.md).")] = None,
           objective: Annotated[str, typer.Option(
               help="With --timeline --budget: what the portfolio maximises: months (net months the "
               "categories' median dates move apart for safety), safety_months, or p (change of "
               "P(every safety area before the median capabilities area)).")] = "months",
           search_draws: Annotated[int, typer.Option(
               help="With --timeline --budget: draws of every candidate portfolio in the search (same "
               "seed); the chosen one is then run with --draws.")] = 2_000,
           fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
           = OutputFormat.table) -> None:
    """Rank the levers of the 004 post by their effect on the safety-capabilities gap (exact);
    the smallest rating change that closes it; portfolios under a budget."""
    from .._errors import InputError, Problem
    from ..levers import rank_levers
    from ..levers._ratings import smallest_rating_change
    from ._model_cmds import build_model

    if (budget is None) != (cost is None) and budget is not None:
        raise InputError(Problem("--budget", "a budget needs a cost file", "add --cost FILE"))
    from ..levers._timeline_portfolio import OBJECTIVES

    if objective not in OBJECTIVES:
        raise InputError(Problem("--objective", f"unknown objective '{objective}'",
                                 f"use one of: {', '.join(OBJECTIVES)}"))
    m = build_model(model)
    ranking = rank_levers(m, levers_file, units=units)
    data: dict[str, Any] = {"factor_model": ranking.to_dict()}
    if ranking.categories[1] is not None:
        data["smallest_rating_change"] = {d: smallest_rating_change(m, distance=d).to_dict()
                                          for d in ("l1", "l2")}
    if cost is not None:
        from ..levers._portfolio import best_portfolio, cheapest_level, read_costs

        costs = read_costs(cost)
        if budget is not None:
            data["portfolio"] = best_portfolio(m, costs, budget=budget, levers=levers_file).to_dict()
        data["cheapest_level"] = cheapest_level(m, costs, levers=levers_file).to_dict()
    if timeline:
        from ..levers._timeline import timeline_effects

        data["timeline"] = timeline_effects(m, levers_file, draws=draws, seed=seed, units=units).to_dict()
        if cost is not None and budget is not None:
            from ..levers._portfolio import read_costs
            from ..levers._timeline_portfolio import best_timeline_portfolio

            data["timeline_portfolio"] = best_timeline_portfolio(
                m, read_costs(cost), budget=budget, levers=levers_file, objective=objective, draws=draws,
                search_draws=search_draws, seed=seed).to_dict()
    if fmt is OutputFormat.json:
        write_json(data)
    elif fmt is OutputFormat.csv:
        _csv(data)
    else:
        _print(data)


def _csv(data: dict[str, Any]) -> None:
    tl = {r["id"]: r for r in data.get("timeline", {}).get("levers", [])}
    cols = ["id", "name", "group", "safety", "capabilities", "net", "gap_after", "timeline_only"]
    extra = ["safety_months", "capabilities_months", "net_months", "dp"] if tl else []
    rows = [[r[c] for c in cols] + [tl.get(r["id"], {}).get(c, "") for c in extra]
            for r in data["factor_model"]["levers"]]
    write_csv(cols + extra, rows)


def _print(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    fm = data["factor_model"]
    s, c = fm["safety"], fm["capabilities"]
    if c:
        console.print(Text(f"{fm['model']}: gap {c} - {s} = {fm['gap']:+.3f} (category averages); "
                           f"each lever alone, {fm['units']:g} unit(s)", style="bold"))
    else:
        console.print(Text(f"{fm['model']}: change of the {s} average, each lever alone", style="bold"))
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("lever", overflow="fold", ratio=3)
    for col in (s, c, "net", "gap after") if c else (s,):
        table.add_column(_short(col or ""), justify="right")
    for k, r in enumerate(fm["levers"], 1):
        name = Text(r["name"] + (" (timeline only)" if r["timeline_only"] else ""))
        cells = [f"{r['safety']:+.3f}"]
        if c:
            cells += [f"{r['capabilities']:+.3f}", f"{r['net']:+.3f}", f"{r['gap_after']:+.3f}"]
        table.add_row(str(k), name, *cells)
    console.print(table)
    console.print(Text(f"{s} / {c}: change of that category's average score (positive {c}: a "
                       "spill-over that speeds capabilities); net = how much the gap closes.",
                       style="dim") if c else Text(""))
    for r in fm["levers"]:
        for note in r["clipped"]:
            console.print(Text(f"{r['id']}: {note}"))
    for item in fm["not_applicable"]:
        console.print(Text(f"not applicable: {item['id']} ({item['reason']})", style="dim"))
    if "timeline" in data:
        _print_timeline(console, data["timeline"], s, c)
    if "smallest_rating_change" in data:
        _print_rating_change(console, data["smallest_rating_change"], s, c)
    for key in ("portfolio", "cheapest_level"):
        if key in data:
            _print_portfolio(console, data[key])
    if "timeline_portfolio" in data:
        _print_timeline_portfolio(console, data["timeline_portfolio"])


def _short(col: str) -> str:
    return {"capabilities": "capab."}.get(col, col)


def _print_timeline(console: Console, tl: dict[str, Any], s: str, c: str) -> None:
    from rich.table import Table
    from rich.text import Text

    b = tl["baseline"]
    console.print()
    console.print(Text(f"timeline ({tl['draws']:,} draws, seed {tl['seed']}, common random numbers): "
                       f"median 10x date {s} {b['safety_median']:.2f}, {c} {b['capabilities_median']:.2f}; "
                       f"P(every {s} area before the median {c} area) = "
                       f"{b['p_all_safety_before_median_capabilities']:.4f}", style="bold"))
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("lever", overflow="fold", ratio=3)
    for col in (f"{s} earlier", f"{_short(c)} later", "net", "ΔP"):
        table.add_column(col, justify="right")
    for k, r in enumerate(tl["levers"], 1):
        table.add_row(str(k), Text(r["name"]), f"{r['safety_months']:+.2f} mo",
                      f"{r['capabilities_months']:+.2f} mo", f"{r['net_months']:+.2f} mo", f"{r['dp']:+.4f}")
    console.print(table)
    console.print(Text(f"months the category's median date (mean over its areas) moves; negative "
                       f"'{_short(c)} later' is a spill-over that speeds capabilities; ΔP: change of "
                       f"P(every {s} area before the median {c} area).", style="dim"))


def _print_rating_change(console: Console, rc: dict[str, Any], s: str, c: str) -> None:
    from rich.text import Text

    console.print()
    console.print(Text(f"smallest change of {s} ratings that brings {s} level with {c}", style="bold"))
    for d, r in rc.items():
        if not r["possible"]:
            console.print(Text(f"  {d.upper()}: impossible within the rating scales"))
            continue
        top = ", ".join(f"{x['factor_name']} of {x['area_name']} {x['change']:+.2f}" for x in r["cells"][:4])
        more = f" (+{len(r['cells']) - 4} more cells)" if len(r["cells"]) > 4 else ""
        console.print(Text(f"  {d.upper()} (size {r['size']:.2f} points): {top}{more}"))
    per = rc["l1"]["per_factor"]
    console.print(Text("  one factor alone:"))
    for p in per[:3]:
        console.print(Text(f"    {p['sentence']}"))
    best = [x for p in per for x in p["one_area"] if x["possible"]]
    if best:
        console.print(Text(f"  one rating alone: {min(best, key=lambda x: x['change'])['sentence']}"))
    else:
        console.print(Text("  no single rating alone can do it within its scale"))


def _print_portfolio(console: Console, p: dict[str, Any]) -> None:
    from rich.text import Text

    console.print()
    cur = f" {p['currency']}" if p["currency"] else ""
    head = (f"best portfolio within the budget {p['budget']:g}{cur}" if p["goal"] == "best within budget"
            else "cheapest portfolio that brings safety level")
    console.print(Text(head + " (exact LP, every rating kept on its scale)", style="bold"))
    if not p["feasible"]:
        console.print(Text(f"  {p['note']}"))
    else:
        for k, v in p["units"].items():
            console.print(Text(f"  {k}: {v:.3g} units"))
        console.print(Text(f"  cost {p['cost']:.4g}{cur}; closes {p['closes']:.3f} of the gap "
                           f"{p['gap']:.3f} (gap after {p['gap_after']:+.3f})"))
    for x in p["excluded"]:
        console.print(Text(f"  left out: {x['id']} ({x['reason']})", style="dim"))


def _print_timeline_portfolio(console: Console, p: dict[str, Any]) -> None:
    from rich.text import Text

    console.print()
    cur = f" {p['currency']}" if p["currency"] else ""
    console.print(Text(f"best portfolio for the timeline within the budget {p['budget']:g}{cur}: maximising "
                       f"{p['objective_meaning']}", style="bold"))
    if not p["units"]:
        console.print(Text("  nothing: no lever with a cost improves it within the budget"))
    for k, v in p["units"].items():
        console.print(Text(f"  {p['names'][k]} ({k}): {v:.3g} units"))
    console.print(Text(f"  cost {p['cost']:.4g}{cur}; safety {p['safety_months']:+.2f} months earlier, "
                       f"capabilities {p['capabilities_months']:+.2f} months later (net "
                       f"{p['net_months']:+.2f}); ΔP {p['dp']:+.4f} ({p['draws']:,} draws, "
                       f"seed {p['seed']})"))
    console.print(Text(f"  searched with {p['evaluations']} runs of {p['search_draws']:,} draws each, the "
                       "same seed for every candidate (common random numbers): greedy by gain per cost, "
                       "then swaps", style="dim"))
    for x in p["excluded"]:
        console.print(Text(f"  left out: {x['id']} ({x['reason']})", style="dim"))


def safer_bets(model: ModelArg,
               k: Annotated[int, typer.Option("--k", help="Size of the top (and bottom) group.")] = 3,
               threshold: Annotated[float, typer.Option(help="Robust: at least this probability.")] = 0.9,
               category: Annotated[str | None, typer.Option(help="Areas of this category (default: "
                                                            "safety).")] = None,
               draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 10_000,
               seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
               noise: Annotated[float, typer.Option(help="Rating sd as a share of the scale's range.")] = 0.1,
               plot: Annotated[Path | None, typer.Option(metavar="FILE", help="Write the plot: .html, "
                                                         ".svg or .png.")] = None,
               fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
               = OutputFormat.table) -> None:
    """Safer bets (seed 001): which fields are in the top k in at least 90% of draws, which are
    robustly among the last k, and which hinge on a single rating."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..levers._safer import figure
    from ..levers._safer import safer_bets as run
    from ._model_cmds import build_model

    res = run(build_model(model), k=k, threshold=threshold, category=category, draws=draws, seed=seed,
              rating_noise=noise)
    if plot is not None:
        from ..analysis.figures import write_figure

        typer.echo(f"wrote {write_figure(figure(res), plot)}", err=True)
    data = res.to_dict()
    cols = ["id", "name", "rank", "expected_rank", "p_top", "p_bottom", "robust_top", "robust_bottom",
            "single_judgement", "hinge"]
    if fmt is OutputFormat.json:
        write_json(data)
        return
    if fmt is OutputFormat.csv:
        write_csv(cols, [[r[c] for c in cols] for r in data["areas"]])
        return
    console = Console(highlight=False)
    console.print(Text(f"{res.model.name}: {res.category} areas, top {k} ({res.mc.draws:,} draws, "
                       f"seed {seed}, rating noise {noise:g} of the scale)", style="bold"))
    table = Table(box=None, pad_edge=False, header_style="bold")
    for col in ("area", "rank", f"P(top {k})", f"P(last {k})", "robust", "one rating away"):
        table.add_column(col, justify="left" if col in ("area", "robust", "one rating away") else "right",
                         overflow="fold", ratio=2 if col in ("area", "one rating away") else None)
    for r in data["areas"]:
        robust = ("top" if r["robust_top"] else "last" if r["robust_bottom"] else "")
        table.add_row(Text(r["name"]), str(r["rank"]), f"{r['p_top']:.3f}", f"{r['p_bottom']:.3f}", robust,
                      Text(r["hinge_short"] + (" *" if r["single_judgement"] else "")))
    console.print(table)
    console.print(Text(f"robust: in the top (or last) {k} in at least {threshold:.0%} of draws; a safer "
                       f"bet (001) is robustly among the last {k} to be automated. one rating away: the "
                       f"smallest change of one rating that moves the area into or out of the top {k} "
                       f"(ties count); * a single judgement: at most {res.judgement:g} point.",
                       style="dim"))


def report(model: ModelArg,
           out: Annotated[Path, typer.Option("--out", "-o", help="File to write (.html or .md).")],
           timeline: Annotated[bool, typer.Option("--timeline", help="Add the timeline section.")] = False,
           levers: Annotated[bool, typer.Option("--levers", help="Add the levers and safer bets.")] = False,
           draws: Annotated[int, typer.Option(help="Monte Carlo draws of every section.")] = 20_000,
           seed: Annotated[int, typer.Option(help="Random seed (results are reproducible).")] = 0,
           fmt: Annotated[str, typer.Option("--format", "-f", help="html (one offline file) or md "
                                            "(Markdown, SVG figures in OUT_files/).")] = "html",
           force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False) -> None:
    """Write one self-contained report of MODEL: inputs and provenance, scores, uncertainty,
    sensitivity, flip thresholds, and optionally the timeline and the levers."""
    import shlex

    from .._errors import InputError, Problem
    from ..report import write_report
    from ._model_cmds import build_model

    if fmt not in ("html", "md"):
        raise InputError(Problem("--format", f"unknown report format '{fmt}'", "use html or md"))
    if not 1 <= draws <= 10_000_000:
        raise InputError(Problem("--draws", f"{draws} is outside 1..10,000,000", "e.g. 20000"))
    # the command in full, every option spelled out: it reproduces the report exactly
    command = (f"autosafety report {shlex.quote(model)}" + (" --timeline" if timeline else "")
               + (" --levers" if levers else "") + f" --draws {draws} --seed {seed} --format {fmt} "
               f"--out {shlex.quote(str(out))}")
    paths = write_report(build_model(model), out, fmt=fmt, timeline=timeline, levers=levers,  # type: ignore[arg-type]
                         draws=draws, seed=seed, command=command, force=force)
    typer.echo(f"wrote {', '.join(map(str, paths[:1]))}" + (f" and {len(paths) - 1} figures"
                                                             if len(paths) > 1 else ""), err=True)


def schema() -> None:
    """Print the JSON Schema of lever files."""
    import sys

    from ..levers import dumps_schema

    sys.stdout.write(dumps_schema() + "\n")


def register(app: typer.Typer) -> None:
    """Add `levers`, `levers-schema`, `safer-bets` and `report` to the app."""
    app.command()(levers)
    app.command("levers-schema")(schema)
    app.command("safer-bets")(safer_bets)
    app.command()(report)
