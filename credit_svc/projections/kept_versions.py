"""What keeps the view's version between reads until the database says it changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class KeptUntilChanged(Protocol):
    """Values kept until the database says it changed: SQLite's ChangeProbe,
    PostgreSQL's ChangeNotices."""

    def unless_changed(self, key: str, read: Callable[[], Any]) -> Any:
        """Return the value kept for the key, or what `read` returns now."""

    def close(self) -> None:
        """Let go of the connection it watches with."""
