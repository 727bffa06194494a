"""The grade view in a PostgreSQL schema: the one that holds the events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import psycopg
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresTrackingRecorder,
)
from psycopg.pq import TransactionStatus
from psycopg.sql import SQL

from credit_svc.idempotency import IdempotencySQL
from credit_svc.projections.dialect import Dialect
from credit_svc.projections.feed import FeedSQL
from credit_svc.projections.manager_view import ManagerSQL
from credit_svc.projections.postgres_notices import (
    NOTICE_TRIGGER,
    ChangeNotices,
    channel_of,
    notice_statements,
)
from credit_svc.projections.view_schema import META
from credit_svc.projections.views import LIVE_PREFIX


class PostgresGradeView(IdempotencySQL, ManagerSQL, FeedSQL, PostgresTrackingRecorder):
    """The grade view in the PostgreSQL schema that holds the events."""

    # The projector's lock is an advisory one that appends never wait for.
    prepares = False

    def __init__(self, datastore: PostgresDatastore, prefix: str = LIVE_PREFIX) -> None:
        self.dialect = Dialect(schema=datastore.schema, prefix=prefix)
        self.keeps_feed = prefix == LIVE_PREFIX
        super().__init__(datastore)
        self.tracking_table = f'"{datastore.schema}".{self.tracking_table_name}'
        self.opened_with: dict[str, str] = {}  # set by open_view
        self.shareable = True  # other processes can open it
        self.sql_create_statements.extend(
            SQL(s).format() for s in self.create_statements()
        )
        # Only the live view announces its changes and keeps its version.
        if self.keeps_feed:
            notices = self._notice_statements()
            self.sql_create_statements.extend(SQL(s).format() for s in notices)
            channel = channel_of(datastore.schema)
            self.versions_kept = ChangeNotices(self._listener, channel)

    def hear_appends(self, recorder: ApplicationRecorder) -> None:
        """Keep `anything_kept` (API keys) until the recorder appends: it
        notifies its channel in every append's transaction, heard on the
        listener the view's own notices come on. Without it a key was read
        on every request, a third of a kept grade answer's CPU."""
        notices = self.versions_kept
        if isinstance(notices, ChangeNotices) and isinstance(
            recorder, PostgresApplicationRecorder
        ):
            self.anything_kept = notices.also_on(recorder.channel_name)

    def _notice_statements(self) -> list[str]:
        meta = self.dialect.table(META)
        return notice_statements(self.datastore.schema, self.tracking_table, meta)

    def _listener(self) -> psycopg.Connection[Any]:
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

    def projecting(self) -> AbstractContextManager[None]:
        """Nothing to take: projectors queue on their advisory lock alone."""
        return nullcontext()

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
        commit between a grade's segment and its records would be half seen.
        BEGIN and COMMIT cost two round trips more than `_read_cursor`."""
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
