"""Whole-view operations: create, empty, copy, compare, index, statistics.

They serve rebuild and replay, which project into a second view beside the
live one and compare the two table by table (each view's rows are a set:
every table has a primary key), and the view's version and rule packs.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import cached_property
from typing import Any, Final

from credit_svc.projections.database import ViewDatabase
from credit_svc.projections.view_schema import META, WHOLE_VIEW

RULE_PACKS: Final = "rule_packs"
# Changed whenever a rebuild replaces the view's rows: with the tracking
# position, it tells readers whether anything they cached may have changed.
GENERATION: Final = "generation"
# The order a replaced view's rows are written in: each enterprise's rows
# together, as reads ask for them (see performance.md). Each order is that of
# the index reads of the table go by (the *_by_enterprise indexes, the
# segment's key): change one with the other.
BY_ENTERPRISE: Final = {
    "record": "credit_code, business_date, position",
    "segment": "credit_code, starts_on",
    "event": "credit_code, position",
    "change": "credit_code, position",
}
# Statistics a build refreshes as it grows: a tenth of the default sample.
QUICK_STATISTICS: Final = 10


class OtherRulePacksError(Exception):
    """The view was computed under other rule packs than the projector's."""


class ViewMaintenance:
    """Operations on all of one view's tables."""

    def __init__(self, db: ViewDatabase, create_statements: Sequence[str]) -> None:
        self.db = db
        self.create_statements = list(create_statements)

    def create_tables(self) -> None:
        """Create the view's tables where missing."""
        self.db.create_tables(self.create_statements)

    def differences(
        self, cursor: Any, other: ViewMaintenance
    ) -> dict[str, tuple[int, int]]:
        """Count, per table, the rows only this view has and only the other has.

        Every table has a primary key, so each view's rows are a set: the rows
        the views share are this view's count less those only it has, and the
        other's count less the shared ones are only the other's. One search
        for missing rows a table instead of two (it was a quarter of a
        rebuild on SQLite).
        """
        counts = {}
        for table in WHOLE_VIEW:
            only_mine = _count(cursor, self._only_here(cursor, table, other))
            shared = _count(cursor, self._compared(table)) - only_mine
            counts[table] = (only_mine, _count(cursor, other._compared(table)) - shared)
        return counts

    def _only_here(self, cursor: Any, table: str, other: ViewMaintenance) -> str:
        """Return a query of the table's rows the other view does not have.

        Each row is looked up in the other table by its first column, where
        every table's primary key starts, and compared column by column (NULL
        matching NULL): faster than EXCEPT on both backends.
        """
        first, *rest = self._columns(cursor, table)
        same = " AND ".join(
            [f"mine.{first} = theirs.{first}"]
            + [f"mine.{c} {self.db.dialect.same_as} theirs.{c}" for c in rest]
        )
        return (
            f"SELECT * FROM ({self._compared(table)}) AS mine WHERE NOT EXISTS "
            f"(SELECT 1 FROM ({other._compared(table)}) AS theirs WHERE {same})"
        )

    def _columns(self, cursor: Any, table: str) -> list[str]:
        """Return the table's columns, in order."""
        if self.db.dialect.schema:
            cursor.execute(
                "SELECT column_name AS name FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                (self.db.dialect.schema, f"{self.db.dialect.prefix}{table}"),
            )
        else:
            cursor.execute(
                "SELECT name FROM pragma_table_info(?)", (self.db.dialect.table(table),)
            )
        return [str(dict(row)["name"]) for row in cursor.fetchall()]

    def _compared(self, table: str) -> str:
        """Return the rows of a table that two views computed alike must share:
        all of them but the generation, which is each view's own."""
        name = self.db.dialect.table(table)
        if table != META:
            return f"SELECT * FROM {name}"
        return f"SELECT * FROM {name} WHERE name <> '{GENERATION}'"

    def drop_indexes(self, cursor: Any) -> None:
        """Drop the secondary indexes, for a bulk load (see create_indexes);
        the keys and unique columns stay, and so do lookups by them."""
        for statement in self._index_statements():
            name = statement.split()[5]  # CREATE INDEX IF NOT EXISTS <name> ON
            qualified = (
                f'"{self.db.dialect.schema}".{name}' if self.db.dialect.schema else name
            )
            cursor.execute(f"DROP INDEX IF EXISTS {qualified}")

    def create_indexes(self, cursor: Any) -> None:
        """Create the secondary indexes that are missing: built once from
        sorted rows after a bulk load, instead of row by row during it."""
        for statement in self._index_statements():
            cursor.execute(statement)

    def _index_statements(self) -> list[str]:
        return [s for s in self.create_statements if s.startswith("CREATE INDEX")]

    def clear(self, cursor: Any, tracking_name: str) -> None:
        """Empty the view and forget its position, to replay from the start.

        Only a shadow is cleared: PostgreSQL truncates it (deleting ten million
        rows takes minutes and leaves them to vacuum) and stops logging it,
        SQLite's DELETE without a WHERE truncates already.
        """
        empty = "TRUNCATE" if self.db.dialect.schema else "DELETE FROM"
        for table in WHOLE_VIEW:
            cursor.execute(self.db.q(f"{empty} {{{table}}}"))
            if self.db.dialect.schema:
                # Nothing in the write-ahead log: a crash empties the tables,
                # and a rebuild is run again anyway (a tenth faster; an empty
                # table changes at once, and a table already unlogged stays).
                cursor.execute(self.db.q(f"ALTER TABLE {{{table}}} SET UNLOGGED"))
        cursor.execute(
            self.db.dialect.sql(
                f"DELETE FROM {self.db.tracking_table} WHERE application_name = ?", ()
            ),
            (tracking_name,),
        )

    def allow_long_pauses(self, cursor: Any) -> None:
        """Let this transaction wait on Python between statements for up to a
        minute: PostgreSQL ends a session idle in a transaction after 5 s (the
        library's setting), and a rebuild grades hundreds of enterprises, or
        lists the grade timelines of all of them, between two statements."""
        if self.db.dialect.schema:
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout = '60s'")

    def copy_from(self, cursor: Any, other: ViewMaintenance) -> None:
        """Replace this view's rows with the other view's, as a new generation,
        each enterprise's rows written together (see BY_ENTERPRISE)."""
        for table in WHOLE_VIEW:
            cursor.execute(self.db.q(f"DELETE FROM {{{table}}}"))
            order = (
                f" ORDER BY {BY_ENTERPRISE[table]}" if table in BY_ENTERPRISE else ""
            )
            cursor.execute(
                f"INSERT INTO {self.db.dialect.table(table)} "
                f"SELECT * FROM {other.db.dialect.table(table)}{order}"
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
        return self.db.dialect.sql(
            f"SELECT (SELECT MAX(notification_id) FROM {self.db.tracking_table} "
            "WHERE application_name = ?) AS position, "
            f"(SELECT value FROM {self.db.dialect.table(META)} WHERE name = ?) "
            "AS generation",
            (),
        )

    def record_rule_packs(self, cursor: Any, fingerprint: str) -> None:
        """Note the rule packs the view is computed under (see packs_fingerprint)."""
        self._set_meta(cursor, RULE_PACKS, fingerprint)

    def _set_meta(self, cursor: Any, name: str, value: str) -> None:
        cursor.execute(self.db.q("DELETE FROM {meta} WHERE name = ?"), (name,))
        cursor.execute(
            self.db.q("INSERT INTO {meta} (name, value) VALUES (?, ?)"), (name, value)
        )

    def check_packs(self, cursor: Any, position: int, fingerprint: str) -> None:
        """Refuse to extend a view computed under packs of another fingerprint
        (a projector left on old packs after a rebuild under new ones would mix
        two sets of rules, and no grade would say so); record the fingerprint
        in a view computed from the first event on."""
        if position == 0:
            self.record_rule_packs(cursor, fingerprint)
        elif self.rule_packs_in(cursor) != fingerprint:
            raise OtherRulePacksError(
                "the grade view was computed under other rule packs than this "
                "process loaded: run `credit-svc rebuild --apply` with the packs "
                "in force, and restart projectors that run older ones"
            )

    def rule_packs_in(self, cursor: Any) -> str | None:
        """Return the fingerprint of the rule packs the view was computed under."""
        cursor.execute(
            self.db.q("SELECT value FROM {meta} WHERE name = ?"), (RULE_PACKS,)
        )
        row = cursor.fetchone()
        return None if row is None else str(dict(row)["value"])

    def analyse(
        self, tables: Sequence[str] = WHOLE_VIEW, *, quick: bool = False
    ) -> None:
        """Refresh PostgreSQL's statistics of the view's tables, or of those
        named (SQLite plans by its indexes without them).

        `quick` samples a tenth of the rows the server's default samples:
        enough to tell how big a table has grown and how its credit codes
        spread, which is all a build's reads by code are planned on, and a
        build analyses as it grows.
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
        if not self.db.dialect.schema:
            return
        names = ", ".join(self.db.dialect.table(t) for t in tables)
        with self.db.datastore.get_connection() as connection:
            if target is None:
                connection.execute(f"{command} {names}")
                return
            with connection.transaction():
                connection.execute(f"SET LOCAL default_statistics_target = {target}")
                connection.execute(f"{command} {names}")

    def count_rows_in(self, cursor: Any) -> dict[str, int]:
        """Return how many rows each table of the view holds."""
        counts = {}
        for table in WHOLE_VIEW:
            cursor.execute(self.db.q(f"SELECT COUNT(*) AS n FROM {{{table}}}"))
            counts[table] = int(dict(cursor.fetchone())["n"])
        return counts

    def codes_with_other_segments(
        self, cursor: Any, other: ViewMaintenance
    ) -> list[str]:
        """Return the enterprises whose grade segments differ in the other view."""
        mine = self.db.dialect.table("segment")
        theirs = other.db.dialect.table("segment")
        cursor.execute(
            f"SELECT credit_code FROM (SELECT * FROM {mine} EXCEPT "
            f"SELECT * FROM {theirs}) AS only_mine UNION "
            f"SELECT credit_code FROM (SELECT * FROM {theirs} EXCEPT "
            f"SELECT * FROM {mine}) AS only_theirs ORDER BY credit_code"
        )
        return [str(dict(row)["credit_code"]) for row in cursor.fetchall()]


def _count(cursor: Any, rows: str) -> int:
    cursor.execute(f"SELECT COUNT(*) AS n FROM ({rows}) AS counted")
    return int(dict(cursor.fetchone())["n"])
