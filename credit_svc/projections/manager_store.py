"""Project managers in the view: the register, project assignments, own records.

A manager's standing is computed when asked, from these rows and the records
of the enterprises the manager worked for: a person has few records, and the
enterprises' own grades stay the only thing the projector recomputes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Final

from credit_svc.domain.manager_standing import Assignment
from credit_svc.projections.database import ViewDatabase
from credit_svc.projections.record_store import RecordStore
from credit_svc.projections.view_schema import record_row

CREATE_MANAGER_TABLES: Final = (
    "CREATE TABLE IF NOT EXISTS {manager} (manager_id TEXT PRIMARY KEY, "
    "name TEXT NOT NULL, jurisdiction TEXT NOT NULL, registered_at TEXT NOT NULL, "
    "position BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {assignment} (position BIGINT PRIMARY KEY, "
    "credit_code TEXT NOT NULL, project_code TEXT NOT NULL, "
    "manager_id TEXT NOT NULL, starts_on TEXT NOT NULL, assigned_by TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {p}assignment_by_manager ON {assignment} (manager_id)",
    "CREATE INDEX IF NOT EXISTS {p}assignment_by_project ON {assignment} "
    "(credit_code, project_code)",
    "CREATE TABLE IF NOT EXISTS {manager_record} (record_id TEXT PRIMARY KEY, "
    "manager_id TEXT NOT NULL, credit_code TEXT NOT NULL, position BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {p}manager_record_by_manager ON {manager_record} "
    "(manager_id)",
)
ASSIGNMENTS_OF: Final = (
    "SELECT a.* FROM {assignment} a JOIN (SELECT DISTINCT credit_code, project_code "
    "FROM {assignment} WHERE manager_id = ?) mine "
    "ON a.credit_code = mine.credit_code AND a.project_code = mine.project_code "
    "ORDER BY a.position"
)


class ManagerStore:
    """Writes and reads of the project-manager tables."""

    def __init__(self, db: ViewDatabase, records: RecordStore) -> None:
        self.db = db
        self.records = records  # a manager's records are shown as they stand

    def put_manager(self, cursor: Any, row: dict[str, Any]) -> None:
        """Add a registered manager (once)."""
        cursor.execute(
            self.db.q(
                "INSERT INTO {manager} VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (manager_id) DO NOTHING"
            ),
            tuple(row.values()),
        )

    def put_assignment(
        self, cursor: Any, enterprise_id: str, row: dict[str, Any]
    ) -> str:
        """Add a manager's assignment to a project; return the enterprise's code."""
        cursor.execute(
            self.db.q("SELECT credit_code FROM {enterprise} WHERE enterprise_id = ?"),
            (enterprise_id,),
        )
        credit_code = str(dict(cursor.fetchone())["credit_code"])
        cursor.execute(
            self.db.q("INSERT INTO {assignment} VALUES (?, ?, ?, ?, ?, ?)"),
            (row["position"], credit_code, *tuple(row.values())[1:]),
        )
        return credit_code

    def put_manager_record(self, cursor: Any, row: dict[str, Any]) -> None:
        """Index a record about a manager under the manager (deferred)."""
        cursor.defer(self.db.dialect.table("manager_record"), tuple(row.values()))

    def get_manager(self, manager_id: str) -> dict[str, Any] | None:
        """Return the registered manager, if the view has them."""
        rows = self.db.all(
            "SELECT * FROM {manager} WHERE manager_id = ?", (manager_id,)
        )
        return rows[0] if rows else None

    def list_assignments(self, manager_id: str) -> list[Assignment]:
        """Return every assignment of the projects the manager ever ran.

        Other managers' starts are needed too: they end the manager's spells.
        """
        return [_assignment(row) for row in self.db.all(ASSIGNMENTS_OF, (manager_id,))]

    def list_manager_records(self, manager_id: str) -> list[dict[str, Any]]:
        """Return the records about the manager, each as it now stands."""
        with self.db.reading_together() as cursor:
            rows = self.db.all_in(
                cursor,
                "SELECT r.* FROM {record} r JOIN {manager_record} m "
                "ON r.record_id = m.record_id WHERE m.manager_id = ? "
                "ORDER BY r.business_date, r.position",
                (manager_id,),
            )
            by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                by_code[row["credit_code"]].append(record_row(row))
            shown = [
                record
                for code, mine in by_code.items()
                for record in self.records.with_status(cursor, code, mine)
            ]
        return sorted(shown, key=lambda r: (r["business_date"], r["position"]))

    def list_listed_managers(self, jurisdiction: str) -> list[str]:
        """Return the managers of the jurisdiction with any list entry about them."""
        rows = self.db.all(
            "SELECT DISTINCT m.manager_id FROM {manager} m JOIN {manager_record} r "
            "ON r.manager_id = m.manager_id JOIN {record} k "
            "ON k.record_id = r.record_id "
            "WHERE m.jurisdiction LIKE ? AND k.kind = 'manager_list_entry' "
            "ORDER BY m.manager_id",
            (f"{jurisdiction}%",),
        )
        return [str(row["manager_id"]) for row in rows]

    def list_manager_codes(self, manager_id: str) -> list[str]:
        """Return the enterprises the manager worked for or has records at."""
        rows = self.db.all(
            "SELECT credit_code FROM {manager_record} WHERE manager_id = ? "
            "UNION SELECT credit_code FROM {assignment} WHERE manager_id = ?",
            (manager_id, manager_id),
        )
        return sorted(str(row["credit_code"]) for row in rows)

    def list_project_assignments(
        self, credit_code: str, project_code: str
    ) -> list[Assignment]:
        """Return every manager assignment of one project, oldest first."""
        rows = self.db.all(
            "SELECT * FROM {assignment} WHERE credit_code = ? AND project_code = ? "
            "ORDER BY position",
            (credit_code, project_code),
        )
        return [_assignment(row) for row in rows]


def _assignment(row: dict[str, Any]) -> Assignment:
    return Assignment(
        row["credit_code"],
        row["project_code"],
        row["manager_id"],
        date.fromisoformat(row["starts_on"]),
    )
