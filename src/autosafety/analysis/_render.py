"""Write a Plotly figure dict to .html (plotly.js inlined from the plotly package: offline), or to
.svg / .png drawn by matplotlib from the same dict (no browser needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._errors import InputError, Problem

FORMATS = (".html", ".svg", ".png")
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(data: Any) -> str:
    """JSON to put inside a ``<script>`` element: ``<``, ``>`` and ``&`` (which occur only inside
    strings) are written as escapes, so a name such as ``</script>`` or ``<!--`` cannot end or
    hide the element."""
    return json.dumps(data).translate(_SCRIPT_SAFE)


def to_html(fig: dict[str, Any], *, title: str = "autosafety") -> str:
    """A self-contained HTML page drawing ``fig`` with the plotly.js bundled in the plotly package."""
    from html import escape

    from plotly.offline import get_plotlyjs

    spec = script_json(fig)
    return ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" + escape(title) +
            "</title>\n<script>" + get_plotlyjs() + "</script></head>\n<body>"
            "<div id='fig' style='width:100%;height:90vh'></div>\n<script>const f = " + spec +
            ";\nPlotly.newPlot('fig', f.data, f.layout, {responsive: true});</script>"
            "</body></html>\n")


def _text(d: dict[str, Any] | None, key: str) -> str:
    v = (d or {}).get(key)
    text = str(v.get("text", "")) if isinstance(v, dict) else str(v or "")
    return text.replace("<br>", "\n")


def to_matplotlib(fig: dict[str, Any]) -> Any:
    """Draw the trace types our figures use (scatter lines, bars, heatmaps, line shapes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    layout = fig.get("layout", {})
    heat = any(t["type"] == "heatmap" for t in fig["data"])
    size = (10, 7) if heat else (10, 5.5)
    f, ax = plt.subplots(figsize=size, layout="constrained")
    for t in fig["data"]:
        if t["type"] == "scatter":
            color = t.get("line", {}).get("color")
            ax.step(t["x"], t["y"], where="mid", label=t.get("name"), color=color, lw=1.2)
        elif t["type"] == "bar" and t.get("orientation") == "h":
            colors = t.get("marker", {}).get("color")
            ax.barh(t["y"], t["x"], left=t.get("base", 0), color=colors)
        elif t["type"] == "bar":
            x = np.asarray(t["x"], float)
            ax.bar(x, t["y"], width=np.diff(x).mean() if len(x) > 1 else 1.0,
                   color=t.get("marker", {}).get("color"))
        elif t["type"] == "heatmap":
            z = np.asarray(t["z"], float)
            cmap = {"Blues": "Blues", "RdBu": "RdBu_r" if t.get("reversescale") else "RdBu"}.get(
                t.get("colorscale", ""), "viridis")
            im = ax.imshow(z, cmap=cmap, vmin=t.get("zmin"), vmax=t.get("zmax"), aspect="auto")
            tilt = len(t["x"]) > 4 and max(map(len, t["x"])) > 3
            ax.set_xticks(range(len(t["x"])), t["x"], rotation=-45 if tilt else 0,
                          ha="left" if tilt else "center")
            ax.set_yticks(range(len(t["y"])), t["y"])
            for (i, j), v in np.ndenumerate(z):
                if np.isnan(v):
                    continue
                r, g, b, _ = im.cmap(im.norm(v))
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black")
            f.colorbar(im, ax=ax, label=_text(t.get("colorbar"), "title"))
    for s in layout.get("shapes", []):
        if s.get("type") == "line" and s.get("yref") == "paper":
            ax.axvline(s["x0"], color=s.get("line", {}).get("color", "black"),
                       ls="--" if s.get("line", {}).get("dash") else "-", lw=1)
    ax.set_title(_text(layout, "title"))
    ax.set_xlabel(_text(layout.get("xaxis"), "title"))
    ax.set_ylabel(_text(layout.get("yaxis"), "title"))
    if layout.get("xaxis", {}).get("range"):
        ax.set_xlim(*layout["xaxis"]["range"])
    if any(t["type"] == "scatter" for t in fig["data"]):
        ax.legend(fontsize=7, loc="upper left")
    return f


def write_figure(fig: dict[str, Any], path: str | Path) -> Path:
    """Write ``fig`` to ``path``; the suffix picks the format (.html, .svg, .png)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(Problem(f"--plot {p}", f"unknown plot format '{suffix or p.name}'",
                                 "use a .html, .svg or .png file name"))
    if not p.parent.exists():
        raise InputError(Problem(f"--plot {p}", f"folder {p.parent} does not exist",
                                 "create it first"))
    if suffix == ".html":
        p.write_text(to_html(fig, title=_text(fig.get("layout"), "title")), encoding="utf-8")
        return p
    import matplotlib.pyplot as plt

    f = to_matplotlib(fig)
    f.savefig(p, format=suffix[1:], dpi=150)
    plt.close(f)
    return p
