"""Whole-view operations: empty, compare, copy, refresh statistics.

They serve rebuild and replay, which project into a second view beside the
live one and compare the two table by table.
"""

from __future__ import annotations

from typing import Any, Final

from credit_svc.projections.view_schema import WHOLE_VIEW, ViewSQL

RULE_PACKS: Final = "rule_packs"


class ViewUpkeep(ViewSQL):
    """Operations on all of a view's tables; mixed into the view."""

    def clear(self, cursor: Any, tracking_name: str) -> None:
        """Empty the view and forget its position, to replay from the start."""
        for table in WHOLE_VIEW:
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
        for table in WHOLE_VIEW:
            mine, theirs = self.dialect.table(table), other.dialect.table(table)
            counts[table] = (
                _count_except(cursor, mine, theirs),
                _count_except(cursor, theirs, mine),
            )
        return counts

    def copy_from(self, cursor: Any, other: ViewUpkeep) -> None:
        """Replace this view's rows with the other view's."""
        for table in WHOLE_VIEW:
            cursor.execute(self.q(f"DELETE FROM {{{table}}}"))
            cursor.execute(
                f"INSERT INTO {self.dialect.table(table)} "
                f"SELECT * FROM {other.dialect.table(table)}"
            )

    def record_rule_packs(self, cursor: Any, fingerprint: str) -> None:
        """Note the rule packs the view is computed under (see packs_fingerprint)."""
        cursor.execute(self.q("DELETE FROM {meta} WHERE name = ?"), (RULE_PACKS,))
        cursor.execute(
            self.q("INSERT INTO {meta} (name, value) VALUES (?, ?)"),
            (RULE_PACKS, fingerprint),
        )

    def rule_packs_in(self, cursor: Any) -> str | None:
        """Return the fingerprint of the rule packs the view was computed under."""
        cursor.execute(self.q("SELECT value FROM {meta} WHERE name = ?"), (RULE_PACKS,))
        row = cursor.fetchone()
        return None if row is None else str(dict(row)["value"])

    def analyse(self) -> None:
        """Refresh PostgreSQL's statistics of the view's tables (SQLite plans
        by its indexes without them)."""
        if not self.dialect.schema:
            return
        tables = ", ".join(self.dialect.table(t) for t in WHOLE_VIEW)
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"ANALYZE {tables}")


def _count_except(cursor: Any, first: str, second: str) -> int:
    cursor.execute(
        f"SELECT COUNT(*) AS n FROM (SELECT * FROM {first} "
        f"EXCEPT SELECT * FROM {second}) AS only_first"
    )
    return int(dict(cursor.fetchone())["n"])
