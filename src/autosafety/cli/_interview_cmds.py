"""`autosafety campaign pool` (Cooke's classical model over a campaign's raters, calibrated on
its seed questions) and `autosafety campaign interviews` (export to the timeline's task file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import OutputFormat, plain, write_json, write_text_file

if TYPE_CHECKING:
    from ..campaign._seeds import CampaignPool
    from ..model import Rating

DEFAULT_DB = "sqlite:///autosafety.db"
DbOpt = Annotated[str, typer.Option("--db", metavar="URL", envvar="AUTOSAFETY_DB",
                                    help="SQLAlchemy database URL (default sqlite:///autosafety.db).")]
IdArg = Annotated[int, typer.Argument(metavar="ID", help="Campaign id.")]


def _no_campaign(campaign_id: int) -> Exception:
    from .._errors import InputError, Problem

    return InputError(Problem(f"campaign {campaign_id}", "no such campaign in the database",
                              "check the id and --db"))


def campaign_pool(campaign_id: int, *, db: str, method: str = "cooke") -> CampaignPool:
    """The campaign's cell answers pooled by ``method``, calibrated on its seed answers."""
    from ..campaign import CampaignStore, NotFound
    from ..campaign._seeds_store import pool_stored

    store = CampaignStore(db)
    try:
        return pool_stored(store, campaign_id, method=method)
    except NotFound:
        raise _no_campaign(campaign_id) from None
    finally:
        store.close()


def campaign_ratings(campaign_id: int, *, db: str, pool: str | None = None) -> list[Rating]:
    """What `score --campaign ID` merges: each rater's latest answers (the same ratings as
    `campaign export`), or with ``pool`` the one pooled rater (cooke or equal)."""
    from ..campaign import CampaignStore, NotFound, answers_to_ratings

    if pool is not None:
        return campaign_pool(campaign_id, db=db, method=pool).ratings()
    store = CampaignStore(db)
    try:
        return answers_to_ratings(store.answers(campaign_id))
    except NotFound:
        raise _no_campaign(campaign_id) from None
    finally:
        store.close()


def pool(campaign_id: IdArg,
         method: Annotated[str, typer.Option("--method", help="cooke (performance weights) or equal.")]
         = "cooke",
         fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")]
         = OutputFormat.table,
         out: Annotated[Path | None, typer.Option(
             "--out", "-o", help="Also write the pooled rater as a tidy ratings CSV.")] = None,
         force: Annotated[bool, typer.Option("--force", help="Overwrite OUT.")] = False,
         db: DbOpt = DEFAULT_DB) -> None:
    """Each rater's calibration, information and weight from the seed questions (Cooke's classical
    model), and the campaign's cells pooled: one rater `campaign-ID/pool-METHOD` for
    `score MODEL --campaign ID --pool METHOD` (or `--ratings OUT`)."""
    from .._errors import InputError, Problem

    if fmt is OutputFormat.csv:
        raise InputError(Problem("--format", "csv is not offered here", "use table or json, and "
                                 "--out FILE for the pooled ratings CSV"))
    result = campaign_pool(campaign_id, db=db, method=method)
    if out is not None:
        from ..model import ratings_to_csv

        write_text_file(out, ratings_to_csv(result.ratings()), force=force)
        typer.echo(f"pooled ratings written to {out}", err=True)
    data = result.to_dict()
    if fmt is OutputFormat.json:
        write_json(data)
        return
    _print_pool(data)


def _num(x: Any, spec: str = ".3g") -> str:
    return "-" if x is None else format(x, spec)


def _print_pool(d: dict[str, Any]) -> None:
    typer.echo(f"campaign {d['campaign']}: pooled by {d['method']} weights as rater {d['rater']}")
    typer.echo(f"{'rater':<8} {'seeds':>5} {'calibration':>11} {'information':>11} {'weight':>7}")
    for e in d["raters"]:
        typer.echo(f"{plain(e['id']):<8} {e['seeds_answered']:>5} {_num(e['calibration']):>11} "
                   f"{_num(e['information']):>11} {_num(e['weight']):>7}")
    dm = d["decision_maker"]
    typer.echo(f"{'pooled':<8} {'':>5} {_num(dm['calibration']):>11} {_num(dm['information']):>11}"
               + (f"   (cutoff alpha {_num(d['alpha'])})" if d["method"] == "cooke" else ""))
    if dm["calibration"] is None:
        typer.echo("(no seed answers: nobody is scored; the equal-weight pool needs none)")
    typer.echo("")
    width = max([len(c["area_name"]) + len(c["factor_name"]) + 2 for c in d["cells"]] + [10])
    typer.echo(f"{'pooled cell':<{width}} {'5%':>6} {'50%':>6} {'95%':>6}")
    for c in d["cells"]:
        typer.echo(f"{plain(c['area_name'] + ', ' + c['factor_name']):<{width}} {c['low']:>6.2f} "
                   f"{c['value']:>6.2f} {c['high']:>6.2f}")
    for s in d["skipped"]:
        typer.echo(f"left out: {plain(s)}", err=True)


def interviews(campaign_id: IdArg,
               out: Annotated[Path | None, typer.Option(
                   "--out", "-o", help="Task-level file to write (.yaml or .json; default stdout).")]
               = None,
               trend: Annotated[str, typer.Option("--trend", help="Capability trend preset.")]
               = "metr-2025",
               force: Annotated[bool, typer.Option("--force", help="Overwrite OUT.")] = False,
               db: DbOpt = DEFAULT_DB) -> None:
    """Export the campaign's complete interviews to the timeline's task-level file, pooled per
    area (shares averaged over its interviewees, durations as the pooled log-normal), so that
    `autosafety timeline OUT` runs on it. Incomplete interviews are left out and listed."""
    import json

    import yaml

    from ..campaign import CampaignStore, NotFound
    from ..campaign._interview_store import export_stored

    store = CampaignStore(db)
    try:
        data, left_out = export_stored(store, campaign_id, trend=trend)
    except NotFound:
        raise _no_campaign(campaign_id) from None
    finally:
        store.close()
    for p in left_out:
        typer.echo(f"left out (incomplete): {plain(p)}", err=True)
    if out is not None and out.suffix.lower() == ".json":
        text = json.dumps(data, indent=2) + "\n"
    else:
        text = ("# Task-level model exported by `autosafety campaign interviews` "
                "(pooling: docs/campaigns.md).\n# Run it: autosafety timeline THIS_FILE\n"
                + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_text_file(out, text, force=force)
        typer.echo(f"{len(data['areas'])} area(s) written to {out}; "
                   f"run `autosafety timeline {out}`", err=True)


def register(app: typer.Typer) -> None:
    """Add `pool` and `interviews` to the `campaign` group."""
    app.command("pool")(pool)
    app.command("interviews")(interviews)
