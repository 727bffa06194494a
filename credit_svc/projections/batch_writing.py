"""What the projector writes for a batch, besides grades: rows and feed items.

Shared by a batch graded under the write lock (GradeProjector.apply) and one
graded before it (prepared_batch.py, written by write_graded), so both write
the same rows.

Rows are written through a DeferringCursor: new rows are held back and sent
just before the next statement of any kind, so every read still sees every
row written before it, with COPY on PostgreSQL and `executemany` on SQLite,
in a few round trips a batch instead of a few per event.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from credit_svc.domain.lifecycle import LIFECYCLE_EVENTS
from credit_svc.domain.record import CreditRecord
from credit_svc.projections.event_rows import EventRows, put_event_rows
from credit_svc.projections.feed import grade_item, record_item
from credit_svc.projections.view import GradeView
from credit_svc.projections.view_schema import HistoryChange

# (log position, domain event, what it adds to the view)
PositionedEvent = tuple[int, Any, EventRows]
# Each of these is an item of its own in the feed.
FEED_EVENTS = (CreditRecord.Recorded, *LIFECYCLE_EVENTS)


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


def write_graded(
    view: GradeView,
    cursor: Any,
    events: Sequence[PositionedEvent],
    changes: dict[str, HistoryChange],
    timelines: dict[str, str],
) -> None:
    """Write a batch graded before the lock was taken: its rows, the grade
    histories it changed, and its feed items (with the `timelines_of` them)."""
    cursor = DeferringCursor(cursor)
    touched = put_rows(view, cursor, events)
    view.grades.replace_segment_tails(cursor, changes)
    put_feed(view, cursor, touched, changes, timelines)
    cursor.flush()


def put_rows(
    view: GradeView, cursor: Any, events: Sequence[PositionedEvent]
) -> list[tuple[int, Any, str]]:
    """Write the events' rows; return the events about an enterprise (all but
    managers' registrations), each with its position and credit code."""
    touched = []
    for position, event, rows in events:
        credit_code = put_event_rows(view, cursor, rows)
        if credit_code:
            touched.append((position, event, credit_code))
    return touched


def put_feed(
    view: GradeView,
    cursor: Any,
    touched: Sequence[tuple[int, Any, str]],
    changed: Collection[str],
    timelines: Mapping[str, str],
) -> None:
    """Add the feed's items: records and their changes, then the `changed`
    grades at the last event about each, with their `timelines` (shadows keep
    no feed: none to make)."""
    if not view.keeps_feed:
        return
    feed = [
        record_item(position, code, event)
        for position, event, code in touched
        if isinstance(event, FEED_EVENTS)
    ]
    last_touch = {code: position for position, _, code in touched}
    feed += [grade_item(last_touch[code], code) for code in changed]
    items = sorted(feed, key=lambda i: i["position"])
    view.feed.put_feed_items(cursor, items, timelines)
