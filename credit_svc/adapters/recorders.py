"""Application recorders that append chain links in the events' own transaction.

Selected through the library's APPLICATION_RECORDER_TOPIC setting: SQLite's
here, PostgreSQL's in postgres_recorder.py (imported only where PostgreSQL is
used, as its driver is). Writers are
already serialised when the links are written (SQLite's write lock; the
EXCLUSIVE lock PostgreSQL's recorder takes on the events table), so reading
the last link and appending the next cannot interleave with another writer.
SQLite's links are computed here (chain.links); PostgreSQL computes them in the
server with the same formula, so that no round trip is added while the table
is locked: one call of a function that appends the events and their links
(postgres_append.py), or, on a database initialised before that function,
link statements in the library's own pipeline. A write under an idempotency
key notes its positions in the key's claim row in the same transaction. An
auditor's verify recomputes every link with chain.link either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from credit_svc.adapters.chain import GENESIS, StoredEventRow, links
from credit_svc.adapters.idempotency_store import WRITING_UNDER
from credit_svc.adapters.locks import write_lock

CHAIN_COLUMNS = "(position BIGINT PRIMARY KEY, hash TEXT NOT NULL)"


def chain_table_name(events_table_name: str) -> str:
    """Return the chain table's name beside the events table's."""
    return events_table_name.removesuffix("_events") + "_chain"


def append_links(
    cursor: Any,
    table: str,
    positions: Sequence[int],
    stored_events: Sequence[StoredEvent],
) -> None:
    """Extend the chain with one link per newly inserted event."""
    cursor.execute(f"SELECT hash FROM {table} ORDER BY position DESC LIMIT 1")
    last = cursor.fetchone()
    previous = bytes.fromhex(last["hash"]) if last else GENESIS
    rows = [
        StoredEventRow(
            p, UUID(str(e.originator_id)), e.originator_version, e.topic, e.state
        )
        for p, e in zip(positions, stored_events, strict=True)
    ]
    cursor.executemany(
        f"INSERT INTO {table} (position, hash) VALUES (?, ?)",
        [
            (r.position, h.hex())
            for r, h in zip(rows, links(previous, rows), strict=True)
        ],
    )


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """SQLite event recorder that keeps the hash chain."""

    def construct_create_table_statements(self) -> list[str]:
        """Add the chain table to the events table."""
        chain = chain_table_name(self.events_table_name)
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {chain} {CHAIN_COLUMNS}",
        ]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Append events and their links, holding this process's write lock."""
        with write_lock(self.datastore.pool.db_name):
            return super().insert_events(stored_events, **kwargs)

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        assert positions is not None
        table = chain_table_name(self.events_table_name)
        append_links(c, table, positions, stored_events)
        claimed = WRITING_UNDER.get()
        if claimed is not None:  # in this transaction: see idempotency_store.py
            noted = " ".join(map(str, positions))
            c.execute(claimed.note_statement("?"), (noted, claimed.key_id, claimed.key))
        return positions
