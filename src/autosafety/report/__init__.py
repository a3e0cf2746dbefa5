"""One self-contained, offline report of a model and its analyses: the inputs and their provenance,
scores, uncertainty and sensitivity, flip thresholds as sentences, the timeline, the levers and the
safer bets, each with its figure, and the exact command and version that produced it.

``render_report(model, ...) -> str`` (HTML) is what the web page serves; ``write_report`` writes
HTML or Markdown with SVG figures.
"""

from ._build import ReportData, Section, build
from ._render import render_report, to_html, to_markdown, write_report

__all__ = ["ReportData", "Section", "build", "render_report", "to_html", "to_markdown", "write_report"]
