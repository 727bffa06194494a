"""Whole-view operations: empty, copy, index, refresh statistics.

They serve rebuild and replay, which project into a second view beside the
live one and compare the two table by table.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

from credit_svc.projections.view_comparison import GENERATION, ViewComparison
from credit_svc.projections.view_schema import META, WHOLE_VIEW

RULE_PACKS: Final = "rule_packs"
# The order a replaced view's rows are written in: each enterprise's rows
# together, as reads ask for them. A live view appended to record by record
# keeps an enterprise's records on as many pages as it has records: on
# PostgreSQL at 20,000 firms, a batch of 200 with nothing kept read its 9,400
# records from 8,855 pages (13.7 ms of the statement); copied in this order,
# from 1,412 (7.6 ms). Over HTTP, the batch's p50 31 to 35 -> 27 ms. Each
# order is that of the index reads of the table go by (the *_by_enterprise
# indexes, the segment's key): change one with the other.
BY_ENTERPRISE: Final = {
    "record": "credit_code, business_date, position",
    "segment": "credit_code, starts_on",
    "event": "credit_code, position",
    "change": "credit_code, position",
}
# Statistics a build refreshes as it grows: a tenth of the default sample.
QUICK_STATISTICS: Final = 10


class ViewUpkeep(ViewComparison):
    """Operations on all of a view's tables; mixed into the view."""

    if TYPE_CHECKING:  # provided by the grade view and its mixins

        def create_statements(self) -> list[str]: ...

    def drop_indexes(self, cursor: Any) -> None:
        """Drop the secondary indexes, for a bulk load (see create_indexes);
        the keys and unique columns stay, and so do lookups by them."""
        for statement in self._index_statements():
            name = statement.split()[5]  # CREATE INDEX IF NOT EXISTS <name> ON
            qualified = (
                f'"{self.dialect.schema}".{name}' if self.dialect.schema else name
            )
            cursor.execute(f"DROP INDEX IF EXISTS {qualified}")

    def create_indexes(self, cursor: Any) -> None:
        """Create the secondary indexes that are missing: built once from
        sorted rows after a bulk load, instead of row by row during it."""
        for statement in self._index_statements():
            cursor.execute(statement)

    def _index_statements(self) -> list[str]:
        return [s for s in self.create_statements() if s.startswith("CREATE INDEX")]

    def clear(self, cursor: Any, tracking_name: str) -> None:
        """Empty the view and forget its position, to replay from the start.

        Only a shadow is cleared: PostgreSQL truncates it (deleting ten million
        rows takes minutes and leaves them to vacuum) and stops logging it,
        SQLite's DELETE without a WHERE truncates already.
        """
        empty = "TRUNCATE" if self.dialect.schema else "DELETE FROM"
        for table in WHOLE_VIEW:
            cursor.execute(self.q(f"{empty} {{{table}}}"))
            if self.dialect.schema:
                # Nothing in the write-ahead log: a crash empties the tables,
                # and a rebuild is run again anyway (a tenth faster; an empty
                # table changes at once, and a table already unlogged stays).
                cursor.execute(self.q(f"ALTER TABLE {{{table}}} SET UNLOGGED"))
        cursor.execute(
            self.dialect.sql(
                f"DELETE FROM {self.tracking_table} WHERE application_name = ?", ()
            ),
            (tracking_name,),
        )

    def allow_long_pauses(self, cursor: Any) -> None:
        """Let this transaction wait on Python between statements for up to a
        minute: PostgreSQL ends a session idle in a transaction after 5 s (the
        library's setting), and a rebuild grades hundreds of enterprises, or
        lists the grade timelines of all of them, between two statements."""
        if self.dialect.schema:
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout = '60s'")

    def copy_from(self, cursor: Any, other: ViewComparison) -> None:
        """Replace this view's rows with the other view's, as a new generation,
        each enterprise's rows written together (see BY_ENTERPRISE)."""
        for table in WHOLE_VIEW:
            cursor.execute(self.q(f"DELETE FROM {{{table}}}"))
            order = (
                f" ORDER BY {BY_ENTERPRISE[table]}" if table in BY_ENTERPRISE else ""
            )
            cursor.execute(
                f"INSERT INTO {self.dialect.table(table)} "
                f"SELECT * FROM {other.dialect.table(table)}{order}"
            )
        self._set_meta(cursor, GENERATION, uuid.uuid4().hex)

    def version_in(self, cursor: Any, tracking_name: str) -> tuple[int, str]:
        """Return what changes whenever the view's rows do: its position in the
        log and its generation (one statement, as readers ask it per request)."""
        cursor.execute(self._version_statement, (tracking_name, GENERATION))
        row = dict(cursor.fetchone())
        return int(row["position"] or 0), str(row["generation"] or "")

    @cached_property
    def _version_statement(self) -> str:
        return self.dialect.sql(
            f"SELECT (SELECT MAX(notification_id) FROM {self.tracking_table} "
            "WHERE application_name = ?) AS position, "
            f"(SELECT value FROM {self.dialect.table(META)} WHERE name = ?) "
            "AS generation",
            (),
        )

    def record_rule_packs(self, cursor: Any, fingerprint: str) -> None:
        """Note the rule packs the view is computed under (see packs_fingerprint)."""
        self._set_meta(cursor, RULE_PACKS, fingerprint)

    def _set_meta(self, cursor: Any, name: str, value: str) -> None:
        cursor.execute(self.q("DELETE FROM {meta} WHERE name = ?"), (name,))
        cursor.execute(
            self.q("INSERT INTO {meta} (name, value) VALUES (?, ?)"), (name, value)
        )

    def rule_packs_in(self, cursor: Any) -> str | None:
        """Return the fingerprint of the rule packs the view was computed under."""
        cursor.execute(self.q("SELECT value FROM {meta} WHERE name = ?"), (RULE_PACKS,))
        row = cursor.fetchone()
        return None if row is None else str(dict(row)["value"])

    def analyse(
        self, tables: Sequence[str] = WHOLE_VIEW, *, quick: bool = False
    ) -> None:
        """Refresh PostgreSQL's statistics of the view's tables, or of those
        named (SQLite plans by its indexes without them).

        `quick` samples a tenth of the rows the server's default samples
        (3,000 a table): enough to tell how big a table has grown and how its
        credit codes spread, which is all a build's reads by code are planned
        on, at a sixth of the time (0.05 s against 0.3 s for the bench's
        record tables), and a build analyses as it grows.
        """
        self._maintain("ANALYZE", tables, QUICK_STATISTICS if quick else None)

    def vacuum(self) -> None:
        """Reclaim PostgreSQL's dead rows of the view's tables and refresh their
        statistics, after a rebuild replaced every row: reads by credit code
        otherwise walk past the old rows until autovacuum (if it is on) comes."""
        self._maintain("VACUUM (ANALYZE)")

    def _maintain(
        self,
        command: str,
        tables: Sequence[str] = WHOLE_VIEW,
        target: int | None = None,
    ) -> None:
        """Run a PostgreSQL maintenance command on the view's tables, on an
        autocommit connection (VACUUM cannot run inside a transaction); with a
        statistics target, in a transaction that sets it for the command alone."""
        if not self.dialect.schema:
            return
        names = ", ".join(self.dialect.table(t) for t in tables)
        with self.datastore.get_connection() as connection:
            if target is None:
                connection.execute(f"{command} {names}")
                return
            with connection.transaction():
                connection.execute(f"SET LOCAL default_statistics_target = {target}")
                connection.execute(f"{command} {names}")
