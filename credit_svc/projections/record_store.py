"""Records and the later events about them (corrections, objections, repair...).

The record table keeps each record as first recorded; the change table keeps
what happened to it since, with log positions and record times, so that a
fact can be folded as known at any cutoff.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record_status import Change, current_facts, fold, status_of
from credit_svc.projections.codec import decode_facts
from credit_svc.projections.cutoff import Cutoff
from credit_svc.projections.database import ViewDatabase, marks
from credit_svc.projections.view_schema import fact_of_row, record_row

CREATE_CHANGES: Final = (
    "CREATE TABLE IF NOT EXISTS {change} (position BIGINT PRIMARY KEY, "
    "record_id TEXT NOT NULL, credit_code TEXT NOT NULL, change_type TEXT NOT NULL, "
    "recorded_at TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {p}change_by_enterprise ON {change} "
    "(credit_code, position)",
)


class RecordStore:
    """Writes and reads of the record and change tables; folds changes into facts."""

    def __init__(self, db: ViewDatabase) -> None:
        self.db = db

    # Writes, inside the projector's transaction (a DeferringCursor).
    def put_record(self, cursor: Any, row: dict[str, Any]) -> None:
        """Add a record (deferred)."""
        cursor.defer(
            self.db.dialect.table("record"),
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

    def put_change(self, cursor: Any, row: dict[str, Any]) -> None:
        """Add one later event about a record (deferred)."""
        cursor.defer(
            self.db.dialect.table("change"),
            (
                row["position"],
                row["record_id"],
                row["credit_code"],
                row["change_type"],
                row["recorded_at"],
                row["body"],
            ),
        )

    def code_of_record(self, cursor: Any, record_id: str) -> str:
        """Return the credit code a record is about."""
        cursor.execute(
            self.db.q("SELECT credit_code FROM {record} WHERE record_id = ?"),
            (record_id,),
        )
        return str(dict(cursor.fetchone())["credit_code"])

    # Reads on the caller's cursor.
    def facts_in(
        self, cursor: Any, credit_code: str, cutoff: Cutoff | None = None
    ) -> list[RecordFact]:
        """Return the enterprise's records as facts for grading (known by cutoff)."""
        return self.facts_of(cursor, [credit_code], cutoff).get(credit_code, [])

    def facts_of(
        self,
        cursor: Any,
        credit_codes: Sequence[str],
        cutoff: Cutoff | None = None,
        kinds: Collection[str] = (),
        changed: Collection[str] | None = None,
    ) -> dict[str, list[RecordFact]]:
        """Return each enterprise's records (known by the cutoff; of the kinds,
        if any are named) as facts, as the changes known then left them.

        `changed`, if the caller knows it, holds the codes that have any
        change at all: the changes of the others are not looked for.
        """
        maybe = (
            credit_codes
            if changed is None
            else [c for c in credit_codes if c in changed]
        )
        changes = self.changes_of(cursor, maybe, cutoff)
        found = self.recorded_facts_of(cursor, credit_codes, cutoff, kinds)
        return {
            code: _folded(facts, changes.get(code, {})) for code, facts in found.items()
        }

    def recorded_facts_of(
        self,
        cursor: Any,
        credit_codes: Sequence[str],
        cutoff: Cutoff | None = None,
        kinds: Collection[str] = (),
    ) -> dict[str, list[RecordFact]]:
        """Return each enterprise's records as first recorded, without changes."""
        rows = self.db.rows_of(
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

    def changes_in(
        self, cursor: Any, credit_code: str, cutoff: Cutoff | None = None
    ) -> dict[str, list[Change]]:
        """Return the enterprise's record changes known at the cutoff, by record."""
        return self.changes_of(cursor, [credit_code], cutoff).get(credit_code, {})

    def changes_of(
        self, cursor: Any, credit_codes: Sequence[str], cutoff: Cutoff | None = None
    ) -> dict[str, dict[str, list[Change]]]:
        """Return each enterprise's record changes known at the cutoff, by record."""
        rows = self.db.rows_of(
            cursor, "SELECT * FROM {change}", credit_codes, "position"
        )
        by_enterprise = {}
        for code, mine in rows.items():
            by_record: dict[str, list[Change]] = defaultdict(list)
            for row in mine:
                if cutoff is None or cutoff.admits(row):
                    change = Change(row["change_type"], decode_facts(row["body"]))
                    by_record[row["record_id"]].append(change)
            by_enterprise[code] = by_record
        return by_enterprise

    def with_status(
        self,
        cursor: Any,
        credit_code: str,
        rows: Sequence[dict[str, Any]],
        cutoff: Cutoff | None = None,
    ) -> list[dict[str, Any]]:
        """Return record rows with their facts and lifecycle status now (or
        at the cutoff)."""
        changes = self.changes_in(cursor, credit_code, cutoff)
        shown = []
        for row in rows:
            mine = changes.get(row["record_id"], [])
            current = current_facts(row["facts"], mine)
            shown.append(row | {"facts": current, "status": status_of(mine)})
        return shown

    def records_in(
        self, cursor: Any, credit_code: str, kind: str | None
    ) -> list[dict[str, Any]]:
        """Return the enterprise's records by business date, optionally of one kind."""
        where = "credit_code = ?" + (" AND kind = ?" if kind else "")
        params = (credit_code, kind) if kind else (credit_code,)
        rows = self.db.all_in(
            cursor,
            f"SELECT * FROM {{record}} WHERE {where} ORDER BY business_date, position",
            params,
        )
        return [record_row(row) for row in rows]

    def record_in(self, cursor: Any, record_id: str) -> dict[str, Any] | None:
        """Return one record, if the view has it."""
        rows = self.db.all_in(
            cursor, "SELECT * FROM {record} WHERE record_id = ?", (record_id,)
        )
        return record_row(rows[0]) if rows else None

    def filed_within(self, jurisdiction: str) -> list[dict[str, Any]]:
        """Return the records of a division prefix's firms that an objection
        or a repair application was ever filed about, with their status."""
        with self.db.reading_together() as cursor:
            found = self.db.all_in(
                cursor,
                "SELECT DISTINCT c.record_id, c.credit_code FROM {change} c "
                "JOIN {enterprise} e ON e.credit_code = c.credit_code "
                "WHERE e.jurisdiction LIKE ? "
                "AND c.change_type IN ('ObjectionFiled', 'RepairApplied') "
                "ORDER BY c.record_id",
                (f"{jurisdiction}%",),
            )
            rows = []
            for match in found:
                row = self.record_in(cursor, match["record_id"])
                if row is not None:
                    rows += self.with_status(cursor, match["credit_code"], [row])
            return rows

    # Reads on their own cursor.
    def get_facts(
        self, credit_code: str, cutoff: Cutoff | None = None
    ) -> list[RecordFact]:
        """Return the enterprise's records as facts for grading (known by cutoff)."""
        with self.db.reading_together() as cursor:
            return self.facts_in(cursor, credit_code, cutoff)

    def list_records(self, credit_code: str, kind: str | None) -> list[dict[str, Any]]:
        """Return the enterprise's records, each with its facts now and its status
        (read together: the changes are those of the records read)."""
        with self.db.reading_together() as cursor:
            rows = self.records_in(cursor, credit_code, kind)
            return self.with_status(cursor, credit_code, rows)

    def get_record(
        self, record_id: str, cutoff: Cutoff | None = None
    ) -> dict[str, Any] | None:
        """Return one record with its facts and its status now (or as its
        changes known at the cutoff left it), if the view has it."""
        with self.db.reading_together() as cursor:
            row = self.record_in(cursor, record_id)
            if row is None:
                return None
            return self.with_status(cursor, row["credit_code"], [row], cutoff)[0]


def _folded(
    facts: Sequence[RecordFact], changes: Mapping[str, Sequence[Change]]
) -> list[RecordFact]:
    folded = (fold(fact, changes.get(fact.record_id, ())) for fact in facts)
    return [fact for fact in folded if fact is not None]
