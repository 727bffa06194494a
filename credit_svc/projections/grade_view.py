"""The grade read model: enterprises, their records and their grade segments.

Writes take the projector's cursor, so rows and the tracking position commit
together; reads open their own short transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Tracking

from credit_svc.domain.fact import RecordFact
from credit_svc.projections.code_batches import BatchReads, marks
from credit_svc.projections.cutoff import Cutoff
from credit_svc.projections.view_schema import (
    CREATE_STATEMENTS,
    SEGMENT_COLUMNS,
    HistoryChange,
    enterprise_of_row,
    fact_of_row,
)
from credit_svc.projections.view_upkeep import ViewUpkeep


class GradeViewSQL(ViewUpkeep, BatchReads):
    """Dialect-neutral SQL of the grade view; mixed into a tracking recorder."""

    if TYPE_CHECKING:  # provided by the library's tracking recorders

        def _max_tracking_id(self, name: str, cursor: Any) -> int | None: ...

        def _insert_tracking(self, cursor: Any, tracking: Tracking) -> None: ...

    def create_statements(self) -> list[str]:
        """Return the DDL of the view's tables and indexes."""
        return [self.q(s) for s in CREATE_STATEMENTS]

    # Writes, inside the projector's transaction.
    @contextmanager
    def locked(self, tracking_name: str) -> Iterator[tuple[Any, int]]:
        """Open a write transaction that other projectors of this view wait for."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self.dialect.lock_statement())
            yield cursor, self.position_in(cursor, tracking_name)

    def position_in(self, cursor: Any, tracking_name: str) -> int:
        """Return how far the view has processed the event log (0 before any)."""
        return self._max_tracking_id(tracking_name, cursor) or 0

    def set_position(self, cursor: Any, tracking_name: str, position: int) -> None:
        """Record how far the view has processed the event log (only forward)."""
        self._insert_tracking(cursor, Tracking(tracking_name, position))

    def put_event(self, cursor: Any, row: tuple[Any, ...]) -> None:
        """Add one event to the enterprise's audit history (deferred, see
        DeferringCursor; the row holds the table's columns in order)."""
        cursor.defer(self.dialect.table("event"), row)

    def put_enterprise(self, cursor: Any, row: dict[str, Any]) -> None:
        """Add a registered enterprise, with no projects yet (deferred)."""
        cursor.defer(
            self.dialect.table("enterprise"),
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
            self.dialect.table("enterprise"),
            lambda r: r[1] == enterprise_id,
            with_project,
        )
        if queued:
            return str(queued[0])
        cursor.execute(
            self.q(
                "SELECT credit_code, projects FROM {enterprise} WHERE enterprise_id = ?"
            ),
            (enterprise_id,),
        )
        row = dict(cursor.fetchone())
        projects = json.loads(row["projects"]) | {code: name}
        cursor.execute(
            self.q("UPDATE {enterprise} SET projects = ? WHERE enterprise_id = ?"),
            (json.dumps(projects, ensure_ascii=False), enterprise_id),
        )
        return str(row["credit_code"])

    def put_record(self, cursor: Any, row: dict[str, Any]) -> None:
        """Add a record (deferred)."""
        cursor.defer(
            self.dialect.table("record"),
            (
                row["record_id"],
                row["credit_code"],
                row["kind"],
                row["business_date"],
                row["recorded_at"],
                row["position"],
                row["facts"],
            ),
        )

    def replace_segment_tails(
        self, cursor: Any, changes: Mapping[str, HistoryChange]
    ) -> None:
        """Replace the changed part of enterprises' grade histories: the stored
        segments from `since` on make way for the `tail` rows."""
        deleted = [(code, c.since) for code, c in changes.items() if c.since]
        if deleted:
            cursor.executemany(
                self.q(
                    "DELETE FROM {segment} WHERE credit_code = ? AND starts_on >= ?"
                ),
                deleted,
            )
        for row in (row for change in changes.values() for row in change.tail):
            cursor.defer(self.dialect.table("segment"), row)  # SEGMENT_COLUMNS

    def segment_rows_in(self, cursor: Any, credit_code: str) -> list[tuple[Any, ...]]:
        """Return an enterprise's stored grade segments as rows, oldest first."""
        return self.segment_rows_of(cursor, [credit_code]).get(credit_code, [])

    def segment_rows_of(
        self, cursor: Any, credit_codes: Sequence[str]
    ) -> dict[str, list[tuple[Any, ...]]]:
        """Return the enterprises' stored grade segments as rows, oldest first."""
        return {
            code: [tuple(row.values()) for row in rows]
            for code, rows in self._rows_of(
                cursor,
                f"SELECT {SEGMENT_COLUMNS} FROM {{segment}}",
                credit_codes,
                "starts_on",
            ).items()
        }

    def facts_in(
        self, cursor: Any, credit_code: str, cutoff: Cutoff | None = None
    ) -> list[RecordFact]:
        """Return the enterprise's records as facts for grading.

        With a cutoff, only the records known then: stored at or before its log
        position, or recorded at or before its time.
        """
        return self.facts_of(cursor, [credit_code], cutoff).get(credit_code, [])

    def facts_of(
        self,
        cursor: Any,
        credit_codes: Sequence[str],
        cutoff: Cutoff | None = None,
        kinds: Collection[str] = (),
        changed: Collection[str] | None = None,  # noqa: ARG002 (see record_changes.py)
    ) -> dict[str, list[RecordFact]]:
        """Return each enterprise's records (known by the cutoff; of the kinds,
        if any are named) as facts, as recorded: the view that keeps record
        changes folds them in, and reads them only for `changed` codes when
        the caller knows which have any."""
        rows = self._rows_of(
            cursor,
            "SELECT credit_code, record_id, kind, business_date, facts, position, "
            "recorded_at FROM {record}",
            credit_codes,
            "business_date, position",
            params=tuple(sorted(kinds)),
            where=f"kind IN {marks(sorted(kinds))}" if kinds else "",
        )
        return {
            code: [fact_of_row(r) for r in mine if cutoff is None or cutoff.admits(r)]
            for code, mine in rows.items()
        }

    def enterprise_in(self, cursor: Any, credit_code: str) -> dict[str, Any] | None:
        """Return the enterprise row, if the view has it."""
        return self.enterprises_of(cursor, [credit_code]).get(credit_code)

    def enterprises_of(
        self, cursor: Any, credit_codes: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """Return the rows of those of the enterprises the view has."""
        rows = self._rows_of(cursor, "SELECT * FROM {enterprise}", credit_codes, "")
        return {code: enterprise_of_row(mine[0]) for code, mine in rows.items()}
