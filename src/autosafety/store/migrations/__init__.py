"""Alembic migrations of the store (scenarios, campaigns); run by :func:`autosafety.store.upgrade`."""
