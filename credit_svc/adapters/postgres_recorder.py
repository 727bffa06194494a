"""PostgreSQL's event recorder that keeps the hash chain (see recorders.py).

The links are computed in the server with chain.link's formula, so that no
round trip is added while the events table is locked.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed, Identifier

from credit_svc.adapters.chain import GENESIS
from credit_svc.adapters.idempotency_store import WRITING_UNDER, ClaimedKey
from credit_svc.adapters.postgres_append import AppendFunction
from credit_svc.adapters.recorders import CHAIN_COLUMNS, chain_table_name

log = logging.getLogger(__name__)


def log_channel(schema: str, events_table_name: str) -> str:
    """Return the channel every append notifies: the library names it after
    the table alone, but channels are per database, so two services in two
    schemas of one database would drop each other's cached keys."""
    return f"{schema}_{events_table_name}".encode()[:63].decode(errors="ignore")


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL event recorder that keeps the hash chain."""

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.channel_name = log_channel(datastore.schema, events_table_name)
        self.chain_table = SQL("{}.{}").format(
            Identifier(datastore.schema),
            Identifier(chain_table_name(events_table_name)),
        )
        self.sql_create_statements.append(
            SQL("CREATE TABLE IF NOT EXISTS {} " + CHAIN_COLUMNS).format(
                self.chain_table
            )
        )
        self.append_function = AppendFunction(
            schema=datastore.schema,
            events_table=events_table_name,
            chain_table=chain_table_name(events_table_name),
            event_type=self.stored_event_type_name,
            channel=self.channel_name,
            lock_timeout=datastore.lock_timeout,
        )
        self.sql_create_statements.append(self.append_function.create)
        self._append_function_found: bool | None = None  # asked on the first append

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Append events and their links in one call of the server's function
        (postgres_append.py); on a database initialised before it existed, in
        the library's pipeline until `credit-svc init` has made it."""
        positions: Sequence[int] | None  # (the library's retry is untyped)
        claimed = WRITING_UNDER.get()
        if not self._has_append_function():
            if claimed is not None:  # its positions could not be noted with it
                msg = "writes under an idempotency key need `credit-svc init`"
                raise OperationalError(msg)
            positions = super().insert_events(stored_events, **kwargs)
        else:
            positions = self._append(stored_events, claimed) if stored_events else []
        return positions

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _append(
        self, stored_events: Sequence[StoredEvent], claimed: ClaimedKey | None
    ) -> Sequence[int]:
        events = [
            self.construct_pg_stored_event(
                e.originator_id, e.originator_version, e.topic, e.state
            )
            for e in stored_events
        ]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            if claimed is None:
                curs.execute(self.append_function.call, (events,), prepare=True)
            else:  # one statement: the claim row notes the positions atomically
                noted = (events, claimed.key_id, claimed.key)
                curs.execute(self.noted_call(claimed.table), noted)
            return [int(row["position"]) for row in curs.fetchall()]

    def noted_call(self, claim_table: str) -> Composed:
        """Return the append that also notes the positions in a claim row
        (idempotency_store.py): parameters events, key_id, key."""
        return SQL(
            "WITH appended AS ({call}), noted AS ("
            "UPDATE {table} SET positions = trim(coalesce(positions, '') || ' ' || "
            "(SELECT string_agg(position::text, ' ') FROM appended)) "
            "WHERE key_id = %s AND idempotency_key = %s) "
            "SELECT position FROM appended ORDER BY position"
        ).format(call=self.append_function.call, table=SQL(claim_table))

    # Retried as the library retries its appends: this is a process's first
    # statement on the events, and may meet connections the server dropped.
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _has_append_function(self) -> bool:
        if self._append_function_found is None:
            with self.datastore.transaction(commit=False) as curs:
                curs.execute(self.append_function.exists)
                row = curs.fetchone()
            self._append_function_found = bool(row and row["found"])
            if not self._append_function_found:
                log.warning(
                    "events are appended the slower way: the database has no "
                    "append function yet; an operator must run `credit-svc init`"
                )
        return self._append_function_found

    def _insert_stored_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """Queue each event's link right behind the events' insert, in the same
        pipeline: the write costs no round trip more than the library's own."""
        super()._insert_stored_events(curs, stored_events, **kwargs)
        with curs.connection.cursor() as links_cursor:
            links_cursor.executemany(
                self.link_statement,
                [
                    (
                        GENESIS,
                        f"|{e.originator_id}|{e.originator_version}|{e.topic}|",
                        e.originator_id,
                        e.originator_version,
                    )
                    for e in stored_events
                ],
            )

    @cached_property
    def link_statement(self) -> Composed:
        """The next link, computed by the server as chain.link() computes it:
        SHA-256 of the last link, the header (position|originator_id|version|
        topic|) and the stored state. The events table is locked, so the last
        link is the previous event's."""
        return SQL(
            "INSERT INTO {chain} (position, hash) "
            "SELECT e.notification_id, encode(sha256("
            "COALESCE((SELECT decode(c.hash, 'hex') FROM {chain} c"
            " ORDER BY c.position DESC LIMIT 1), %s)"
            " || convert_to(e.notification_id::text || %s, 'UTF8') || e.state"
            "), 'hex') "
            "FROM {events} e WHERE e.originator_id = %s AND e.originator_version = %s"
        ).format(
            chain=self.chain_table,
            events=SQL("{}.{}").format(
                Identifier(self.datastore.schema), Identifier(self.events_table_name)
            ),
        )
