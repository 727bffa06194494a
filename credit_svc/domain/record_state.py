"""Where a record stands in its life, as its aggregate keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class RecordState:
    """Where a record stands in its life (see lifecycle.py), kept on the aggregate."""

    retracted: bool = False
    corrections: int = 0
    objection: str | None = None  # None | open | upheld | rejected
    repair: str | None = None  # None | applied | granted | refused
    applied_on: date | None = None
    lifted_on: date | None = None
    rectified_on: date | None = None
