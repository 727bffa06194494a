"""RecordFact: the read-only view of a record that rule packs grade."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class RecordFact:
    """A recorded fact as grading sees it: kind, dates and attributes."""

    record_id: str
    kind: str
    business_date: date
    term_months: int | None
    attributes: Mapping[str, Any]
    # Lifecycle, folded from later events: a granted repair or an early lifting
    # ends the record's effect on `ends_on`; an open objection flags it.
    ends_on: date | None = None
    ended_by: str | None = None  # "repair" | "lifting"
    under_objection: bool = False
    rectified_on: date | None = None  # confirmed by the recording authority

    def get(self, name: str) -> Any:
        """Return an attribute of the record, or None when it has none of that name."""
        return self.attributes.get(name)

    def has_flag(self, flag: str) -> bool:
        """Tell whether a bad-credit record carries the flag."""
        return flag in (self.get("flags") or ())
