"""A cache whose values stay until the database says something changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class ChangeCache(Protocol):
    """Values cached until the database says it changed: SQLite's
    SQLiteChangeCache, PostgreSQL's PostgresChangeCache."""

    def cached(self, key: str, read: Callable[[], Any]) -> Any:
        """Return the value cached for the key, or what `read` returns now."""

    def drop(self) -> None:
        """Forget what is cached: this process has just changed the database
        (or waited until it was changed), and must read what it wrote."""

    def close(self) -> None:
        """Let go of the connection it watches with."""
