"""A point in record time, for "as recorded at" answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Cutoff:
    """A point in record time: a log position, a timestamp, or both."""

    position: int | None = None
    recorded_at: datetime | None = None

    def admits(self, row: dict[str, Any]) -> bool:
        """Tell whether a record row was known at this point."""
        if self.position is not None and row["position"] > self.position:
            return False
        recorded = datetime.fromisoformat(row["recorded_at"])
        return self.recorded_at is None or recorded <= self.recorded_at
