"""Analysis commands: mc, sensitivity, implied-weights, check."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .._defaults import DRAWS, MAX_DRAWS, RATING_NOISE, WEIGHT_CONCENTRATION
from ._common import OutputFormat, literal, parse_assignments, parse_cell_assignments, write_json
from ._model_cmds import ModelArg, RatingOpt, RatingsFileOpt, SourceWeightOpt, WeightOpt, build_model

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis import Scenario
    from ..model import Model

FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
PlotOpt = Annotated[Path | None, typer.Option(
    "--plot", metavar="FILE", help="Write a plot: .html (offline), .svg or .png.")]
SeedOpt = Annotated[int, typer.Option(help="Random seed (results are reproducible).")]
DrawsOpt = Annotated[int, typer.Option(help=f"Monte Carlo draws (at most {MAX_DRAWS:,}).")]
ConcOpt = Annotated[float | None, typer.Option(
    "--concentration", help="Dirichlet concentration of weight draws around the point weights "
    "(larger = closer); unset: weights fixed.")]
NoiseOpt = Annotated[float, typer.Option(
    "--noise", help="Rating sd as a share of the scale range for ratings without an interval "
    "(0 = no noise on those).")]
DropOpt = Annotated[list[str] | None, typer.Option(
    "--drop", metavar="FACTOR", help="Leave a factor out (weight 0; repeatable).")]


def _emit(fmt: OutputFormat, data: Any, frames: list[tuple[str, pd.DataFrame]],
          notes: list[str] | None = None, *, headline: list[str] | None = None) -> None:
    """JSON: the result's plain data; CSV: the tables stacked with a 'table' column; else Rich:
    the headline sentences in full first, then tables that fit the width (80 columns when stdout
    is not a terminal), leaving out trailing columns rather than cutting numbers."""
    if fmt is OutputFormat.json:
        write_json(data)
        return
    if fmt is OutputFormat.csv:
        import pandas as pd

        parts = [(f.reset_index() if f.index.name else f.reset_index(drop=True)).assign(table=title)
                 for title, f in frames if len(f)]
        if parts:
            pd.concat(parts, ignore_index=True).to_csv(sys.stdout, index=False,
                                                       float_format="%.6g")
        return
    from rich.console import Console

    from ._tables import fitted_table

    console = Console()
    for line in headline or []:
        console.print(literal(line, newlines=True))
    left_out: list[str] = []
    for title, frame in frames:
        flat = frame.reset_index() if frame.index.name else frame
        columns = [str(c) for c in flat.columns]
        numeric = {str(c) for c in flat.columns if flat[c].dtype.kind in "fiu"}
        rows = [[_cell(v) for v in row] for row in flat.itertuples(index=False)]
        table, dropped = fitted_table(title, columns, rows, numeric=numeric, console=console)
        console.print(table)
        left_out += [c for c in dropped if c not in left_out]
    for note in notes or []:
        console.print(literal(note, newlines=True))
    if left_out:
        console.print(literal(f"left out to fit {console.width} columns: {', '.join(left_out)} "
                              "(a wider terminal, or -f csv / -f json, shows every column)"))


def _model(model: str, ratings: list[Path] | None, source_weight: list[str] | None,
           weight: list[str] | None, drop: list[str] | None = None) -> Model:
    m = build_model(model, ratings=ratings, source_weights=source_weight)
    weights = parse_assignments(weight or [], option="--weight")
    weights.update({f: 0.0 for f in drop or []})
    return m.with_weights(weights) if weights else m


def _scenarios(path: Path | None, ratings: dict[tuple[str, str], float]) -> list[Scenario] | None:
    """Scenarios from a YAML/JSON file (a list, or {scenarios: [...]}); --rating overrides join
    every scenario (or form the only one)."""
    from ..analysis import Scenario

    if path is None:
        return [Scenario(name="overrides", probability=1.0, ratings=ratings)] if ratings else None
    from .._input import load_yaml
    from ..analysis import load_scenarios
    from ..model import read_text

    data = load_yaml(read_text(path), origin=str(path), kind="YAML/JSON")
    return [s.model_copy(update={"ratings": {**ratings, **s.ratings}})
            for s in load_scenarios(data, origin=str(path))]


def _plot(path: Path | None, fig: Any) -> None:
    if path is not None:
        from ..analysis.figures import write_figure

        typer.echo(f"wrote {write_figure(fig, path)}", err=True)


def _progress(enabled: bool) -> Any:
    if not enabled:
        return None, None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(transient=True, console=Console(stderr=True))  # stdout stays clean for JSON/CSV
    task = bar.add_task("Monte Carlo", total=None)
    bar.start()
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


def mc(model: ModelArg, draws: DrawsOpt = DRAWS, seed: SeedOpt = 0,
       precision: Annotated[float | None, typer.Option(
           help="Stop once every rank and category probability has this standard error.")] = None,
       concentration: ConcOpt = None, noise: NoiseOpt = RATING_NOISE,
       weight_range: Annotated[list[str] | None, typer.Option(
           "--weight-range", metavar="FACTOR=LOW..HIGH", help="Range of a raw weight (others "
           "fixed); weights are drawn uniformly on the part of the simplex the ranges allow.")] = None,
       scenarios: Annotated[Path | None, typer.Option(
           "--scenarios", metavar="FILE", help="YAML/JSON list of {name, probability, weights, "
           "ratings} mixed into one forecast.")] = None,
       resample_raters: Annotated[bool, typer.Option(
           help="Resample raters within their sources each draw.")] = False,
       weight: WeightOpt = None, rating: RatingOpt = None, drop: DropOpt = None,
       ratings: RatingsFileOpt = None, source_weight: SourceWeightOpt = None,
       plot: PlotOpt = None, plot_kind: Annotated[str, typer.Option(
           help="scores, ranks, pairwise or gap.")] = "scores",
       fmt: FormatOpt = OutputFormat.table) -> None:
    """Monte Carlo: score intervals, rank acceptability, P(top k), pairwise and category odds."""
    from .._errors import InputError, Problem
    from ..analysis import figures, monte_carlo

    kinds = {"scores": figures.score_distributions, "ranks": figures.rank_heatmap,
             "pairwise": figures.pairwise_matrix, "gap": figures.gap_distribution}
    if plot_kind not in kinds:
        raise InputError(Problem("--plot-kind", f"unknown plot '{plot_kind}'", f"use {', '.join(kinds)}"))
    m = _model(model, ratings, source_weight, weight, drop)
    ranges = {}
    for item in weight_range or []:
        key, _, span = item.partition("=")
        lo, sep, hi = span.partition("..")
        if not sep:
            raise InputError(Problem(f"--weight-range {item}", "expected FACTOR=LOW..HIGH", "e.g. x=1..3"))
        ranges[key] = (parse_assignments([f"lo={lo}"], option="--weight-range")["lo"],
                       parse_assignments([f"hi={hi}"], option="--weight-range")["hi"])
    scen = _scenarios(scenarios, parse_cell_assignments(rating or [], option="--rating"))
    bar, progress = _progress(sys.stderr.isatty() and draws >= 200_000)
    try:
        res = monte_carlo(m, draws=draws, seed=seed, precision=precision, rating_noise=noise,
                          weight_concentration=concentration, weight_ranges=ranges or None,
                          scenarios=scen, resample_raters=resample_raters, progress=progress)
    finally:
        if bar is not None:
            bar.stop()
    if plot_kind == "gap" and not res.gaps:
        raise InputError(Problem("--plot-kind gap", "the model has one category", "plot scores"))
    _plot(plot, kinds[plot_kind](res))
    import pandas as pd

    frame = res.to_frame()
    cols = ["name", "category", "mean", "low", "high", "p_top1", "expected_rank", "p_top3", "median",
            "se"]
    frames = [(f"{m.name}: {res.draws:,} draws, seed {seed}",
               frame[cols].reset_index(drop=True).rename(columns={"name": "area"}))]
    level = f"{res.settings['interval']:.0%}"
    headline = [f"P({g['higher']} > {g['lower']}) = {g['p_higher_above']:.3f} (± {g['se']:.3f}); "
                f"gap {g['gap']}: mean {g['mean']:.2f}, {level} of draws between {g['low']:.2f} "
                f"and {g['high']:.2f}" for g in res.gaps]
    if res.gaps:
        frames.append(("category comparisons", pd.DataFrame(res.gaps).set_index("gap")))
    if fmt is OutputFormat.csv:
        frames[0] = ("areas", frame)
    notes = [f"interval: central {res.settings['interval']:.0%}; se = Monte Carlo standard error"]
    if precision is not None:
        notes.append(f"precision {precision:g} {'reached' if res.converged else 'NOT reached'} "
                     f"after {res.draws:,} draws")
    _emit(fmt, res.to_dict(), frames, notes, headline=headline)


def sensitivity(model: ModelArg, low: Annotated[float, typer.Option(help="Sweep start.")] = 0.0,
                high: Annotated[float | None, typer.Option(
                    help="Sweep end (default: twice the largest weight).")] = None,
                add_factor: Annotated[str | None, typer.Option(
                    "--add-factor", metavar="ID=WEIGHT", help="Add a factor...")] = None,
                add_rating: Annotated[list[str] | None, typer.Option(
                    "--add-rating", metavar="AREA=VALUE", help="...and its rating of each area.")] = None,
                sobol_n: Annotated[int, typer.Option(
                    "--sobol", metavar="N", help="Also Sobol indices with N (a power of 2) samples; "
                    "0 = skip.")] = 0,
                sobol_ratings: Annotated[str, typer.Option(
                    help="Rating inputs for Sobol: none, factor or area groups.")] = "none",
                concentration: Annotated[float, typer.Option(
                    help="Dirichlet concentration of weights for Sobol.")] = WEIGHT_CONCENTRATION,
                distance: Annotated[str, typer.Option(help="Weight distance: l2 or l1.")] = "l2",
                seed: SeedOpt = 0, weight: WeightOpt = None, drop: DropOpt = None,
                ratings: RatingsFileOpt = None, source_weight: SourceWeightOpt = None,
                plot: PlotOpt = None, fmt: FormatOpt = OutputFormat.table) -> None:
    """Flip thresholds, tornado sweeps, leave-one-out, add-a-factor, smallest flip, Sobol."""
    import pandas as pd

    from .._errors import InputError, Problem
    from ..analysis import (
        add_factor as add,
    )
    from ..analysis import (
        figures,
        flip_thresholds,
        leave_one_out,
        smallest_change,
        sobol,
        tornado,
    )

    if distance not in ("l2", "l1") or sobol_ratings not in ("none", "factor", "area"):
        raise InputError(Problem("--distance/--sobol-ratings", "unknown choice",
                                 "use l2 or l1; none, factor or area"))
    m = _model(model, ratings, source_weight, weight, drop)
    flips, sweep = flip_thresholds(m), tornado(m, low=low, high=high)
    variants = leave_one_out(m)
    data: dict[str, Any] = {"model": m.id, "flips": flips.to_dict(), "tornado": sweep.to_dict()}
    frames = []
    headline: list[str] = []
    if len(m.categories) > 1:
        names = {f.id: f.name or f.id for f in m.factors}
        by_pair: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in flips.category_rows():
            by_pair.setdefault((r["leader"], r["trailer"]), []).append(r)
        for (lead, trail), group in by_pair.items():
            flipping = sorted((r for r in group if r["threshold"] is not None),
                              key=lambda r: abs(r["threshold"] - r["weight"]))
            headline += [f"{r['statement'][:1].upper()}{r['statement'][1:]}." for r in flipping]
            never = [names[r["factor"]] for r in group if r["threshold"] is None]
            if never:
                headline.append(f"No weight of {', '.join(never)} alone, however small or large, "
                                f"puts {trail} above {lead}.")
        rows = pd.DataFrame(flips.category_rows())
        frames.append(("exact flip thresholds (one weight at a time)",
                       rows[["leader", "trailer", "factor", "weight", "threshold", "direction"]]))
        frames.append(("tornado", sweep.to_frame()))
        g = flips.category_rows()[0]
        change = smallest_change(m, kind="category", higher=g["leader"], lower=g["trailer"],
                                 distance=distance)  # type: ignore[arg-type]
        data["smallest_change"] = change.to_dict()
        if change.possible:
            frames.append((f"smallest {distance} change of the weights that ties {change.conclusion}"
                           f" (size {change.size:.4f})",
                           pd.DataFrame({"weight": m.weights, "new": change.weights},
                                        index=pd.Index(m.factor_ids, name="factor"))))
    frames.append(("best-worst rank over each sweep", sweep.rank_ranges()))
    if variants:
        data["leave_one_out"] = [v.to_row() for v in variants]
        frames.append(("leave one factor out", pd.DataFrame(data["leave_one_out"]).set_index("variant")))
    if add_factor:
        fid, w = next(iter(parse_assignments([add_factor], option="--add-factor").items()))
        _, cmp = add(m, fid, weight=w, ratings=parse_assignments(add_rating or [], option="--add-rating"))
        data["add_factor"] = cmp.to_row()
        frames.append(("add a factor", pd.DataFrame([cmp.to_row()]).set_index("variant")))
    if sobol_n:
        s = sobol(m, n=sobol_n, seed=seed, ratings=sobol_ratings,  # type: ignore[arg-type]
                  weight_concentration=concentration)
        data["sobol"] = s.to_dict()
        frames.append((f"Sobol indices of {s.target} (N={sobol_n})", s.to_frame()))
    if plot is not None:
        if len(m.categories) < 2:
            raise InputError(Problem("--plot", "a tornado needs two categories", "drop --plot"))
        _plot(plot, figures.tornado(sweep))
    _emit(fmt, data, frames, headline=headline)


def implied_weights(model: ModelArg, order: Annotated[str | None, typer.Option(
        help="Areas most amenable first, comma-separated (default: the model's stated ranking).")]
        = None, ratings: RatingsFileOpt = None, source_weight: SourceWeightOpt = None,
        plot: PlotOpt = None, fmt: FormatOpt = OutputFormat.table) -> None:
    """Weights that reproduce a stated ranking (largest margin), or the orders that conflict."""
    from ..analysis import figures
    from ..analysis import implied_weights as implied

    m = build_model(model, ratings=ratings, source_weights=source_weight)
    res = implied(m, order=[x.strip() for x in order.split(",")] if order else None)
    d = res.to_dict()
    _plot(plot, figures.implied_weights(res))
    if res.feasible:
        notes = [f"weights exist: smallest margin {res.margin:.4f} between consecutive areas"]
    else:
        notes = ["no weights reproduce the whole ranking; these stated orders conflict: " +
                 "; ".join(f"{a} above {b}" for a, b in res.conflict),
                 f"the 'best' weights satisfy {d['satisfied']} of {d['stated']} stated orders; "
                 "unsatisfied: " + "; ".join(f"{a} above {b}" for a, b in d["unsatisfied"])]
    _emit(fmt, d, [("implied weights (normalised)", res.to_frame())], notes)


def check(model: ModelArg, claims: Annotated[list[str], typer.Argument(
              help="e.g. 'capabilities > safety', 'ai_control above interpretability', "
              "'agent_scaffolding in top 3'.", metavar="CLAIM...")],
          draws: DrawsOpt = DRAWS, seed: SeedOpt = 0, concentration: ConcOpt = WEIGHT_CONCENTRATION,
          noise: NoiseOpt = RATING_NOISE, weight: WeightOpt = None, drop: DropOpt = None,
          ratings: RatingsFileOpt = None, source_weight: SourceWeightOpt = None,
          plot: PlotOpt = None, fmt: FormatOpt = OutputFormat.table) -> None:
    """Check claims: point verdict, Monte Carlo probability and the nearest single-weight flip."""
    import pandas as pd

    from ..analysis import check_claim, figures

    m = _model(model, ratings, source_weight, weight, drop)
    results = [check_claim(m, c, draws=draws, seed=seed, weight_concentration=concentration,
                           rating_noise=noise) for c in claims]
    rows = [{"claim": r.claim.describe(), "holds": r.holds, "value": r.value,
             "probability": r.probability, "se": r.se,
             "nearest flip": (f"{r.nearest_flip['factor']} {r.nearest_flip['weight']:g} -> "
                              f"{r.nearest_flip['threshold']:.4g}") if r.nearest_flip else "none",
             } for r in results]
    notes = [r.nearest_flip["statement"] for r in results if r.nearest_flip and
             "statement" in r.nearest_flip]
    _plot(plot, figures.gap_distribution(results[0].mc) if results[0].claim.kind == "category"
          else figures.rank_heatmap(results[0].mc))
    _emit(fmt, [r.to_dict() for r in results],
          [(f"claims about {m.name} ({draws:,} draws, seed {seed})", pd.DataFrame(rows))], notes)


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the app."""
    app.command()(mc)
    app.command()(sensitivity)
    app.command("implied-weights")(implied_weights)
    app.command()(check)


def _cell(value: object) -> str:
    """A table cell: floats to 3 decimals, a missing number (NaN, e.g. no flip) as a dash."""
    if isinstance(value, float):
        return "-" if value != value else f"{value:.3f}"
    return str(value)
