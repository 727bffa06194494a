"""The grade view's tables, and the shapes of its rows in Python."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Final, NamedTuple

from credit_svc.domain.fact import RecordFact
from credit_svc.domain.timeline import Segment
from credit_svc.projections.codec import decode_facts

# Table names begin with the view's prefix: the live view's, or a rebuild's
# shadow beside it.
LIVE_PREFIX: Final = "cs_"
REBUILD_PREFIX: Final = "rb_"
TABLES: Final = (
    *("enterprise", "record", "segment", "event", "change"),
    *("manager", "assignment", "manager_record"),  # see manager_view.py
)
# Facts about the view as a whole (e.g. the rule packs it was computed under);
# kept apart from TABLES, whose rows each belong to one enterprise.
META: Final = "meta"
WHOLE_VIEW: Final = (*TABLES, META)
CREATE_STATEMENTS: Final = (
    "CREATE TABLE IF NOT EXISTS {meta} (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {enterprise} (credit_code TEXT PRIMARY KEY, "
    "enterprise_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
    "jurisdiction TEXT NOT NULL, registered_at TEXT NOT NULL, "
    "projects TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {record} (record_id TEXT PRIMARY KEY, "
    "credit_code TEXT NOT NULL, kind TEXT NOT NULL, business_date TEXT NOT NULL, "
    "recorded_at TEXT NOT NULL, position BIGINT NOT NULL, facts TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {p}record_by_enterprise ON {record} "
    "(credit_code, business_date, position)",
    "CREATE TABLE IF NOT EXISTS {segment} (credit_code TEXT NOT NULL, "
    "jurisdiction TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT, "
    "grade TEXT NOT NULL, score TEXT NOT NULL, board TEXT, "
    "blacklisted INTEGER NOT NULL, "
    "tender_points TEXT NOT NULL, pack_id TEXT NOT NULL, pack_version TEXT NOT NULL, "
    "PRIMARY KEY (credit_code, starts_on))",
    "CREATE INDEX IF NOT EXISTS {p}segment_by_board ON {segment} "
    "(jurisdiction, board, starts_on)",
    # Every event about an enterprise, for auditors: who recorded what, when.
    "CREATE TABLE IF NOT EXISTS {event} (position BIGINT PRIMARY KEY, "
    "credit_code TEXT NOT NULL, aggregate_id TEXT NOT NULL, "
    "aggregate_version BIGINT NOT NULL, event_type TEXT NOT NULL, "
    "recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, "
    "document_number TEXT NOT NULL, acting_key TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {p}event_by_enterprise ON {event} "
    "(credit_code, position)",
)
SEGMENT_COLUMNS: Final = (
    "credit_code, jurisdiction, starts_on, ends_on, grade, score, board, blacklisted, "
    "tender_points, pack_id, pack_version"
)
STARTS_ON: Final = 2  # the index of starts_on in a segment row


class HistoryChange(NamedTuple):
    """An enterprise's new grade history, and the part of it to write.

    A new record changes a history from about its business date on: the
    segments before stay as they are, and are neither deleted nor written
    again (a firm of the bench has about thirty).
    """

    rows: list[tuple[Any, ...]]  # the whole new history
    since: str | None  # the start of the first stored segment to delete; None: none
    tail: list[tuple[Any, ...]]  # the rows to insert in their place


def segment_rows(
    credit_code: str, jurisdiction: str, segments: Sequence[Segment]
) -> list[tuple[Any, ...]]:
    """Return grade segments as segment-table rows, typed as the database returns."""
    return [
        (
            credit_code,
            jurisdiction,
            s.starts_on.isoformat(),
            s.ends_on.isoformat() if s.ends_on else None,
            s.standing.grade,
            str(s.standing.score),
            s.standing.board,
            int(s.standing.blacklisted),
            str(s.standing.tender_points),
            s.standing.pack_id,
            s.standing.pack_version,
        )
        for s in segments
    ]


def fact_of_row(row: dict[str, Any]) -> RecordFact:
    """Return a record row as the fact grading sees."""
    facts = decode_facts(row["facts"])
    return RecordFact(
        str(row["record_id"]),
        row["kind"],
        date.fromisoformat(row["business_date"]),
        facts.get("term_months"),
        facts,
    )


def enterprise_of_row(row: dict[str, Any]) -> dict[str, Any]:
    """Return an enterprise row with its project map decoded."""
    return row | {"projects": json.loads(row["projects"])}


def record_row(row: dict[str, Any]) -> dict[str, Any]:
    """Return a record row with its facts decoded and its record time parsed."""
    return row | {
        "facts": decode_facts(row["facts"]),
        "recorded_at": datetime.fromisoformat(row["recorded_at"]),
    }


def segment_of_row(row: dict[str, Any]) -> dict[str, Any]:
    """Return a segment row with its dates parsed."""
    starts_on, ends_on = row["starts_on"], row["ends_on"]
    return row | {
        "starts_on": date.fromisoformat(starts_on) if starts_on else None,
        "ends_on": date.fromisoformat(ends_on) if ends_on else None,
    }
