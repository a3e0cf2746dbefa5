"""Commands on factor models: score, show, validate, datasets, schema, init, export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import (
    OutputFormat,
    parse_assignments,
    parse_cell_assignments,
    write_csv,
    write_json,
    write_text_file,
)

if TYPE_CHECKING:
    from ..model import Model

MODEL_HELP = "A built-in model (see `autosafety datasets`) or a .yaml/.json/.csv model file."
ModelArg = Annotated[str, typer.Argument(help=MODEL_HELP, metavar="MODEL")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
WeightOpt = Annotated[list[str] | None, typer.Option(
    "--weight", "-w", metavar="FACTOR=VALUE", help="Override a factor's weight (repeatable).")]
RatingOpt = Annotated[list[str] | None, typer.Option(
    "--rating", "-r", metavar="AREA:FACTOR=VALUE",
    help="Override the pooled rating of a cell, on the factor's scale (repeatable).")]
RatingsFileOpt = Annotated[list[Path] | None, typer.Option(
    "--ratings", metavar="FILE", help="Merge a tidy ratings CSV into the model (repeatable).")]
SourceWeightOpt = Annotated[list[str] | None, typer.Option(
    "--source-weight", metavar="SOURCE=WEIGHT",
    help="Weight of a rater, rater group or rater kind (human/llm/other) when pooling.")]


def build_model(model: str, *, ratings: list[Path] | None = None,
                source_weights: list[str] | None = None, campaigns: list[int] | None = None,
                pool: str | None = None, db: str = "sqlite:///autosafety.db") -> Model:
    """Load MODEL, merge rating files and campaigns' answers and apply source weights, as every
    command does."""
    from ..model import load_model, merge_ratings, parse_ratings_csv, read_text, with_source_weights

    m = load_model(model)
    for path in ratings or []:
        m = merge_ratings(m, parse_ratings_csv(read_text(path), origin=str(path), model=m))
    for campaign_id in campaigns or []:
        from ._interview_cmds import campaign_ratings

        m = merge_ratings(m, campaign_ratings(campaign_id, db=db, pool=pool))
    if source_weights:
        m = with_source_weights(m, parse_assignments(source_weights, option="--source-weight"))
    return m


def score(model: ModelArg, weight: WeightOpt = None, rating: RatingOpt = None,
          ratings: RatingsFileOpt = None, source_weight: SourceWeightOpt = None,
          pooling: Annotated[str, typer.Option(help="Pool raters by 'mean' or 'median'.")] = "mean",
          campaign: Annotated[list[int] | None, typer.Option(
              "--campaign", metavar="ID", help="Merge a campaign's answers from --db, as "
              "`campaign export` then --ratings would (repeatable).")] = None,
          pool: Annotated[str | None, typer.Option(
              "--pool", help="With --campaign: merge the campaign's raters pooled into one rater, "
              "by 'cooke' (calibrated on its seed questions) or 'equal' weights.")] = None,
          db: Annotated[str, typer.Option("--db", metavar="URL", envvar="AUTOSAFETY_DB",
                                          help="Database of --campaign.")] = "sqlite:///autosafety.db",
          fmt: FormatOpt = OutputFormat.table) -> None:
    """Score every area: amenability to automation, rank, category averages and gaps."""
    from .._errors import InputError, Problem

    if pooling not in ("mean", "median"):
        raise InputError(Problem("--pooling", f"unknown method '{pooling}'", "use mean or median"))
    if pool is not None and (pool not in ("cooke", "equal") or not campaign):
        raise InputError(Problem("--pool", f"'{pool}' needs --campaign and is cooke or equal",
                                 "e.g. --campaign 1 --pool cooke"))
    m = build_model(model, ratings=ratings, source_weights=source_weight, campaigns=campaign,
                    pool=pool, db=db)
    result = m.score(weights=parse_assignments(weight or [], option="--weight"),
                     ratings=parse_cell_assignments(rating or [], option="--rating"),
                     pooling=pooling)  # type: ignore[arg-type]
    data = result.to_dict()
    if fmt is OutputFormat.json:
        write_json(data)
    elif fmt is OutputFormat.csv:
        write_csv(["rank", "id", "name", "category", "score"],
                  [[a["rank"], a["id"], a["name"], a["category"], f"{a['score']:.6g}"]
                   for a in data["areas"]])
    else:
        from ._tables import print_score_table

        print_score_table(result)


def show(model: ModelArg, ratings: RatingsFileOpt = None,
         source_weight: SourceWeightOpt = None) -> None:
    """Show a model: source, factors with weights and definitions, areas, raters, pooled ratings."""
    from ._tables import print_model

    print_model(build_model(model, ratings=ratings, source_weights=source_weight))


def validate(file: Annotated[Path, typer.Argument(help="A model file, or a tidy ratings CSV.")],
             model: Annotated[str | None, typer.Option(
                 help="For a ratings CSV: the model whose ids it must use.")] = None) -> None:
    """Check a model file (or a ratings CSV) and list every problem with its location."""
    from ..model import (
        load_model,
        merge_ratings,
        parse_ratings_csv,
        read_model_file,
        read_text,
    )
    from ..model._files import CSV_HEADER_PREFIX

    text = read_text(file)
    if file.suffix.lower() == ".csv" and not text.startswith(CSV_HEADER_PREFIX):
        base = load_model(model) if model else None
        ratings = parse_ratings_csv(text, origin=str(file), model=base)
        if base is not None:
            merge_ratings(base, ratings)  # what merging checks besides (intervals)
        typer.echo(f"ok: {file}: {len(ratings)} ratings"
                   + (f", consistent with {model}" if model else ""))
        return
    m = read_model_file(file)
    typer.echo(f"ok: {file}: {len(m.area_ids)} areas, {len(m.factor_ids)} factors, "
               f"{len(m.rater_ids)} raters, {len(m.spec.ratings)} ratings")


def datasets(fmt: FormatOpt = OutputFormat.table) -> None:
    """List the built-in models with a one-line description and source."""
    from ..model import datasets as list_datasets

    rows = list_datasets()
    if fmt is OutputFormat.json:
        write_json([d.__dict__ for d in rows])
    elif fmt is OutputFormat.csv:
        write_csv(["name", "description", "source"], [[d.name, d.description, d.source]
                                                      for d in rows])
    else:
        for d in rows:
            typer.echo(f"{d.name}\n  {d.description}\n  source: {d.source}")


def schema() -> None:
    """Print the JSON Schema of model files (YAML and JSON)."""
    from ..model import json_schema

    write_json(json_schema())


def init(path: Annotated[Path | None, typer.Argument(help="Where to write (default: stdout).")]
         = None, force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False
         ) -> None:
    """Write a commented model template to edit."""
    from importlib import resources

    text = resources.files("autosafety.data").joinpath("template.yaml").read_text("utf-8")
    if path is None:
        typer.echo(text, nl=False)
    else:
        write_text_file(path, text, force=force)
        typer.echo(f"wrote {path}; check it with `autosafety validate {path}`", err=True)



def export(model: ModelArg,
           fmt: Annotated[str, typer.Option("--format", "-f", help="yaml, json or csv.")] = "yaml",
           out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write.")] = None,
           ratings: RatingsFileOpt = None, source_weight: SourceWeightOpt = None,
           force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False) -> None:
    """Write a model as YAML, JSON or CSV; it loads back to the identical model."""
    from .._errors import InputError, Problem
    from ..model import dump_model

    if fmt not in ("yaml", "json", "csv"):
        raise InputError(Problem("--format", f"unknown format '{fmt}'", "use yaml, json or csv"))
    text = dump_model(build_model(model, ratings=ratings, source_weights=source_weight),
                      fmt)  # type: ignore[arg-type]
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_text_file(out, text, force=force)


def register(app: typer.Typer) -> None:
    """Add the model commands to the app."""
    for fn in (score, show, validate, datasets, schema, init, export):
        app.command()(fn)
