"""A PostgreSQL function that appends events and their chain links in one call.

The library's append is six statements in a pipeline (lock, notify, insert,
the links, commit); the same work as one prepared call of a function in the
server costs the client less CPU (see docs/performance.md), and a write's
CPU is what ingestion is short of. The
function does what the pipeline did: it locks the events table (so reading
the last link and appending the next cannot interleave with another
writer), notifies the library's channel, inserts the events, and links each
one as chain.link() does; an auditor's verify recomputes every link in
Python either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from psycopg.sql import SQL, Composed, Identifier, Literal

from credit_svc.adapters.chain import GENESIS


@dataclass(frozen=True)
class AppendFunction:
    """The function's name and statements, for one schema's events table."""

    schema: str
    events_table: str
    chain_table: str
    event_type: str  # the library's composite type of a stored event
    channel: str  # the library's NOTIFY channel
    lock_timeout: int  # seconds, as the library's datastore has it

    @property
    def name(self) -> str:
        """Return the function's name (in the events' schema)."""
        return f"{self.events_table}_append_chained"

    @cached_property
    def call(self) -> Composed:
        """Return the statement that appends the events it is given as an array
        (made once: every append runs it)."""
        return SQL("SELECT position FROM {}.{}(%s) AS position").format(
            Identifier(self.schema), Identifier(self.name)
        )

    @property
    def exists(self) -> Composed:
        """Return the statement that tells whether the function was created."""
        schema = f'"{self.schema}"'
        signature = f'{schema}."{self.name}"({schema}."{self.event_type}"[])'
        return SQL("SELECT to_regprocedure({}) IS NOT NULL AS found").format(
            Literal(signature)
        )

    @property
    def create(self) -> Composed:
        """Return the statement that creates (or replaces) the function."""
        return SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{name}(events {schema}.{type}[]) "
            "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ "
            "DECLARE positions bigint[]; previous bytea; e record; "
            "BEGIN "
            "SET LOCAL lock_timeout = {timeout}; "
            "LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE; "
            "NOTIFY {channel}; "
            "WITH inserted AS ("
            " INSERT INTO {schema}.{events}"
            " (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, topic, state"
            " FROM unnest(events) RETURNING notification_id) "
            "SELECT array_agg(notification_id) INTO positions FROM inserted; "
            "SELECT decode(c.hash, 'hex') INTO previous FROM {schema}.{chain} c"
            " ORDER BY c.position DESC LIMIT 1; "
            "previous := COALESCE(previous, decode({genesis}, 'hex')); "
            "FOR e IN SELECT * FROM {schema}.{events}"
            " WHERE notification_id = ANY(positions) ORDER BY notification_id LOOP "
            "previous := sha256(previous || convert_to(e.notification_id::text"
            " || '|' || e.originator_id::text || '|' || e.originator_version::text"
            " || '|' || e.topic || '|', 'UTF8') || e.state); "
            "INSERT INTO {schema}.{chain} (position, hash)"
            " VALUES (e.notification_id, encode(previous, 'hex')); "
            "RETURN NEXT e.notification_id; "
            "END LOOP; "
            "END; $BODY$"
        ).format(
            schema=Identifier(self.schema),
            name=Identifier(self.name),
            type=Identifier(self.event_type),
            timeout=Literal(f"{self.lock_timeout}s"),
            events=Identifier(self.events_table),
            channel=Identifier(self.channel),
            chain=Identifier(self.chain_table),
            genesis=Literal(GENESIS.hex()),
        )
