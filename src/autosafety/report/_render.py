"""The report as one self-contained HTML file (plotly.js inlined from the web part's vendored
bundle, which names no CDN) or as Markdown with SVG figures beside it."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .._errors import InputError, Problem
from ..analysis._render import script_json
from ._build import ReportData, build

if TYPE_CHECKING:
    from ..model import Model

Format = Literal["html", "md"]


@cache
def plotly_js() -> str:
    """The vendored plotly.js bundle (read as a file: the web package is not imported)."""
    import autosafety

    vendored = Path(autosafety.__file__).parent / "web" / "static" / "vendor" / "plotly-cartesian.min.js"
    if vendored.is_file():
        return vendored.read_text("utf-8")
    from plotly.offline import get_plotlyjs  # the plotly package's bundle, also offline

    return str(get_plotlyjs())


def _template() -> Any:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    text = resources.files("autosafety.report").joinpath("templates", "report.html.j2").read_text("utf-8")
    return env.from_string(text)


def tidy(fig: dict[str, Any]) -> dict[str, Any]:
    """A figure fit for a page: a long title wrapped onto two lines, axis labels never cut off."""
    layout = dict(fig.get("layout", {}))
    title = layout.get("title")
    text = title.get("text", "") if isinstance(title, dict) else str(title or "")
    if len(text) > 70 and "<br>" not in text:
        cut = text.rfind(" ", 0, len(text) // 2 + 10)
        text = text[:cut] + "<br>" + text[cut + 1:] if cut > 0 else text
    layout["title"] = {"text": text, "font": {"size": 14}}
    for axis in ("xaxis", "yaxis"):
        layout[axis] = {**layout.get(axis, {}), "automargin": True}
    return {**fig, "layout": layout}


def to_html(data: ReportData) -> str:
    """The report as one HTML page that opens offline."""
    figures = {name: tidy(fig) for s in data.sections for name, fig in s.figures}
    return str(_template().render(
        title=f"{data.model.name} ({data.model.id})", version=data.version, command=data.command,
        settings=data.settings, settings_json=json.dumps(data.settings), seconds=data.seconds,
        sections=data.sections, plotly=plotly_js().replace("</script", "<\\/script"),
        figures_json=script_json(figures)))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(data: ReportData, *, figure_dir: str) -> str:
    """The report as Markdown; figure ``name`` is linked as ``figure_dir/name.svg``."""
    lines = [f"# {data.model.name} ({data.model.id})", "",
             f"Made by autosafety {data.version} with `{data.command}` (seed {data.settings['seed']}, "
             f"{data.settings['draws']:,} draws).", ""]
    for s in data.sections:
        lines += [f"## {s.title}", ""]
        for p in s.paragraphs:
            lines += [p, ""]
        for t in s.tables:
            lines += [f"**{t['caption']}**", "", "| " + " | ".join(map(_md_cell, t["columns"])) + " |",
                      "|" + "---|" * len(t["columns"])]
            lines += ["| " + " | ".join(map(_md_cell, r)) + " |" for r in t["rows"]]
            lines.append("")
        for name, _ in s.figures:
            lines += [f"![{name}]({figure_dir}/{name}.svg)", ""]
    lines += ["## Reproduce", "", f"`{data.command}` (autosafety {data.version})", ""]
    return "\n".join(lines)


def render_report(model: Model | str, *, timeline: bool = False, levers: bool = False,
                  draws: int = 20_000, seed: int = 0, command: str = "") -> str:
    """The HTML report of ``model`` (a Model or a built-in name) as one string; the web page can
    serve it as a download."""
    return to_html(build(_model(model), timeline=timeline, levers=levers, draws=draws, seed=seed,
                         command=command))


def write_report(model: Model | str, out: Path, *, fmt: Format = "html", timeline: bool = False,
                 levers: bool = False, draws: int = 20_000, seed: int = 0, command: str = "",
                 force: bool = False) -> list[Path]:
    """Write the report: one HTML file, or Markdown with its SVG figures in ``<stem>_files/``."""
    if fmt not in ("html", "md"):
        raise InputError(Problem("--format", f"unknown report format '{fmt}'", "use html or md"))
    if not out.parent.exists():
        raise InputError(Problem(f"--out {out}", f"folder {out.parent} does not exist", "create it first"))
    if out.exists() and not force:
        raise InputError(Problem(f"--out {out}", "file exists", "choose another path or pass --force"))
    data = build(_model(model), timeline=timeline, levers=levers, draws=draws, seed=seed, command=command)
    if fmt == "html":
        out.write_text(to_html(data), encoding="utf-8")
        return [out]
    from ..analysis.figures import write_figure

    folder = out.parent / f"{out.stem}_files"
    folder.mkdir(exist_ok=True)
    written = [write_figure(fig, folder / f"{name}.svg") for s in data.sections for name, fig in s.figures]
    out.write_text(to_markdown(data, figure_dir=folder.name), encoding="utf-8")
    return [out, *written]


def _model(model: Model | str) -> Model:
    from ..model import Model, load_model

    return model if isinstance(model, Model) else load_model(model)
