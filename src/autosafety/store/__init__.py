"""Saved scenarios: named models a user built in the browser or the API; SQLite by default, any URL."""

from ._scenarios import SavedScenario, ScenarioStore, ScenarioSummary

__all__ = ["SavedScenario", "ScenarioStore", "ScenarioSummary"]
