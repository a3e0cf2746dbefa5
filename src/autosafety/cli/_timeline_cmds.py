"""`autosafety timeline`: when does each area's AI speedup reach 10x? Also `timeline schema`,
`timeline init` and `timeline trends`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import OutputFormat, parse_assignments, write_csv, write_json, write_text_file

if TYPE_CHECKING:
    from rich.console import Console

    from ..timeline import TimelineResult


SUBCOMMANDS = ("run", "schema", "init", "trends")


def default_run(argv: list[str]) -> list[str]:
    """`autosafety timeline SOURCE ...` means `autosafety timeline run SOURCE ...`."""
    if len(argv) > 1 and argv[0] == "timeline" and argv[1] not in SUBCOMMANDS and not argv[1].startswith("-"):
        return ["timeline", "run", *argv[1:]]
    return argv


app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="When does each research area get its 10x AI speedup? The task-level model. "
                  "`autosafety timeline wehner-2026` runs it on the published factor model.")


def _fmt_year(v: float | None) -> str:
    return "never" if v is None else f"{v:.1f}"


def run(source: Annotated[str, typer.Argument(
            help="A built-in factor model (wehner-2026), a factor-model file, a task-level file "
            "(see `autosafety timeline init`), or ai-2027-horizon (the AI 2027 forecast's "
            "superhuman-coder date).", metavar="SOURCE")],
        trend: Annotated[str | None, typer.Option(
            help="Capability trend: a preset (see `autosafety timeline trends`) or a YAML file.")] = None,
        bridge: Annotated[Path | None, typer.Option(
            help="Bridge from factor ratings to tasks (YAML; default: the built-in one).")] = None,
        set_: Annotated[list[str] | None, typer.Option(
            "--set", metavar="NAME=VALUE", help="Fix a bridge constant (repeatable).")] = None,
        milestone: Annotated[float, typer.Option(help="Speedup whose date is forecast.")] = 10.0,
        reliability: Annotated[float, typer.Option(
            help="Time-horizon reliability the trend is anchored at (0.5 or 0.8 are measured).")] = 0.5,
        doubling_time: Annotated[float | None, typer.Option(
            "--doubling-time", metavar="DAYS", help="Override the trend's doubling time.")] = None,
        reference_horizon: Annotated[float | None, typer.Option(
            "--reference-horizon", metavar="MINUTES",
            help="Override the horizon at the trend's reference date.")] = None,
        until: Annotated[float, typer.Option(help="End of the run (year); later counts as never.")] = 2060.0,
        draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 10_000,
        seed: Annotated[int, typer.Option(help="Random seed (results are reproducible).")] = 0,
        precision: Annotated[float | None, typer.Option(
            help="Stop once every probability has this standard error.")] = None,
        plot: Annotated[Path | None, typer.Option(
            metavar="FILE", help="Write a plot: .html (offline), .svg or .png.")] = None,
        plot_kind: Annotated[str, typer.Option(help="fan, cdf or pairs.")] = "fan",
        sensitivity: Annotated[bool, typer.Option(
            "--sensitivity", help="Also: each uncertain trend and bridge input at the low and high "
            "end of its interval (common random numbers).")] = False,
        fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
        = OutputFormat.table) -> None:
    """Median date of each area's milestone, 10-90% interval, P(never), bottleneck task; category
    statements and P(A before B)."""
    from .._errors import InputError, Problem
    from ..timeline import ai2027_forecast, figures, simulate
    from ..timeline._presets import PRESETS

    kinds = {"fan": figures.fan, "cdf": figures.cdf, "pairs": figures.pairs}
    if plot_kind not in kinds:
        raise InputError(Problem("--plot-kind", f"unknown plot '{plot_kind}'", "use fan, cdf or pairs"))
    settings: dict[str, Any] = dict(
        trend=trend, bridge=bridge, milestone=milestone, reliability=reliability, until=until,
        doubling_time=doubling_time, reference_horizon=reference_horizon,
        bridge_parameters=parse_assignments(set_ or [], option="--set"))
    if source in PRESETS:
        res = ai2027_forecast(draws=draws, seed=seed, precision=precision)
    else:
        res = simulate(source, draws=draws, seed=seed, precision=precision, **settings)
    tornado = None
    if sensitivity and res.kind != "ai-2027":
        from ..timeline import sensitivity as sweep

        tornado = sweep(source, draws=min(draws, 20_000), seed=seed, **settings)
    if plot is not None:
        path = figures.write_figure(kinds[plot_kind](res), plot)
        typer.echo(f"wrote {path}", err=True)
    data = res.to_dict()
    if fmt is OutputFormat.json:
        write_json({k: v for k, v in data.items() if k != "cdf"} | (
            {"sensitivity": tornado} if tornado else {}))
    elif fmt is OutputFormat.csv:
        cols = ["id", "name", "category", "p10", "p50", "p90", "p_never", "p_capped", "cap",
                "bottleneck", "bottleneck_months"]
        write_csv(cols, [[_csv(r[c]) for c in cols] for r in data["areas"]])
    else:
        _print(res)
        if tornado:
            _print_sensitivity(tornado)


def _print_sensitivity(sens: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cats = sens["categories"]
    if len(cats) < 2:
        return
    table = Table(title=f"what moves the gap: years from the {cats[1]} to the {cats[0]} areas "
                  f"(mean of medians), each input at its low / high end ({sens['draws']:,} draws)",
                  title_justify="left", box=None, pad_edge=False, header_style="bold")
    for col in ("input", "kind", "low", "high", "gap at low", "gap at high"):
        table.add_column(col, justify="left" if col in ("input", "kind") else "right")
    for r in sens["inputs"]:
        table.add_row(Text(r["input"]), r["kind"], f"{r['low']:g}", f"{r['high']:g}",
                      f"{r['gap_low']:+.2f}", f"{r['gap_high']:+.2f}")
    Console(highlight=False).print(table)


def _csv(v: Any) -> Any:
    return "" if v is None else (f"{v:.6g}" if isinstance(v, float) else v)


def _print(res: TimelineResult) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    ms = _what(res)
    rows = res.rows
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["p50"] is None, rows[i]["p50"] or 0))
    name = getattr(res.source, "name", "") or getattr(res.source, "id", "")
    title = (f"When does each area reach {ms}? {name}" if res.kind != "ai-2027" else
             "When is there a superhuman coder? The AI 2027 time-horizon-extension forecast")
    console.print(Text(title), style="bold")
    console.print(Text(f"trend {res.trend_id}, {res.draws:,} draws, seed {res.seed}, "
                       f"run until {res.grid.until:g}"))
    table = Table(box=None, pad_edge=False, header_style="bold")
    for col, just in (("area", "left"), ("median", "right"), ("10-90%", "right"), ("P(never)", "right"),
                      ("bottleneck", "left"), ("gain", "right")):
        table.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
    for cat in res.categories:
        table.add_row(Text(cat, style="bold"))
        for i in (i for i in order if rows[i]["category"] == cat):
            r = rows[i]
            months = r["bottleneck_months"]
            table.add_row(Text(r["name"]), _fmt_year(r["p50"]),
                          f"{_fmt_year(r['p10'])}-{_fmt_year(r['p90'])}", f"{r['p_never']:.2f}",
                          Text(r["bottleneck_name"] if r["p50"] is not None else f"cap {r['cap']:.1f}x"),
                          "" if months is None else f"{months:.1f} mo")
    console.print(table)
    _print_categories(console, res)
    if len(rows) > 1:
        _print_pairs(console, res, order)
    explain = ("" if res.kind == "ai-2027" else "bottleneck: the task whose effective duration, halved, "
               "brings the median date forward most (gain). ")
    console.print(Text(f"never: not {ms} by {res.grid.until:g}. " + explain + res.assumptions),
                  style="dim")


def _what(res: TimelineResult) -> str:
    return "a superhuman coder" if res.kind == "ai-2027" else f"a {res.milestone:g}x AI speedup"


def _print_categories(console: Console, res: TimelineResult) -> None:
    from rich.table import Table
    from rich.text import Text

    stm = res.category_statements
    ms = _what(res)
    for x in res.categories:
        for y in res.categories:
            if x != y and f"p_all_{x}_before_median_{y}" in stm:
                p, se = stm[f"p_all_{x}_before_median_{y}"], stm[f"p_all_{x}_before_median_{y}_se"]
                console.print(Text(f"P(every {x} area reaches {ms} before the median {y} area) = "
                                   f"{p:.3f} ± {se:.3f}"))
    if len(res.categories) != 2:
        return
    x, y = res.categories
    leads = stm.get(f"years_after_first_{y}", {})
    table = Table(title=f"years each {x} area reaches {ms} after the first {y} area",
                  title_justify="left", box=None, pad_edge=False, header_style="bold")
    for col in ("area", "median", "10-90%", "P(before)"):
        table.add_column(col, justify="left" if col == "area" else "right")
    names = {a.id: a.name for a in res.areas}
    for aid, v in leads.items():
        span = f"{_years(v['p10'])} to {_years(v['p90'])}"
        table.add_row(Text(names[aid]), _years(v["p50"]), span, f"{v['p_before']:.2f}")
    console.print(table)


def _years(v: float | None) -> str:
    return "never" if v is None else f"{v:+.1f}"


def _print_pairs(console: Console, res: TimelineResult, order: list[int]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="P(row reaches the milestone before column)", title_justify="left", box=None,
                  pad_edge=False, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("area", max_width=24, overflow="ellipsis", no_wrap=True)
    for k in range(len(order)):
        table.add_column(str(k + 1), justify="right")
    for k, i in enumerate(order):
        cells = ["" if i == j else _prob(res.first[i, j]) for j in order]
        table.add_row(str(k + 1), Text(res.areas[i].name), *cells)
    console.print(table)


def _prob(p: float) -> str:
    text = f"{p:.2f}"
    return text[1:] if text.startswith("0") else text


def schema() -> None:
    """Print the JSON Schema of task-level files."""
    from ..timeline._files import dumps_schema

    sys.stdout.write(dumps_schema() + "\n")


def init(path: Annotated[Path, typer.Argument(help="Where to write the template.")],
         force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False) -> None:
    """Write a commented task-level template with a task taxonomy for AI research."""
    from ..timeline import template

    write_text_file(path, template(), force=force)
    typer.echo(f"wrote {path}: fill it in, then `autosafety timeline {path}`", err=True)


def trends(fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
           = OutputFormat.table) -> None:
    """The built-in capability trends and the sources of their numbers."""
    from rich.console import Console
    from rich.text import Text

    from ..timeline import trend_presets

    presets = trend_presets()
    if fmt is OutputFormat.json:
        write_json({k: v.model_dump(mode="json") for k, v in presets.items()})
        return
    console = Console(highlight=False)
    for key, t in presets.items():
        console.print(Text(f"{key}: {t.name}", style="bold"))
        h = ", ".join(f"{float(k):.0%}: {q.value:g} min" for k, q in t.horizons.items())
        console.print(Text(f"  horizon at {t.reference_date.value:.2f} ({h}); doubling time "
                           f"{t.doubling_time.value:g} days [{t.doubling_time.low:g}-"
                           f"{t.doubling_time.high:g}]; growth " + ", ".join(
                               f"{m} {g.probability:.0%}" for m, g in t.growth.items())))
        for s in t.sources:
            console.print(Text(f"  source: {s}"))


app.command("run", help="Run the timeline on SOURCE (the default: `timeline SOURCE` is the same).")(run)
app.command()(schema)
app.command()(init)
app.command()(trends)
