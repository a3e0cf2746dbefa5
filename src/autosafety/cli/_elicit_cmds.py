"""Commands for LLM raters and agreement: elicit, agreement."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import OutputFormat, literal, write_csv, write_json
from ._model_cmds import FormatOpt, ModelArg, RatingsFileOpt, build_model

if TYPE_CHECKING:
    from ..elicit import AgreementReport, Progress, RunReport

ListOpt = list[str] | None


def _progress_printer(quiet: bool) -> tuple[Any, Callable[[Progress], None]]:
    """A rich progress bar on stderr showing done / failed / cached, and its closer."""
    from rich import progress as rp
    from rich.console import Console

    bar = rp.Progress(rp.TextColumn("rating"), rp.BarColumn(), rp.MofNCompleteColumn(),
                      rp.TextColumn("{task.description}"), rp.TimeElapsedColumn(),
                      console=Console(stderr=True), disable=quiet, transient=False)
    task = bar.add_task("", total=None)

    def update(p: Progress) -> None:
        bar.update(task, total=p.total, completed=p.done + p.failed + p.cached,
                   description=f"done {p.done}  failed {p.failed}  cached {p.cached}")
    return bar, update


def _yaml_value(text: str) -> Any:
    from .._errors import InputError
    from .._input import load_yaml

    try:
        return load_yaml(text, origin="option")
    except InputError:
        return text


def _report_failures(report: RunReport, out: Path) -> None:
    import csv

    failures = report.failures
    path = Path(str(out) + ".failures.csv")
    if not failures:
        path.unlink(missing_ok=True)
        return
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["llm", "sample", "area", "factor", "paper", "status", "problem", "raw"])
        for r, a in failures:
            w.writerow([r.llm, r.sample, r.area, r.factor, r.paper.title if r.paper else "",
                        a.status, a.problem, a.raw])
    typer.echo(f"{len(failures)} request(s) without a rating (raw answers in {path}):", err=True)
    for r, a in failures[:20]:
        raw = " ".join(a.raw.split())[:120]
        paper = f" paper '{r.paper.title}'" if r.paper else ""
        typer.echo(f"  {r.llm}#{r.sample} {r.area}:{r.factor}{paper}: {a.status}: {a.problem}"
                   + (f" -- {raw!r}" if raw else ""), err=True)
    if len(failures) > 20:
        typer.echo(f"  ... and {len(failures) - 20} more", err=True)


def elicit(
    model: ModelArg,
    llm: Annotated[list[str], typer.Option("--llm", metavar="PROVIDER/NAME",
                                           help="An Inspect model string (repeatable).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Ratings CSV to write.")],
    samples: Annotated[int, typer.Option("--samples", "-k", help="Samples per model and cell.")] = 1,
    factors: Annotated[ListOpt, typer.Option("--factors", help="Factor ids (repeatable or comma "
                                             "separated; default all).")] = None,
    areas: Annotated[ListOpt, typer.Option("--areas", help="Area ids (default all).")] = None,
    papers: Annotated[Path | None, typer.Option(
        "--papers", help="CSV of papers (area,title,abstract): rate each paper, aggregate per "
        "area.")] = None,
    cache: Annotated[Path | None, typer.Option(
        "--cache", help="SQLite answer cache (default: OUT.cache.sqlite); re-runs resume.")] = None,
    concurrency: Annotated[int, typer.Option(help="Calls in flight at once.")] = 8,
    temperature: Annotated[float | None, typer.Option(help="Sampling temperature (default: "
                                                      "the provider's).")] = None,
    retries: Annotated[int, typer.Option(help="Retries on rate limits, server errors and "
                                         "timeouts.")] = 3,
    backoff: Annotated[float, typer.Option(help="First retry delay in seconds (doubles each "
                                           "retry, with jitter).")] = 1.0,
    timeout: Annotated[float, typer.Option(help="Seconds allowed per attempt.")] = 120.0,
    model_arg: Annotated[ListOpt, typer.Option(
        "--model-arg", metavar="KEY=VALUE", help="Extra argument for Inspect's get_model, e.g. "
        "max_retries=0 for the OpenAI client (repeatable; VALUE read as YAML).")] = None,
    max_tokens: Annotated[int, typer.Option(help="Largest answer, in tokens.")] = 400,
    structured: Annotated[bool, typer.Option(help="Ask for JSON-schema structured output.")] = True,
    retry_failed: Annotated[bool, typer.Option(help="Ask again where a cached answer was refused, "
                                               "unparseable or out of range.")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Ask LLMs to rate a model's (area, factor) cells with the factor rubrics; write ratings.

    Exit status 0 when every requested rating was obtained, 1 when some are missing (listed,
    raw answers kept), 2 on bad input. Re-running the same command makes only the missing calls.
    """
    from .._errors import InputError, Problem
    from ..elicit import AnswerCache, parse_papers_csv, plan_requests, run_requests
    from ..elicit._run import load_models, pending
    from ..model import load_model, ratings_to_csv, read_text

    m = load_model(model)
    problems = []
    if not out.parent.is_dir():
        problems.append(Problem(f"--out {out}", "its folder does not exist", "create it first"))
    for name, value in (("--retries", retries), ("--max-tokens", max_tokens - 1)):
        if value < 0:
            problems.append(Problem(name, f"must be positive, got {value}", "give a larger number"))
    if backoff < 0:
        problems.append(Problem("--backoff", f"must be >= 0, got {backoff}", "give seconds >= 0"))
    args = {}
    for item in model_arg or []:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            problems.append(Problem(f"--model-arg {item}", "expected KEY=VALUE",
                                    "e.g. --model-arg max_retries=0"))
        else:
            args[key.strip()] = _yaml_value(text)
    if timeout <= 0:
        problems.append(Problem("--timeout", f"must be positive, got {timeout}", "give seconds > 0"))
    if concurrency < 1:
        problems.append(Problem("--concurrency", f"must be at least 1, got {concurrency}",
                                "give N >= 1"))
    if problems:
        raise InputError(problems, title="invalid elicitation")
    paper_list = parse_papers_csv(read_text(papers), m, origin=str(papers)) if papers else []
    requests = plan_requests(m, llms=llm, samples=samples, factors=factors, areas=areas,
                             papers=paper_list, temperature=temperature)
    import asyncio

    # Providers are checked (package, API key) and their models loaded before a new cache file or
    # the progress bar exists; an existing cache first says what is left to ask, so a re-run
    # that needs no call needs no key and does not import Inspect.
    path = cache or Path(str(out) + ".cache.sqlite")
    store = AnswerCache(path) if path.exists() else None
    try:
        todo = pending(requests, store, retry_failed=retry_failed) if store else requests
        models = load_models(sorted({r.llm for r in todo}), model_args=args) if todo else {}
        if store is None:
            store = AnswerCache(path)
        bar, update = _progress_printer(quiet)
        with bar:
            report = asyncio.run(run_requests(
                requests, cache=store, concurrency=concurrency, retries=retries,
                backoff=backoff, timeout=timeout, models=models, model_args=args,
                max_tokens=max_tokens, structured=structured, retry_failed=retry_failed,
                on_progress=update))
    except KeyboardInterrupt:
        typer.echo("interrupted: answers received so far are in the cache; re-run the same "
                   "command to resume", err=True)
        raise typer.Exit(130) from None
    finally:
        if store is not None:
            store.close()
    ratings = report.ratings
    header = (f"# autosafety elicit {m.id}: llms {' '.join(llm)}; samples {samples}; "
              f"{len(ratings)} ratings\n")
    out.write_text(header + ratings_to_csv(ratings), encoding="utf-8")
    p = report.progress
    typer.echo(f"wrote {len(ratings)} ratings to {out} ({p.done} new, {p.cached} cached, "
               f"{p.failed} failed; {report.calls} calls in {report.seconds:.1f} s)", err=True)
    _report_failures(report, out)
    if not report.complete:
        typer.echo(f"incomplete: {len(report.failures)} of {p.total} requests have no rating; "
                   "re-run the same command to retry call errors, add --retry-failed to ask "
                   "again where an answer was unusable", err=True)
        raise typer.Exit(1)


def _print_agreement(report: AgreementReport, *, top: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()

    def num(x: float) -> str:
        return "-" if x != x else f"{x:.2f}"

    kinds = ", ".join(f"{n} ({k})" for n, k in report.raters.items())
    console.print(literal(f"raters: {kinds}"))
    for note in report.notes:
        console.print(literal(f"note: {note}", newlines=True))
    table = Table(title=f"Krippendorff's alpha (interval), {report.confidence:.0%} bootstrap "
                  f"interval over {report.bootstrap} resamples of cells")
    for col in ("split", "scope", "subject", "alpha", "interval", "cells", "raters"):
        table.add_column(col, justify="right" if col in ("alpha", "cells", "raters") else "left")
    for a in report.alphas:
        table.add_row(literal(a.split), literal(a.scope), literal(a.subject), num(a.alpha),
                      f"{num(a.low)} to {num(a.high)}",
                      str(a.units), str(a.raters))
    console.print(table)
    cells = Table(title=f"Most disagreed cells (top {min(top, len(report.cells))} of "
                  f"{len(report.cells)})")
    for col in ("area", "factor", "sd", "spread", "ratings"):
        cells.add_column(col)
    for d in report.cells[:top]:
        cells.add_row(literal(d.area), literal(d.factor), num(d.sd), num(d.spread),
                      literal(", ".join(f"{k} {v:.1f}" for k, v in d.values.items())))
    console.print(cells)


def agreement(
    model: ModelArg, ratings: RatingsFileOpt = None, fmt: FormatOpt = OutputFormat.table,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap resamples of cells.")] = 1000,
    confidence: Annotated[float, typer.Option(help="Level of the intervals.")] = 0.95,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    top: Annotated[int, typer.Option(help="Disagreed cells to show in the table.")] = 15,
) -> None:
    """Inter-rater agreement: Krippendorff's alpha overall, per factor and per area, for all
    raters, within humans, within LLMs and human vs LLM; the most disagreed cells first.

    An LLM's samples count as one rater (their mean). CSV output lists the alphas; JSON has
    everything.
    """
    from .._errors import InputError, Problem
    from ..elicit import agreement as compute

    problems = []
    if bootstrap < 2:
        problems.append(Problem("--bootstrap", f"must be at least 2, got {bootstrap}",
                                "e.g. --bootstrap 1000"))
    if not 0 < confidence < 1:
        problems.append(Problem("--confidence", f"must be between 0 and 1, got {confidence}",
                                "e.g. --confidence 0.9"))
    if problems:
        raise InputError(problems, title="invalid agreement options")
    report = compute(build_model(model, ratings=ratings), bootstrap=bootstrap,
                     confidence=confidence, seed=seed)
    if len(report.raters) < 2:
        raise InputError(Problem(model, f"{len(report.raters)} rater(s); agreement needs two or "
                                 "more", "merge more ratings with --ratings FILE"))
    if fmt is OutputFormat.json:
        write_json(report.to_dict())
    elif fmt is OutputFormat.csv:
        write_csv(["split", "scope", "subject", "alpha", "low", "high", "cells", "raters"],
                  [[a.split, a.scope, a.subject, *(("" if x != x else f"{x:.6g}")
                                                   for x in (a.alpha, a.low, a.high)),
                    a.units, a.raters] for a in report.alphas])
    else:
        _print_agreement(report, top=top)


def register(app: typer.Typer) -> None:
    """Add the elicit and agreement commands to the app."""
    app.command()(elicit)
    app.command()(agreement)
