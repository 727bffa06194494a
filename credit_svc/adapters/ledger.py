"""Reads of the raw event log and its chain, page by page, for verify and export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from credit_svc.adapters.chain import Head, StoredEventRow
from credit_svc.adapters.recorders import chain_table_name

PAGE: Final = 1000


class Ledger:
    """The event log as stored, with its chain links, in position order."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self.datastore: Any = recorder.datastore  # type: ignore[attr-defined]
        events: str = recorder.events_table_name  # type: ignore[attr-defined]
        chain = chain_table_name(events)
        if isinstance(recorder, SQLiteApplicationRecorder):
            self.events_table, self.chain_table = events, chain
            self.position_column, self.param = "rowid", "?"
        else:  # PostgreSQL's, not imported here: SQLite never loads its driver
            schema = self.datastore.schema
            self.events_table = f'"{schema}"."{events}"'
            self.chain_table = f'"{schema}"."{chain}"'
            self.position_column, self.param = "notification_id", "%s"

    def _page(self, statement: str, after: int, upto: int | None) -> list[Any]:
        bound = upto if upto is not None else 2**62
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement.replace("?", self.param), (after, bound, PAGE))
            return list(cursor.fetchall())

    def events(
        self, after: int = 0, upto: int | None = None
    ) -> Iterator[StoredEventRow]:
        """Yield stored events after a position (up to `upto`), oldest first."""
        pos = self.position_column
        statement = (
            f"SELECT {pos} AS position, originator_id, originator_version, topic, "
            f"state FROM {self.events_table} WHERE {pos} > ? AND {pos} <= ? "
            f"ORDER BY {pos} LIMIT ?"
        )
        while rows := self._page(statement, after, upto):
            for row in rows:
                yield _event(row)
            after = rows[-1]["position"]

    def links(
        self, after: int = 0, upto: int | None = None
    ) -> Iterator[tuple[int, str]]:
        """Yield (position, link) pairs of the chain, oldest first."""
        statement = (
            f"SELECT position, hash FROM {self.chain_table} "
            "WHERE position > ? AND position <= ? ORDER BY position LIMIT ?"
        )
        while rows := self._page(statement, after, upto):
            for row in rows:
                yield row["position"], row["hash"]
            after = rows[-1]["position"]

    def head(self) -> Head | None:
        """Return the chain's last link, or None while the log is empty."""
        statement = (
            f"SELECT position, hash FROM {self.chain_table} "
            "ORDER BY position DESC LIMIT 1"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement)
            row = cursor.fetchone()
        return Head(row["position"], row["hash"]) if row else None

    @property
    def contiguous(self) -> bool:
        """Tell whether the store numbers events without gaps: SQLite's rowid
        does; PostgreSQL's sequence skips the numbers of rolled-back appends."""
        return self.position_column == "rowid"

    def heads_at(self, positions: list[int]) -> list[Head]:
        """Return the chain's links at the positions (those it has), in order."""
        if not positions:
            return []
        marks = ", ".join([self.param] * len(positions))
        statement = (
            f"SELECT position, hash FROM {self.chain_table} "
            f"WHERE position IN ({marks}) ORDER BY position"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, tuple(positions))
            return [Head(row["position"], row["hash"]) for row in cursor.fetchall()]

    def link_at(self, position: int) -> str | None:
        """Return the chain link stored at a position, if any."""
        statement = f"SELECT hash FROM {self.chain_table} WHERE position = ?"
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement.replace("?", self.param), (position,))
            row = cursor.fetchone()
        return row["hash"] if row else None


def _event(row: Any) -> StoredEventRow:
    originator_id = row["originator_id"]
    if not isinstance(originator_id, UUID):  # SQLite stores the hex text
        originator_id = UUID(originator_id)
    return StoredEventRow(
        row["position"],
        originator_id,
        row["originator_version"],
        row["topic"],
        _as_bytes(row["state"]),
    )


def _as_bytes(state: Any) -> bytes:
    # A hand edit in SQLite can leave text where a BLOB was; hash what is there.
    return state.encode() if isinstance(state, str) else bytes(state)
