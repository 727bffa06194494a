"""A grade view in the SQLite file that holds the events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from credit_svc.adapters.change_cache import ChangeCache
from credit_svc.adapters.dialect import Dialect
from credit_svc.adapters.locks import project_lock, write_lock
from credit_svc.adapters.sqlite_change_cache import SQLiteChangeCache
from credit_svc.projections.database import ViewDatabase


class SQLiteViewDatabase(ViewDatabase):
    """A view in a SQLite file, whose one write lock covers the events too."""

    # New records are graded before the projector takes the lock, so that
    # appends go on meanwhile (prepared_batch.py).
    prepares = True

    def __init__(self, datastore: SQLiteDatastore, prefix: str) -> None:
        super().__init__(
            datastore,
            SQLiteTrackingRecorder(datastore),
            Dialect(schema=None, prefix=prefix),
            "tracking",
        )

    @property
    def shareable(self) -> bool:
        """Tell whether other processes can open the file (not in memory)."""
        return not self.datastore.pool.is_sqlite_memory_mode

    def change_cache(self) -> ChangeCache | None:
        """Return a cache kept until anything is committed to the file."""
        if not self.shareable:  # nothing else can commit to it
            return None
        return SQLiteChangeCache(self.datastore.pool.db_name)

    def projecting(self) -> AbstractContextManager[None]:
        """Take this process's lock to project the file's events (before the
        lock to write it): projectors grade in turns while appends go on."""
        return project_lock(self.datastore.pool.db_name)

    @contextmanager
    def writing(self) -> Iterator[Any]:
        """Take this process's lock to write the file, then write."""
        with write_lock(self.datastore.pool.db_name), super().writing() as cursor:
            yield cursor

    @contextmanager
    def locked(self, tracking_name: str) -> Iterator[tuple[Any, int]]:
        """Take this process's lock to write the file, then the projector's lock."""
        with (
            write_lock(self.datastore.pool.db_name),
            super().locked(tracking_name) as held,
        ):
            yield held
