"""`autosafety pool cooke`: Cooke's classical model on an EXCALIBUR case (.dtt + .rls)."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import literal, write_json

if TYPE_CHECKING:
    from ..elicit._cooke import CookeResult

app = typer.Typer(help="Pool expert judgements (Cooke's classical model, equal weights).",
                  no_args_is_help=True, rich_markup_mode=None)


class PoolFormat(StrEnum):
    """How `pool cooke` prints its result."""

    table = "table"
    json = "json"


class Weighting(StrEnum):
    """Cooke's global or item weights, or equal weights."""

    global_ = "global"
    item = "item"
    equal = "equal"


def _fmt(x: float, digits: int = 4) -> str:
    return "-" if not math.isfinite(x) else f"{x:.{digits}g}"


def _print(result: CookeResult) -> None:
    from rich.console import Console
    from rich.table import Table

    j = result.judgements
    console = Console()
    experts = Table(title=f"Experts ({result.weighting} weights, overshoot {result.overshoot:g}, "
                    f"N = {result.n_min} seed items)")
    for col in ("expert", "calibration", "info all", "info seed", "seeds", "cal x info", "weight"):
        experts.add_column(col, justify="left" if col == "expert" else "right")
    for e, ex in enumerate(j.experts):
        experts.add_row(literal(ex), _fmt(result.calibration[e]), _fmt(result.information_all[e]),
                        _fmt(result.information[e]), str(int(result.seeds_answered[e])),
                        _fmt(result.scores[e]), _fmt(result.weights[e]))
    experts.add_row("DM", _fmt(result.dm_calibration), _fmt(result.dm_information_all),
                    _fmt(result.dm_information), "", _fmt(result.dm_score), "", style="bold")
    console.print(experts)
    how = "optimised" if result.alpha_optimised else "given"
    console.print(f"alpha (calibration cutoff, {how}): {result.alpha:.4g}")
    items = Table(title="Decision maker's quantiles")
    items.add_column("item")
    items.add_column("scale")
    items.add_column("realization", justify="right")
    for q in j.quantiles:
        items.add_column(f"{100 * q:g}%", justify="right")
    for i, it in enumerate(j.items):
        items.add_row(literal(it), j.scales[i].upper(), _fmt(float(j.realizations[i])),
                      *[_fmt(float(x)) for x in result.dm_quantiles[i]])
    console.print(items)


@app.command()
def cooke(
    dtt: Annotated[Path, typer.Argument(metavar="CASE.dtt", help="EXCALIBUR assessments file.")],
    realizations: Annotated[Path | None, typer.Option(
        "--realizations", "-r", metavar="CASE.rls",
        help="EXCALIBUR realizations file (default: CASE.rls next to CASE.dtt).")] = None,
    weights: Annotated[Weighting, typer.Option("--weights", "-w", help="Weighting.")] = Weighting.global_,
    alpha: Annotated[float | None, typer.Option(
        "--alpha", help="Calibration cutoff (default: optimised for the decision maker).")] = None,
    overshoot: Annotated[float, typer.Option(
        "--overshoot", help="Widening of each item's range on each side, as a share.")] = 0.1,
    fmt: Annotated[PoolFormat, typer.Option("--format", "-f", help="Output format.")] = PoolFormat.table,
) -> None:
    """Each expert's calibration, information and weight, and the decision maker's scores and
    quantiles, by Cooke's classical model (as EXCALIBUR and ANDURYL compute it)."""
    from ..elicit._cooke import cooke as run_cooke
    from ..elicit._cooke_io import read_excalibur

    rls = realizations if realizations is not None else dtt.with_suffix(".rls")
    result = run_cooke(read_excalibur(dtt, rls), weighting=weights.value, alpha=alpha,
                       overshoot=overshoot)
    if fmt == PoolFormat.json:
        write_json({"dtt": str(dtt), "rls": str(rls), **result.to_dict()})
    else:
        _print(result)
