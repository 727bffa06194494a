"""Enterprises, their grade segments and their audit history in the view."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from credit_svc.domain.fact import RecordFact
from credit_svc.projections.database import ViewDatabase
from credit_svc.projections.record_store import RecordStore
from credit_svc.projections.view_schema import (
    SEGMENT_COLUMNS,
    HistoryChange,
    enterprise_of_row,
    segment_of_row,
)

# Each enterprise with the segment in force on a day (NULLs when no pack was),
# and whether any of its records was ever changed: most never are, and then
# their records are read without a statement for the changes.
_ENTERPRISE_AND_SEGMENT = (
    "SELECT e.credit_code, e.name, e.jurisdiction, e.registered_at, s.starts_on, "
    "s.ends_on, s.grade, s.score, s.board, s.blacklisted, s.tender_points, "
    "s.pack_id, s.pack_version, EXISTS (SELECT 1 FROM {change} c "
    "WHERE c.credit_code = e.credit_code) AS changed FROM {enterprise} e "
)
ENTERPRISE_WITH_SEGMENT_ON = (
    _ENTERPRISE_AND_SEGMENT + "LEFT JOIN {segment} s "
    "ON s.credit_code = e.credit_code AND s.starts_on <= ? "
    "AND (s.ends_on IS NULL OR s.ends_on > ?)"
)
# PostgreSQL finds each enterprise's segment by its key (the last one to
# start by the day) instead of hashing every segment: see performance.md.
ENTERPRISE_WITH_SEGMENT_ON_BY_KEY = (
    _ENTERPRISE_AND_SEGMENT + "LEFT JOIN LATERAL (SELECT * FROM {segment} s "
    "WHERE s.credit_code = e.credit_code AND s.starts_on <= ? "
    "ORDER BY s.starts_on DESC LIMIT 1) s ON s.ends_on IS NULL OR s.ends_on > ?"
)
SEGMENT_ON = (
    f"SELECT {SEGMENT_COLUMNS} FROM {{segment}} "
    "WHERE credit_code = ? AND starts_on <= ? AND (ends_on IS NULL OR ends_on > ?)"
)


# What a search matches: the credit code itself, or a part of the name.
SEARCH = "credit_code = ? OR name LIKE ? ESCAPE '\\'"


class GradeStore:
    """Writes and reads of the enterprise, segment and audit-event tables."""

    def __init__(self, db: ViewDatabase, records: RecordStore) -> None:
        self.db = db
        self.records = records  # a grade is read with the records it rests on

    # Writes, inside the projector's transaction (a DeferringCursor).
    def put_event(self, cursor: Any, row: tuple[Any, ...]) -> None:
        """Add one event to the enterprise's audit history (deferred; the row
        holds the table's columns in order)."""
        cursor.defer(self.db.dialect.table("event"), row)

    def put_enterprise(self, cursor: Any, row: dict[str, Any]) -> None:
        """Add a registered enterprise, with no projects yet (deferred)."""
        cursor.defer(
            self.db.dialect.table("enterprise"),
            (
                row["credit_code"],
                row["enterprise_id"],
                row["name"],
                row["jurisdiction"],
                row["registered_at"],
                "{}",
            ),
        )

    def put_project(self, cursor: Any, enterprise_id: str, code: str, name: str) -> str:
        """Add a project to an enterprise's project map; return its credit code."""

        def with_project(row: tuple[Any, ...]) -> tuple[Any, ...]:
            projects = json.loads(row[5]) | {code: name}
            return (*row[:5], json.dumps(projects, ensure_ascii=False))

        queued = cursor.update_queued(
            self.db.dialect.table("enterprise"),
            lambda r: r[1] == enterprise_id,
            with_project,
        )
        if queued:
            return str(queued[0])
        cursor.execute(
            self.db.q(
                "SELECT credit_code, projects FROM {enterprise} WHERE enterprise_id = ?"
            ),
            (enterprise_id,),
        )
        row = dict(cursor.fetchone())
        projects = json.loads(row["projects"]) | {code: name}
        cursor.execute(
            self.db.q("UPDATE {enterprise} SET projects = ? WHERE enterprise_id = ?"),
            (json.dumps(projects, ensure_ascii=False), enterprise_id),
        )
        return str(row["credit_code"])

    def replace_segment_tails(
        self, cursor: Any, changes: Mapping[str, HistoryChange]
    ) -> None:
        """Replace the changed part of enterprises' grade histories: the stored
        segments from `since` on make way for the `tail` rows."""
        deleted = [(code, c.since) for code, c in changes.items() if c.since]
        if deleted:
            cursor.executemany(
                self.db.q(
                    "DELETE FROM {segment} WHERE credit_code = ? AND starts_on >= ?"
                ),
                deleted,
            )
        for row in (row for change in changes.values() for row in change.tail):
            cursor.defer(self.db.dialect.table("segment"), row)  # SEGMENT_COLUMNS

    # Reads on the caller's cursor (the projector's, or a reader's snapshot).
    def segment_rows_of(
        self, cursor: Any, credit_codes: Sequence[str]
    ) -> dict[str, list[tuple[Any, ...]]]:
        """Return the enterprises' stored grade segments as rows, oldest first."""
        return {
            code: [tuple(row.values()) for row in rows]
            for code, rows in self.db.rows_of(
                cursor,
                f"SELECT {SEGMENT_COLUMNS} FROM {{segment}}",
                credit_codes,
                "starts_on",
            ).items()
        }

    def enterprise_in(self, cursor: Any, credit_code: str) -> dict[str, Any] | None:
        """Return the enterprise row, if the view has it."""
        return self.enterprises_of(cursor, [credit_code]).get(credit_code)

    def enterprises_of(
        self, cursor: Any, credit_codes: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """Return the rows of those of the enterprises the view has."""
        rows = self.db.rows_of(cursor, "SELECT * FROM {enterprise}", credit_codes, "")
        return {code: enterprise_of_row(mine[0]) for code, mine in rows.items()}

    def enterprises_within(
        self, cursor: Any, jurisdiction: str
    ) -> dict[str, dict[str, Any]]:
        """Return the rows of the enterprises of a division prefix."""
        rows = self.db.all_in(
            cursor,
            "SELECT * FROM {enterprise} WHERE jurisdiction LIKE ? ORDER BY credit_code",
            (f"{jurisdiction}%",),
        )
        return {row["credit_code"]: enterprise_of_row(row) for row in rows}

    # Reads on their own cursor.
    def get_enterprise(self, credit_code: str) -> dict[str, Any] | None:
        """Return the enterprise with its projects, if registered."""
        with self.db.reading() as cursor:
            return self.enterprise_in(cursor, credit_code)

    def grades_on(
        self,
        credit_codes: Sequence[str],
        day: date,
        kinds_wanted: Callable[[dict[str, Any]], frozenset[str]],
    ) -> tuple[dict[str, dict[str, Any]], dict[str, list[RecordFact]]]:
        """Return registered enterprises with their segment on the day, and the
        records of the kinds `kinds_wanted` names for each.

        A grade query is then one or two statements however many codes it asks
        about; an enterprise without a pack that day has its segment fields None.
        Read together: the records must be those the segments were graded from.
        """
        with self.db.reading_together() as cursor:
            found = self.db.rows_of(
                cursor,
                # SQLite has no LATERAL, and joins by the segment's key anyway
                ENTERPRISE_WITH_SEGMENT_ON_BY_KEY
                if self.db.dialect.schema
                else ENTERPRISE_WITH_SEGMENT_ON,
                credit_codes,
                "",
                params=(day.isoformat(), day.isoformat()),
                key="e.credit_code",
            )
            rows = {code: segment_of_row(mine[0]) for code, mine in found.items()}
            changed = {code for code, row in rows.items() if row.pop("changed")}
            wanted = {code: kinds_wanted(row) for code, row in rows.items()}
            codes = [code for code, kinds in wanted.items() if kinds]
            if not codes:
                return rows, {}
            kinds = frozenset().union(*wanted.values())
            facts = self.records.facts_of(cursor, codes, kinds=kinds, changed=changed)
            return rows, facts

    def list_events(self, credit_code: str) -> list[dict[str, Any]]:
        """Return every event about the enterprise in log order."""
        rows = self.db.all(
            "SELECT * FROM {event} WHERE credit_code = ? ORDER BY position",
            (credit_code,),
        )
        return [
            row | {"recorded_at": datetime.fromisoformat(row["recorded_at"])}
            for row in rows
        ]

    def search_enterprises(
        self, text: str, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Return enterprises whose credit code is the text or whose name holds
        it, by credit code, `limit` of them from `offset` on."""
        return self.db.all(
            "SELECT credit_code, name, jurisdiction FROM {enterprise} "
            f"WHERE {SEARCH} ORDER BY credit_code LIMIT ? OFFSET ?",
            (*_search_terms(text), limit, offset),
        )

    def count_enterprises(self, text: str) -> int:
        """Return how many enterprises `search_enterprises` finds in all."""
        rows = self.db.all(
            f"SELECT count(*) AS n FROM {{enterprise}} WHERE {SEARCH}",
            _search_terms(text),
        )
        return int(rows[0]["n"])

    def segment_on(self, credit_code: str, day: date) -> dict[str, Any] | None:
        """Return the grade segment in force on the day, if any pack was in force."""
        rows = self.db.all(SEGMENT_ON, (credit_code, day.isoformat(), day.isoformat()))
        return segment_of_row(rows[0]) if rows else None

    def list_segments(self, credit_code: str) -> list[dict[str, Any]]:
        """Return the enterprise's whole grade history, oldest first."""
        rows = self.db.all(
            f"SELECT {SEGMENT_COLUMNS} FROM {{segment}} "
            "WHERE credit_code = ? ORDER BY starts_on",
            (credit_code,),
        )
        return [segment_of_row(row) for row in rows]

    def list_on_board(
        self, board: str, jurisdiction: str, day: date
    ) -> list[dict[str, Any]]:
        """Return the enterprises on a board (red, black or blacklist) on the day."""
        test = "s.blacklisted = 1" if board == "blacklist" else "s.board = ?"
        board_params: tuple[Any, ...] = () if board == "blacklist" else (board,)
        statement = (
            "SELECT e.credit_code, e.name, e.jurisdiction, s.grade, s.score, s.board, "
            "s.blacklisted, s.starts_on, s.ends_on, s.pack_id, s.pack_version "
            "FROM {segment} s JOIN {enterprise} e ON e.credit_code = s.credit_code "
            f"WHERE s.jurisdiction LIKE ? AND {test} AND s.starts_on <= ? "
            "AND (s.ends_on IS NULL OR s.ends_on > ?) ORDER BY e.credit_code"
        )
        rows = self.db.all(
            statement,
            (f"{jurisdiction}%", *board_params, day.isoformat(), day.isoformat()),
        )
        return [segment_of_row(row) for row in rows]


def _search_terms(text: str) -> tuple[str, str]:
    """Return the code and the name pattern a search looks for."""
    pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return text.upper(), f"%{pattern}%"
