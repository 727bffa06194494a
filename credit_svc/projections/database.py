"""One grade view's database: its connections, SQL dialect and log position.

The stores of the view (grade_store.py, record_store.py, feed.py,
manager_store.py, maintenance.py) each hold this and write and read their own
tables through it; the projector takes its lock. Writes take the projector's
cursor, so rows and the tracking position commit together; reads open their
own short transaction, or share one snapshot (`reading_together`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from eventsourcing.persistence import Tracking

from credit_svc.adapters.change_cache import ChangeCache
from credit_svc.adapters.dialect import Dialect
from credit_svc.projections.view_schema import WHOLE_VIEW


def chunks(codes: list[str], size: int = 1000) -> list[tuple[str, ...]]:
    """Split codes into groups small enough for one IN list."""
    return [tuple(codes[i : i + size]) for i in range(0, len(codes), size)]


def marks(values: Sequence[Any]) -> str:
    """Return `(?, ?, ...)`, one placeholder per value."""
    return f"({', '.join('?' for _ in values)})"


class _OpenSnapshots(threading.local):
    """The cursor of each database's open `reading_together` in this thread."""

    def __init__(self) -> None:
        self.by_database: dict[int, Any] = {}  # by the database's id()


_OPEN = _OpenSnapshots()


class ViewDatabase:
    """A view's tables in one database (SQLite or PostgreSQL: see the subclasses)."""

    # Whether projectors grade new records before they take the write lock
    # (prepared_batch.py): only where one lock covers the whole file.
    prepares = False

    def __init__(
        self,
        datastore: Any,
        tracking: Any,
        dialect: Dialect,
        tracking_table: str,
    ) -> None:
        self.datastore = datastore
        # The library's tracking recorder of this database: the view's position.
        self.tracking = tracking
        self.dialect = dialect
        self.tracking_table = tracking_table

    @property
    def shareable(self) -> bool:
        """Tell whether other processes can open this database (SQLite
        overrides this: an in-memory one is private to its connection)."""
        return True

    def change_cache(self) -> ChangeCache | None:
        """Return a cache of values kept until this database says something
        changed, or None where none can tell (each backend overrides this)."""
        return None

    def q(self, statement: str) -> str:
        """Return the statement for this database with table names filled in."""
        return self.dialect.sql(statement, WHOLE_VIEW)

    def create_tables(self, statements: Sequence[str]) -> None:
        """Create the tracking table and then the view's tables."""
        self.tracking.create_table()
        with self.datastore.transaction(commit=True) as cursor:
            for statement in statements:
                cursor.execute(statement)

    # Writes, inside the projector's transaction.
    @contextmanager
    def locked(self, tracking_name: str) -> Iterator[tuple[Any, int]]:
        """Open a write transaction that other projectors of this view wait for."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self.dialect.lock_statement())
            yield cursor, self.position_in(cursor, tracking_name)

    def projecting(self) -> AbstractContextManager[None]:
        """Return the lock to project this view (SQLite overrides this)."""
        return nullcontext()

    @contextmanager
    def writing(self) -> Iterator[Any]:
        """Open a write transaction outside the projector's (SQLite takes the
        file's write lock first, as every writer of the file does)."""
        with self.datastore.transaction(commit=True) as cursor:
            yield cursor

    def position_in(self, cursor: Any, tracking_name: str) -> int:
        """Return how far the view has processed the event log (0 before any)."""
        found = self.tracking._max_tracking_id(tracking_name, cursor)
        return int(found or 0)

    def set_position(self, cursor: Any, tracking_name: str, position: int) -> None:
        """Record how far the view has processed the event log (only forward)."""
        self.tracking._insert_tracking(cursor, Tracking(tracking_name, position))

    # Reads.
    def position(self, tracking_name: str) -> int:
        """Return how far the view has processed the event log."""
        with self.reading() as cursor:
            return self.position_in(cursor, tracking_name)

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """Return a cursor for reads: the snapshot `reading_together` holds
        open in this thread, if any, else one of the backend's (`_read_cursor`)."""
        shared = _OPEN.by_database.get(id(self))
        if shared is not None:
            yield shared
            return
        with self._read_cursor() as cursor:
            yield cursor

    @contextmanager
    def reading_together(self) -> Iterator[Any]:
        """Return a cursor whose statements all see the view as of one moment,
        for an answer read with several (a grade and the records it rests on):
        none of them may see a projector's commit that an earlier one did not.
        Every read of the view inside the block, by any store, shares it."""
        if id(self) in _OPEN.by_database:
            with self.reading() as cursor:
                yield cursor
            return
        with self._snapshot_cursor() as cursor:
            _OPEN.by_database[id(self)] = cursor
            try:
                yield cursor
            finally:
                del _OPEN.by_database[id(self)]

    @contextmanager
    def _read_cursor(self) -> Iterator[Any]:
        """Return a read transaction (PostgreSQL overrides this)."""
        with self.datastore.transaction(commit=False) as cursor:
            yield cursor

    def _snapshot_cursor(self) -> AbstractContextManager[Any]:
        """Return a cursor with one snapshot: here any read transaction
        (PostgreSQL overrides this)."""
        return self._read_cursor()

    def all(self, statement: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        """Return the rows of one read statement."""
        with self.reading() as cursor:
            return self.all_in(cursor, statement, params)

    def all_in(
        self, cursor: Any, statement: str, params: tuple[Any, ...]
    ) -> list[dict[str, Any]]:
        """Return the rows of one statement on the cursor."""
        cursor.execute(self.q(statement), params)
        return [dict(row) for row in cursor.fetchall()]

    def rows_of(  # noqa: PLR0913 (a select and what fills it in)
        self,
        cursor: Any,
        select: str,
        credit_codes: Sequence[str],
        order: str,
        *,
        params: tuple[Any, ...] = (),
        key: str = "credit_code",
        where: str = "",
    ) -> dict[str, list[dict[str, Any]]]:
        """Run `select WHERE [where AND] credit_code IN (...)`; group rows by
        credit code, one statement per thousand enterprises.

        `params` fill the placeholders of the select and then of `where`;
        `key` names the code's column when the select joins.
        """
        grouped: dict[str, list[dict[str, Any]]] = {}
        also = f"{where} AND " if where else ""
        for codes in chunks(list(credit_codes)):
            ordered = f" ORDER BY {key}, {order}" if order else ""
            cursor.execute(
                self.q(f"{select} WHERE {also}{key} IN {marks(codes)}{ordered}"),
                (*params, *codes),
            )
            for row in (dict(r) for r in cursor.fetchall()):
                grouped.setdefault(row["credit_code"], []).append(row)
        return grouped

    def close(self) -> None:
        """Close the database's connections."""
        self.datastore.close()
