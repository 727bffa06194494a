"""The grade view in a SQLite file: the one that holds the events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from credit_svc.idempotency import IdempotencySQL
from credit_svc.projections.dialect import Dialect
from credit_svc.projections.feed import FeedSQL
from credit_svc.projections.manager_view import ManagerSQL
from credit_svc.projections.sqlite_probe import ChangeProbe
from credit_svc.projections.views import LIVE_PREFIX
from credit_svc.write_turn import project_turn, write_turn


class SQLiteGradeView(IdempotencySQL, ManagerSQL, FeedSQL, SQLiteTrackingRecorder):
    """The grade view in the SQLite file that holds the events."""

    # One write lock covers the file, events included: new records are graded
    # before the projector takes it (prepared_batch.py).
    prepares = True

    def __init__(self, datastore: SQLiteDatastore, prefix: str = LIVE_PREFIX) -> None:
        self.dialect = Dialect(schema=None, prefix=prefix)
        self.keeps_feed = prefix == LIVE_PREFIX
        self.tracking_table = "tracking"
        super().__init__(datastore)
        # An in-memory database is private to each connection: nothing to probe.
        in_memory = datastore.pool.is_sqlite_memory_mode
        if not in_memory:
            self.versions_kept = ChangeProbe(datastore.pool.db_name)
            self.anything_kept = self.versions_kept
        self.opened_with: dict[str, str] = {}  # set by open_view
        self.shareable = not in_memory  # other processes can open it

    def construct_create_table_statements(self) -> list[str]:
        """Add the view's tables to the tracking table."""
        return [*super().construct_create_table_statements(), *self.create_statements()]

    def projecting(self) -> AbstractContextManager[None]:
        """Take this process's turn to project the file's events (before the
        turn to write it): projectors grade in turns while appends go on."""
        return project_turn(self.datastore.pool.db_name)

    @contextmanager
    def locked(self, tracking_name: str) -> Iterator[tuple[Any, int]]:
        """Take this process's turn to write the file, then the projector's lock."""
        with (
            write_turn(self.datastore.pool.db_name),
            super().locked(tracking_name) as held,
        ):
            yield held
