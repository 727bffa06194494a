"""The grade view: a few stores over one database, and how to open one.

Each backend's database lives in a module of its own, imported when a view of
that kind is opened: a SQLite deployment never loads the PostgreSQL driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from eventsourcing.persistence import InfrastructureFactory

from credit_svc.adapters.change_cache import ChangeCache
from credit_svc.adapters.dialect import Dialect
from credit_svc.projections.database import ViewDatabase
from credit_svc.projections.feed import CREATE_FEED, FEED_TABLES, FeedStore
from credit_svc.projections.grade_store import GradeStore
from credit_svc.projections.maintenance import ViewMaintenance
from credit_svc.projections.manager_store import CREATE_MANAGER_TABLES, ManagerStore
from credit_svc.projections.outbox import CREATE_OUTBOX, OUTBOX_TABLES, Outbox
from credit_svc.projections.record_store import CREATE_CHANGES, RecordStore
from credit_svc.projections.view_schema import (
    CREATE_STATEMENTS,
    LIVE_PREFIX,
    WHOLE_VIEW,
)

# Beyond this many events since a cached answer's version, every cached
# answer is dropped rather than each enterprise looked up (a worker idle long).
CHANGES_LOOKED_AT_MOST: Final = 5_000


def create_statements(dialect: Dialect) -> list[str]:
    """Return the DDL of every table and index of a view."""
    return [
        *(dialect.sql(s, WHOLE_VIEW) for s in CREATE_STATEMENTS),
        dialect.sql(CREATE_FEED, FEED_TABLES),
        # Only the live view keeps an outbox (a shadow's feed stays empty too).
        *(
            dialect.sql(s, OUTBOX_TABLES)
            for s in CREATE_OUTBOX
            if dialect.prefix == LIVE_PREFIX
        ),
        *(dialect.sql(s, WHOLE_VIEW) for s in CREATE_CHANGES),
        *(dialect.sql(s, WHOLE_VIEW) for s in CREATE_MANAGER_TABLES),
    ]


class GradeView:
    """The read model: grades, records, the feed and managers, in one database."""

    def __init__(self, db: ViewDatabase, opened_with: Mapping[str, str]) -> None:
        self.db = db
        self.records = RecordStore(db)
        self.grades = GradeStore(db, self.records)
        self.outbox = Outbox(db)
        self.feed = FeedStore(db, self.outbox)
        self.managers = ManagerStore(db, self.records)
        self.maintenance = ViewMaintenance(db, create_statements(db.dialect))
        # Only the live view publishes a feed; shadows and scratch views do not.
        self.keeps_feed = db.dialect.prefix == LIVE_PREFIX
        self.opened_with = dict(opened_with)  # for worker processes to open it
        self.shareable = db.shareable  # other processes can open it
        # The view's version, cached until the database says it changed.
        self.version_cache: ChangeCache | None = None
        self._last_changed: tuple[tuple[str, int, int], frozenset[str]] | None = None

    def version(self, tracking_name: str) -> tuple[int, str]:
        """Return the view's position and generation (see `version_in`),
        cached until the database tells that something changed, where it can."""
        if self.version_cache is None:
            return self._read_version(tracking_name)
        version: tuple[int, str] = self.version_cache.cached(
            tracking_name, lambda: self._read_version(tracking_name)
        )
        return version

    def written(self) -> None:
        """Forget the cached version: this process has just written, and its
        next read must see that write, before any notice of it arrives."""
        if self.version_cache is not None:
            self.version_cache.drop()

    def _read_version(self, tracking_name: str) -> tuple[int, str]:
        with self.db.reading() as cursor:
            return self.maintenance.version_in(cursor, tracking_name)

    def codes_changed(
        self, tracking_name: str, after: int, upto: int
    ) -> frozenset[str] | None:
        """Return the enterprises that the events after position `after` up to
        `upto` changed in the view (each event changes its own enterprise's
        rows only), or None when this cannot tell: more than
        CHANGES_LOOKED_AT_MOST events, or this reader not yet at `upto`.

        The last answer is remembered: a worker's single-grade and batch
        caches move to each new version in turn, and ask the same.
        """
        asked = (tracking_name, after, upto)
        if self._last_changed is not None and self._last_changed[0] == asked:
            return self._last_changed[1]
        if upto - after > CHANGES_LOOKED_AT_MOST:
            return None
        with self.db.reading_together() as cursor:
            if self.db.position_in(cursor, tracking_name) < upto:
                return None
            rows = self.db.all_in(
                cursor,
                "SELECT DISTINCT credit_code FROM {event} "
                "WHERE position > ? AND position <= ?",
                (after, upto),
            )
        changed = frozenset(str(row["credit_code"]) for row in rows)
        self._last_changed = (asked, changed)
        return changed

    def close(self) -> None:
        """Close the view's connections."""
        if self.version_cache is not None:
            self.version_cache.close()
        self.db.close()


def open_view(env: Mapping[str, str], prefix: str = LIVE_PREFIX) -> GradeView:
    """Open the grade view in the database the environment names."""
    factory: Any = InfrastructureFactory.construct(dict(env))
    view = GradeView(_database(factory.datastore, env, prefix), env)
    if env.get("CREATE_TABLE") == "y":
        view.maintenance.create_tables()
    if view.keeps_feed:  # only the live view's version is asked per request
        view.version_cache = view.db.change_cache()
    return view


def _database(datastore: Any, env: Mapping[str, str], prefix: str) -> ViewDatabase:
    if env["PERSISTENCE_MODULE"].endswith("postgres"):
        from credit_svc.projections.postgres_database import PostgresViewDatabase

        return PostgresViewDatabase(datastore, prefix)
    from credit_svc.projections.sqlite_database import SQLiteViewDatabase

    return SQLiteViewDatabase(datastore, prefix)
