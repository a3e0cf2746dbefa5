"""`autosafety horizons ...`: time horizons and the frontier doubling time from METR-format runs."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .._errors import InputError, Problem
from ._common import OutputFormat, write_csv, write_json, write_text_file

if TYPE_CHECKING:
    from ..timeline._horizons import HorizonFit

app = typer.Typer(name="horizons", no_args_is_help=True, rich_markup_mode=None,
                  help="Time horizons (METR, arXiv 2503.14499): logistic fits of success against task "
                       "length, bootstrap CIs and the frontier's doubling time, from METR-format runs.")


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(Problem(option, f"'{text}' is not an ISO date", "write YYYY-MM-DD")) from None


def _minutes(x: float) -> str:
    if not math.isfinite(x):
        return "-"
    return f"{x:.3g}" if x < 100 else f"{x:,.0f}"


def _print_table(fit: HorizonFit) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    level = f"{fit.level:.0%}"
    table = Table(title=f"time horizons from {fit.runs.source} ({len(fit.runs)} runs, "
                        f"{fit.n_bootstrap} bootstrap samples, {level} CI)", title_justify="left")
    for col in ("model", "released", "runs", "tasks", "slope"):
        table.add_column(col, justify="left" if col in ("model", "released") else "right")
    for p in fit.reliabilities:
        table.add_column(f"{p:.0%} horizon (min)", justify="right")
    rows = sorted(fit.model_stats(), key=lambda r: (r["release_date"] or "9999", r["model"]))
    for r in rows:
        cells = [f"{_minutes(h['minutes'])} [{_minutes(h['low'])}, {_minutes(h['high'])}]"
                 for h in r["horizons"].values()]
        table.add_row(r["model"] + (" *" if r["frontier"] else ""), r["release_date"] or "-", str(r["runs"]),
                      str(r["tasks"]), f"{-r['coefficient']:.2f}", *cells)
    console.print(table)
    console.print("slope: fall in log-odds of success per doubling of task length; * frontier model")
    t = fit.trend
    if t is None:
        console.print("no frontier trend: fewer than two dated frontier models")
    else:
        span = f"{min(t.release_dates)} to {max(t.release_dates)}"
        console.print(f"frontier doubling time: {t.doubling_days:.0f} days [{t.low:.0f}, {t.high:.0f}] "
                      f"({level} CI, {len(t.models)} models {span})")


@app.command()
def fit(
    runs: Annotated[Path, typer.Argument(metavar="RUNS.jsonl", help="METR-format run records, one JSON "
                                         "object per line (task_id, task_family, alias or model, "
                                         "score_binarized, human_minutes).")],
    release_dates: Annotated[Path, typer.Option("--release-dates", metavar="DATES.csv",
                                                help="CSV with columns model,release_date (YYYY-MM-DD); "
                                                     "METR's release_dates.yaml also works.")],
    reliability: Annotated[list[float] | None, typer.Option(
        "--reliability", help="Success probability of a horizon; repeat for several "
                              "[default: 0.5, 0.8].")] = None,
    bootstrap: Annotated[int, typer.Option(help="Hierarchical bootstrap samples (0: no CIs).")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed of the bootstrap.")] = 0,
    level: Annotated[float, typer.Option(help="Central probability of the CIs.")] = 0.95,
    weighting: Annotated[str, typer.Option(
        help="invsqrt_task (METR's), equal_task or run.")] = "invsqrt_task",
    regularization: Annotated[float, typer.Option(help="L2 penalty on the slope (METR: 0.1).")] = 0.1,
    after: Annotated[str | None, typer.Option(help="Trend only over models released on/after this "
                                                   "date.")] = "2019-01-01",
    before: Annotated[str | None, typer.Option(
        help="Trend only over models released before this date.")] = None,
    frontier: Annotated[list[str] | None, typer.Option(
        "--frontier", help="Fit the trend to these models instead of the automatic frontier; "
                           "repeat.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    out_trend: Annotated[Path | None, typer.Option("--out-trend", metavar="FILE.yaml",
                                                   help="Write the fit as a timeline trend preset.")] = None,
    trend_id: Annotated[str, typer.Option(help="id of the written trend preset.")] = "horizons-fit",
    force: Annotated[bool, typer.Option(help="Overwrite --out-trend if it exists.")] = False,
) -> None:
    """Fit each model's success curve, its horizons with CIs, and the frontier's doubling time."""
    from ..timeline._horizons import fit_horizons, read_release_dates, read_runs

    problems: list[Problem] = []
    table, dates = None, None
    try:
        table = read_runs(runs)
    except InputError as e:
        problems += e.problems
    try:
        dates = read_release_dates(release_dates)
    except InputError as e:
        problems += e.problems
    if table is None or dates is None:
        raise InputError(problems, title="invalid input")
    result = fit_horizons(table, dates, reliabilities=tuple(reliability or (0.5, 0.8)), n_bootstrap=bootstrap,
                          seed=seed, level=level, weighting=weighting, regularization=regularization,
                          after=_date(after, "--after"), before=_date(before, "--before"), frontier=frontier)
    if out_trend is not None:
        import yaml

        preset = result.to_trend_preset(id=trend_id)
        write_text_file(out_trend, yaml.safe_dump(preset, sort_keys=False, allow_unicode=True), force=force)
    if fmt is OutputFormat.json:
        write_json(result.to_dict())
    elif fmt is OutputFormat.csv:
        header = ["model", "release_date", "runs", "successes", "tasks", "families", "intercept",
                  "coefficient", "frontier"]
        for p in result.reliabilities:
            header += [f"horizon_{p:g}", f"low_{p:g}", f"high_{p:g}"]
        rows = []
        for r in result.model_stats():
            row = [r[k] for k in header[:9]]
            for h in r["horizons"].values():
                row += [h["minutes"], h["low"], h["high"]]
            rows.append(row)
        write_csv(header, rows)
    else:
        _print_table(result)
    if out_trend is not None and fmt is OutputFormat.table:
        typer.echo(f"wrote trend preset {out_trend}")
