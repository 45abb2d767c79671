"""Persistence: transfers, labels and users in SQLite (default) or PostgreSQL (DATABASE_URL)."""

from tracing.store.database import DEFAULT_URL, Store, database_url

__all__ = ["DEFAULT_URL", "Store", "database_url"]
