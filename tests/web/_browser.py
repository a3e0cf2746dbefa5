"""What the browser tests share: the two window sizes, where screenshots go, and the axe-core scan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / ".cache" / "axe-core-4.14.1" / "axe.min.js"
"""Fetched from the npm registry by scripts/test.sh (never shipped)."""
SIZES = {"1280x800": {"width": 1280, "height": 800}, "390x844": {"width": 390, "height": 844}}


def screenshots(pg: Any, name: str) -> None:
    """The first screen and the whole page, as ``NAME.png`` and ``NAME-full.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"))
    pg.screenshot(path=str(SHOTS / f"{name}-full.png"), full_page=True)


def serious_axe_violations(pg: Any) -> list[tuple[str, str, list[Any]]]:
    """axe-core's serious and critical violations on the page: (rule, impact, first targets)."""
    pg.add_script_tag(path=str(AXE))
    result = pg.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def watched_page(browser: Any, url: str, width: int, height: int, **context: Any) -> Any:
    """A page at ``url`` in a fresh context, recording script errors (``pg.errors``) and every
    request's URL (``pg.requests``)."""
    pg = browser.new_context(viewport={"width": width, "height": height}, **context).new_page()
    pg.errors, pg.requests = [], []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.goto(url)
    return pg
