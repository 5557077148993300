"""Alembic migrations of Yishi's tables (see live/schema.py, which runs them)."""
