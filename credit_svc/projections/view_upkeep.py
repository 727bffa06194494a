"""Whole-view operations: empty, compare, copy, refresh statistics.

They serve rebuild and replay, which project into a second view beside the
live one and compare the two table by table.
"""

from __future__ import annotations

from typing import Any

from credit_svc.projections.view_schema import TABLES, ViewSQL


class ViewUpkeep(ViewSQL):
    """Operations on all of a view's tables; mixed into the view."""

    def clear(self, cursor: Any, tracking_name: str) -> None:
        """Empty the view and forget its position, to replay from the start."""
        for table in TABLES:
            cursor.execute(self.q(f"DELETE FROM {{{table}}}"))
        cursor.execute(
            self.dialect.sql(
                f"DELETE FROM {self.tracking_table} WHERE application_name = ?", ()
            ),
            (tracking_name,),
        )

    def differences(self, cursor: Any, other: ViewUpkeep) -> dict[str, tuple[int, int]]:
        """Count, per table, the rows only this view has and only the other has."""
        counts = {}
        for table in TABLES:
            mine, theirs = self.dialect.table(table), other.dialect.table(table)
            counts[table] = (
                _count_except(cursor, mine, theirs),
                _count_except(cursor, theirs, mine),
            )
        return counts

    def copy_from(self, cursor: Any, other: ViewUpkeep) -> None:
        """Replace this view's rows with the other view's."""
        for table in TABLES:
            cursor.execute(self.q(f"DELETE FROM {{{table}}}"))
            cursor.execute(
                f"INSERT INTO {self.dialect.table(table)} "
                f"SELECT * FROM {other.dialect.table(table)}"
            )

    def analyse(self) -> None:
        """Refresh PostgreSQL's statistics of the view's tables (SQLite plans
        by its indexes without them)."""
        if not self.dialect.schema:
            return
        tables = ", ".join(self.dialect.table(t) for t in TABLES)
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"ANALYZE {tables}")


def _count_except(cursor: Any, first: str, second: str) -> int:
    cursor.execute(
        f"SELECT COUNT(*) AS n FROM (SELECT * FROM {first} "
        f"EXCEPT SELECT * FROM {second}) AS only_first"
    )
    return int(dict(cursor.fetchone())["n"])
