"""Whether a PostgreSQL view changed since this process last looked: heard, not asked.

Reading the view's version is a round trip to the server, and on a grade
answer already cached it was most of the request's cost. Instead, triggers on
the tracking table and the view's meta table NOTIFY a channel when a
transaction that moves the view's position or replaces its rows commits
(`notice_statements`), and each process LISTENs on a connection of its own.
A cached value is read again when a notice has arrived, and at the latest
RECHECK_SECONDS after it was read: the notice reaches the listener a moment
after the commit (well under a millisecond on one host), and the bound covers
that moment and anything unforeseen; a process's own commits are not left to
it (`drop`), so a client reads what it was just told was written. The same
connection may listen on more channels, each with values of its own
(`also_on`): the event log's, whose every append notifies it, keeps the API
keys a worker reads per request.

Where the listener cannot listen (a read replica, which takes no LISTEN; a
lost connection until it is opened again), every call reads, as if nothing
were cached.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import psycopg

from credit_svc.adapters.change_cache import ChangeCache

NOTICE_TRIGGER: Final = "credit_svc_view_changed"
RECHECK_SECONDS: Final = 1.0  # how old a cached value may be at most
RETRY_SECONDS: Final = 30.0  # how soon to try listening again after a failure
LOG = logging.getLogger(__name__)
_INHERITED: list[Any] = []  # connections of a parent process: never closed here


def channel_of(schema: str) -> str:
    """Return the channel a schema's view announces changes on (PostgreSQL
    names are at most 63 bytes, and channels are per database, not schema)."""
    return f"credit_svc_view_{schema}".encode()[:63].decode(errors="ignore")


def notice_statements(schema: str, tracking_table: str, meta_table: str) -> list[str]:
    """Return the statements that make commits to the view announce themselves."""
    function = f'"{schema}".{NOTICE_TRIGGER}'
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"PERFORM pg_notify('{channel_of(schema)}', ''); RETURN NULL; END $$",
        *(
            statement
            for table in (tracking_table, meta_table)
            for statement in (
                f"DROP TRIGGER IF EXISTS {NOTICE_TRIGGER} ON {table}",
                f"CREATE TRIGGER {NOTICE_TRIGGER} AFTER INSERT OR UPDATE "
                f"OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            )
        ),
    ]


@dataclass
class _Cached:
    """Values cached until a notice on one channel, or until `drop_at`."""

    values: dict[str, Any] = field(default_factory=dict)
    drop_at: float = 0.0


class PostgresChangeCache:
    """Keeps values while no notice of a change has arrived (for one process),
    on its channel and on any other it is asked to hear (`also_on`), over one
    listening connection."""

    def __init__(
        self,
        connect: Callable[[], psycopg.Connection[Any]],
        channel: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connect = connect
        self._channel = channel
        self._clock = clock
        self._lock = threading.Lock()
        self._listener: psycopg.Connection[Any] | None = None
        self._pid = 0
        self._retry_at = 0.0
        self._warned = False
        self._cached: dict[str, _Cached] = {channel: _Cached()}

    def cached(self, key: str, read: Callable[[], Any]) -> Any:
        """Return what `read` returned for the key if no change was announced
        since and it is recent enough; otherwise read it again."""
        return self.cached_on(self._channel, key, read)

    def also_on(self, channel: str) -> ChangeCache:
        """Return values cached until a notice on another channel (the event
        log's appends, say), heard on the same connection."""
        with self._lock:
            self._cached.setdefault(channel, _Cached())
            self._forget_listener()  # to listen again, on this channel too
        return _OnChannel(self, channel)

    def cached_on(self, channel: str, key: str, read: Callable[[], Any]) -> Any:
        """Return what `read` returned for the key if no change was announced
        on the channel since and it is recent enough; otherwise read again."""
        with self._lock:
            now = self._clock()
            if not self._listening(now):
                return read()
            # Heard before reading: a notice arriving after the read stays
            # pending, and the value is read again on the next call.
            self._take_notices(now)
            cached = self._cached[channel]
            if now >= cached.drop_at:
                cached.values, cached.drop_at = {}, now + RECHECK_SECONDS
            if key not in cached.values:
                cached.values[key] = read()
            return cached.values[key]

    def drop(self) -> None:
        """Forget every cached value: a commit of this process's own is seen
        at once, not when its notice arrives a moment later."""
        with self._lock:
            self._drop_all(self._clock())

    def close(self) -> None:
        """Stop listening."""
        with self._lock:
            self._forget_listener()

    def _listening(self, now: float) -> bool:
        if self._listener is not None and self._pid == os.getpid():
            return True
        self._forget_listener()
        if now < self._retry_at:
            return False
        try:
            listener = self._connect()
            for channel in self._cached:
                listener.execute(f'LISTEN "{channel}"')
        except psycopg.Error as error:
            self._retry_at = now + RETRY_SECONDS
            if not self._warned:  # once, not every retry (a replica never listens)
                LOG.warning("grade answers are read afresh: not listening (%s)", error)
                self._warned = True
            return False
        # Whatever was cached may have changed while nobody listened.
        self._listener, self._pid = listener, os.getpid()
        self._drop_all(now)
        self._warned = False
        return True

    def _take_notices(self, now: float) -> None:
        """Take every notice that has arrived, without waiting for any, and
        drop what was cached on the channels they came on."""
        assert self._listener is not None
        try:
            # Nothing to read on the socket, no notice (the drain below leaves
            # none behind in the client's buffer): one poll instead of
            # psycopg's generator.
            if not _readable(self._listener):
                return
            for notice in self._listener.notifies(timeout=0):
                if notice.channel in self._cached:
                    self._cached[notice.channel] = _Cached(
                        drop_at=now + RECHECK_SECONDS
                    )
        except psycopg.Error:
            self._forget_listener()  # lost: read again, listen again later
            self._drop_all(now)

    def _drop_all(self, now: float) -> None:
        self._cached = {
            channel: _Cached(drop_at=now + RECHECK_SECONDS) for channel in self._cached
        }

    def _forget_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is None:
            return
        if self._pid == os.getpid():
            listener.close()
        else:  # closing it here would end the parent's session on the server
            _INHERITED.append(listener)


@dataclass(frozen=True)
class _OnChannel:
    """What a PostgresChangeCache keeps until a notice on one more of its channels."""

    notices: PostgresChangeCache
    channel: str

    def cached(self, key: str, read: Callable[[], Any]) -> Any:
        """Return the value cached for the key, or what `read` returns now."""
        return self.notices.cached_on(self.channel, key, read)

    def drop(self) -> None:
        """Forget every cached value (on every channel)."""
        self.notices.drop()

    def close(self) -> None:
        """Stop listening (for every channel: the connection is shared)."""
        self.notices.close()


def _readable(connection: psycopg.Connection[Any]) -> bool:
    """Tell whether the server sent anything not yet read, without waiting."""
    ready, _, _ = select.select([connection.fileno()], [], [], 0)
    return bool(ready)
