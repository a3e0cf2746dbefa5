"""Rich tables for a terminal: scores and model overviews."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ._common import literal as t

if TYPE_CHECKING:
    from ..model import Model, ScoreResult


def print_score_table(result: ScoreResult, *, console: Console | None = None) -> None:
    """Ranking, scores, category averages and gaps; overrides listed under the table."""
    console = console or Console()
    m = result.model
    table = Table(title=t(f"{m.name} ({m.id})"), title_justify="left")
    table.add_column("rank", justify="right")
    table.add_column("area")
    table.add_column("category")
    table.add_column("score", justify="right")
    for i in result.order():
        a = m.areas[i]
        rank = f"{result.ranks[i]}{'=' if result.tied[i] else ''}"
        table.add_row(rank, t(a.name or a.id), t(a.category), f"{result.scores[i]:.2f}")
    table.add_section()
    for cat, value in result.category_scores.items():
        table.add_row("", t(f"{cat} average"), "", f"{value:.2f}")
    for pair, gap in result.gaps.items():
        table.add_row("", t(f"gap {pair}"), "", f"{gap:+.2f}")
    console.print(table)
    if any(result.tied):
        console.print("= tied: areas share the rank")
    for kind, values in result.overrides.items():
        for key, value in values.items():
            console.print(t(f"override {kind[:-1]} {key} = {value:g}"))


def print_model(model: Model, *, console: Console | None = None) -> None:
    """Source, factors, areas, raters and the pooled rating matrix."""
    console = console or Console()
    s = model.spec
    console.print(Text.assemble(t(model.name, style="bold"), t(f" ({model.id})")))
    if s.description:
        console.print(t(s.description, newlines=True))
    if s.source:
        parts = (s.source.author, s.source.title, s.source.date, s.source.url)
        console.print(t("source: " + ", ".join(x for x in parts if x)))
    if s.notes:
        console.print(t(f"notes: {s.notes}", newlines=True))
    factors = Table(title="factors", title_justify="left")
    for col in ("id", "name", "weight", "scale", "direction", "definition"):
        factors.add_column(col, overflow="fold")
    for f in s.factors:
        sc = f.scale or s.scale
        factors.add_row(t(f.id), t(f.name), f"{f.weight:g}", f"{sc.min:g}-{sc.max:g}", f.direction,
                        t(f.description, newlines=True))
    console.print(factors)
    raters = Table(title="raters", title_justify="left")
    for col in ("id", "kind", "weight", "group", "description"):
        raters.add_column(col, overflow="fold")
    for r in s.raters:
        raters.add_row(t(r.id), r.kind, f"{r.weight:g}", t(r.group or ""),
                       t(r.description, newlines=True))
    console.print(raters)
    pooled = model.pooled()
    grid = Table(title="pooled ratings (higher = more amenable)", title_justify="left")
    grid.add_column("area")
    grid.add_column("category")
    for fid in model.factor_ids:
        grid.add_column(t(fid), justify="right")
    for i, a in enumerate(s.areas):
        grid.add_row(t(a.name or a.id), t(a.category), *(f"{v:.2f}" for v in pooled[i]))
    console.print(grid)
    if len(model.rater_ids) > 1:
        coverage = model.coverage
        console.print(f"coverage: {coverage.mean():.0%} of (area, factor, rater) cells rated; "
                      f"lowest cell {coverage.min():.0%}")
    if s.stated_ranking:
        console.print(t("stated ranking: " + " > ".join(s.stated_ranking.order)))


def fitted_table(title: str, columns: list[str], rows: list[list[str]], *, numeric: set[str],
                 console: Console, keep: int = 1) -> tuple[Table, list[str]]:
    """A table that fits the console's width (80 columns when stdout is not a terminal): numbers
    are never cut (their columns do not wrap), text columns fold, and when that is not enough the
    rightmost columns after the first ``keep`` are left out. Returns the table and the columns left
    out. A table of one or two rows with many columns is shown turned, one field a line."""
    if 1 <= len(rows) <= 2 and len(columns) > 6:
        turned = Table(title=t(title), title_justify="left")
        turned.add_column("field", overflow="fold")
        for i in range(len(rows)):
            turned.add_column("value" if len(rows) == 1 else f"row {i + 1}", overflow="fold")
        for j, col in enumerate(columns):
            turned.add_row(t(col), *(t(r[j]) for r in rows))
        return turned, []
    shown = list(range(len(columns)))
    while True:
        table = Table(title=t(title), title_justify="left")
        for j in shown:
            col = columns[j]
            if col in numeric:
                width = max([len(col), *(len(r[j]) for r in rows)])
                table.add_column(t(col), justify="right", no_wrap=True, min_width=width)
            else:
                table.add_column(t(col), overflow="fold", min_width=min(12, max(len(col), 4)))
        for r in rows:
            table.add_row(*(t(r[j]) for j in shown))
        need = table.__rich_measure__(console, console.options).minimum
        if need <= console.width or len(shown) <= keep + 1:
            return table, [columns[j] for j in range(len(columns)) if j not in shown]
        shown.pop()
