"""`autosafety campaign create|export|close-round` and `autosafety db upgrade`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from . import _interview_cmds
from ._common import plain, write_text_file
from ._interview_cmds import DEFAULT_DB, DbOpt, _no_campaign

app = typer.Typer(help="Human elicitation campaigns: invite raters, collect answers, export ratings.",
                  no_args_is_help=True, rich_markup_mode=None)
db_app = typer.Typer(help="The database of scenarios and campaigns.", no_args_is_help=True,
                     rich_markup_mode=None)


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = DEFAULT_DB) -> None:
    """Create or migrate every table to the newest schema (Alembic); safe to run again."""
    from ..store._migrate import current_revision, head_revision
    from ..store._scenarios import _engine

    engine = _engine(db)  # opening migrates
    typer.echo(f"database at revision {current_revision(engine)} (newest {head_revision()})")
    engine.dispose()


@app.command()
def create(
    model: Annotated[str, typer.Argument(metavar="MODEL", help="Built-in model name or model file.")],
    name: Annotated[str, typer.Option("--name", help="Campaign name.")],
    cells: Annotated[list[str] | None, typer.Option(
        "--cells", metavar="AREA:FACTOR", help="Cells to rate (repeatable or comma separated; "
        "AREA:* or *:FACTOR for a row or column; default every cell).")] = None,
    raters: Annotated[int | None, typer.Option("--raters", help="Number of raters.")] = None,
    invite: Annotated[Path | None, typer.Option(
        "--invite", metavar="raters.csv", help="One rater per line (a display name, optional).")] = None,
    rounds: Annotated[int, typer.Option("--rounds", help="Rounds planned (Delphi).")] = 2,
    base_url: Annotated[str, typer.Option("--base-url", help="Where the web app is served.")] =
        "http://127.0.0.1:8000",
    seed_questions: Annotated[Path | None, typer.Option(
        "--seed-questions", metavar="FILE", help="Calibration items with known answers (YAML/JSON: "
        "id, question, unit, realization, source, scale uniform|log).")] = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Create a campaign; print one private link per rater and the organiser token (shown once:
    only their hashes are stored)."""
    from .._errors import InputError, Problem
    from ..campaign import CampaignStore, campaign_cells, read_invitations
    from ..model import load_model, read_text

    if (raters is None) == (invite is None):
        raise InputError(Problem("--raters/--invite", "give exactly one of them",
                                 "e.g. --raters 12 or --invite raters.csv"))
    names: list[str | None] = (read_invitations(read_text(invite), origin=str(invite)) if invite
                               else [None] * (raters or 0))
    m = load_model(model)
    seeds = _read_seed_questions(seed_questions) if seed_questions else []
    store = CampaignStore(db)
    try:
        made = store.create(m, name=name, model_ref=model, cells=campaign_cells(m, cells), raters=names,
                            rounds=rounds)
        if seeds:
            from ..campaign._seeds_store import SeedStore

            SeedStore(store).add_questions(made.id, seeds)
    finally:
        store.close()
    typer.echo(plain(f"campaign {made.id} '{made.name}': {len(made.cells)} cells, "
                     f"{len(made.raters)} raters, {rounds} rounds"))
    typer.echo(f"interview{f' and {len(seeds)} seed questions' if seeds else ''}: each rater's token "
               f"also opens {base_url.rstrip('/')}/interview#TOKEN")
    typer.echo(f"organiser token (keep it secret): {made.organiser_token}")
    typer.echo(f"organiser dashboard: {base_url.rstrip('/')}/campaigns/{made.id}#{made.organiser_token}")
    typer.echo("private links (one per rater; shown once, only their hashes are stored):")
    for r in made.raters:
        name_part = f"  {plain(r.display_name)}" if r.display_name else ""
        typer.echo(f"{r.pseudonym}  {base_url.rstrip('/')}/rate#{r.token}{name_part}")

_interview_cmds.register(app)  # `campaign pool` and `campaign interviews`


@app.command()
def export(
    campaign_id: Annotated[int, typer.Argument(metavar="ID", help="Campaign id.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Ratings CSV to write.")],
    round_: Annotated[int | None, typer.Option(
        "--round", help="Only this round (default: each rater's latest answer).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT.")] = False,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Write the tidy ratings CSV (kind human; provenance: campaign, round, rater pseudonym,
    time) for `autosafety score MODEL --ratings OUT`. No tokens, no names."""
    from ..campaign import CampaignStore, NotFound, answers_to_ratings
    from ..model import ratings_to_csv

    store = CampaignStore(db)
    try:
        answers = store.answers(campaign_id)
    except NotFound:
        raise _no_campaign(campaign_id) from None
    finally:
        store.close()
    ratings = answers_to_ratings(answers, round=round_)
    write_text_file(out, ratings_to_csv(ratings), force=force)
    typer.echo(f"{len(ratings)} ratings written to {out}", err=True)


def _read_seed_questions(path: Path) -> list[Any]:
    from ..campaign._seeds import read_seed_questions
    from ..model import read_text

    return list(read_seed_questions(read_text(path), origin=str(path)))


def register(root: typer.Typer) -> None:
    """Add the `campaign` and `db` groups."""
    root.add_typer(app, name="campaign")
    root.add_typer(db_app, name="db")
