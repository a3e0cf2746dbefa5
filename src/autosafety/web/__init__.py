"""The interactive model in the browser and its JSON API (FastAPI)."""

from ._app import DEFAULT_DB, create_app

__all__ = ["DEFAULT_DB", "create_app"]
