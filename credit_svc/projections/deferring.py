"""A cursor that sends a batch's new rows together, in as few round trips as it can.

The projector writes a few rows per event. Sent one statement at a time, each
is a round trip to PostgreSQL: most of a rebuild's time went to waiting. New
rows are held back and sent just before the next statement of any kind, so
every read still sees every row written before it: with COPY on PostgreSQL
(ten times `executemany`), with `executemany` on SQLite (in-process, no round
trips to save).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class DeferringCursor:
    """Wraps a transaction's cursor; `defer` queues a new row until the next read."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.pending: dict[str, list[tuple[Any, ...]]] = {}

    def defer(self, table: str, row: tuple[Any, ...]) -> None:
        """Queue a row holding every column of the table, in the table's order.

        Rows of one table keep their order; tables may be written in another
        order than they were queued (the view has no foreign keys or triggers).
        A duplicate key fails the batch: the projector applies each event once.
        """
        self.pending.setdefault(table, []).append(row)

    def update_queued(
        self,
        table: str,
        matches: Callable[[tuple[Any, ...]], bool],
        update: Callable[[tuple[Any, ...]], tuple[Any, ...]],
    ) -> tuple[Any, ...] | None:
        """Change a row still queued for the table; return it, or None if none is.

        Saves a read and a write when an event changes a row an earlier event of
        the same batch added (an enterprise's projects, added as it registers).
        """
        rows = self.pending.get(table, [])
        # From the newest: the row is nearly always the last one queued (an
        # enterprise's projects are saved with it), and a rebuild queues
        # thousands of enterprises a batch.
        for index in range(len(rows) - 1, -1, -1):
            if matches(rows[index]):
                rows[index] = update(rows[index])
                return rows[index]
        return None

    def flush(self) -> None:
        """Send every queued row, one COPY or `executemany` per table."""
        for table, rows in self.pending.items():
            if hasattr(self.cursor, "copy"):  # psycopg
                with self.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in rows[0])
                self.cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        self.pending.clear()

    def execute(self, statement: Any, params: Any = ()) -> Any:
        """Send the queued rows, then the statement."""
        self.flush()
        return self.cursor.execute(statement, params)

    def executemany(self, statement: Any, rows: Any) -> Any:
        """Send the queued rows, then the statement for every row."""
        self.flush()
        return self.cursor.executemany(statement, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cursor, name)  # fetchone, fetchall...
