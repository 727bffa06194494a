"""A grade view in the PostgreSQL schema that holds the events."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.pq import TransactionStatus

from credit_svc.adapters.change_cache import ChangeCache
from credit_svc.adapters.dialect import Dialect
from credit_svc.adapters.postgres_listener import (
    NOTICE_TRIGGER,
    PostgresChangeCache,
    channel_of,
    notice_statements,
)
from credit_svc.projections.database import ViewDatabase
from credit_svc.projections.view_schema import LIVE_PREFIX, META


class PostgresViewDatabase(ViewDatabase):
    """A view in a PostgreSQL schema; projectors queue on an advisory lock."""

    def __init__(self, datastore: PostgresDatastore, prefix: str) -> None:
        tracking = PostgresTrackingRecorder(datastore)
        super().__init__(
            datastore,
            tracking,
            Dialect(schema=datastore.schema, prefix=prefix),
            f'"{datastore.schema}".{tracking.tracking_table_name}',
        )

    def create_tables(self, statements: Sequence[str]) -> None:
        """Create the tables, and in the live view the triggers that announce
        each commit to it (see postgres_listener.py)."""
        if self.dialect.prefix == LIVE_PREFIX:
            meta = self.dialect.table(META)
            schema, tracking = self.datastore.schema, self.tracking_table
            statements = [*statements, *notice_statements(schema, tracking, meta)]
        super().create_tables(statements)

    def change_cache(self) -> ChangeCache | None:
        """Return a cache kept until the view's triggers announce a commit."""
        channel = channel_of(str(self.dialect.schema))
        return PostgresChangeCache(self.listener_connection, channel)

    def listener_connection(self) -> psycopg.Connection[Any]:
        """Open a connection of its own, as the pool's are, to LISTEN on:
        refused while the triggers are missing (a view made before them),
        since no notice would ever come."""
        settings = dict(self.datastore.pool.kwargs)
        settings.pop("row_factory", None)
        listener = psycopg.connect(**settings, autocommit=True)
        found = listener.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = %s "
            "AND tgrelid IN (%s::regclass, %s::regclass)",
            (NOTICE_TRIGGER, self.tracking_table, self.dialect.table(META)),
        ).fetchone()
        if found is None or found[0] < 2:
            listener.close()
            msg = "the view's change triggers are missing: run `credit-svc init`"
            raise psycopg.OperationalError(msg)
        return listener

    @contextmanager
    def _read_cursor(self) -> Iterator[Any]:
        """Return a cursor outside a transaction: under READ COMMITTED each
        statement has a snapshot of its own inside one too, so BEGIN and
        ROLLBACK would only be two more round trips to the server."""
        with self.datastore.cursor() as cursor:
            yield cursor

    @contextmanager
    def _snapshot_cursor(self) -> Iterator[Any]:
        """Return a cursor in a read-only REPEATABLE READ transaction, whose
        statements share one snapshot: under READ COMMITTED a projector's
        commit between a grade's segment and its records would be half seen."""
        with self.datastore.get_connection() as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            try:
                with conn.transaction():
                    yield conn.cursor()
            finally:
                # The pool hands a connection on as it is: leave it as it came
                # (a broken one, no longer idle, is discarded by the pool).
                if conn.info.transaction_status == TransactionStatus.IDLE:
                    conn.isolation_level = None
                    conn.read_only = None
