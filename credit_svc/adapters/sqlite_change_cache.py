"""Whether a SQLite file changed since a thread last looked: one PRAGMA.

`PRAGMA data_version` answers a new number after any other connection, in this
process or another, committed to the file, and reads no table. A grade read
asks it first and reads the view's version only when something was committed
since, which on a file that is mostly read is seldom.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from typing import Any


class _Seen(threading.local):
    """One thread's probe connection and what it kept at which data version."""

    pid = 0
    connection: sqlite3.Connection | None = None
    data_version: int | None = None

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}


class SQLiteChangeCache:
    """Keeps values per thread until anything is committed to the file."""

    def __init__(self, db_name: str) -> None:
        self.db_name = db_name
        self._seen = _Seen()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def cached(self, key: str, read: Callable[[], Any]) -> Any:
        """Return what `read` returned for the key in this thread if nothing
        was committed to the file since; otherwise read it again."""
        seen = self._seen
        data_version = self._data_version(seen)
        if data_version != seen.data_version:
            seen.values, seen.data_version = {}, data_version
        if key not in seen.values:
            # Read after the PRAGMA: a commit in between makes the value newer
            # than the number it is kept under, and so it is read again next.
            seen.values[key] = read()
        return seen.values[key]

    def drop(self) -> None:
        """Nothing to forget: the probe connection sees a commit of this
        process's own as soon as one of any other."""

    def close(self) -> None:
        """Close every thread's probe connection."""
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()

    def _data_version(self, seen: _Seen) -> int:
        if seen.connection is None or seen.pid != os.getpid():  # not across forks
            connection = sqlite3.connect(
                self.db_name, uri=True, isolation_level=None, check_same_thread=False
            )
            with self._lock:
                self._opened.append(connection)
            seen.connection, seen.pid = connection, os.getpid()
            seen.data_version, seen.values = None, {}
        row = seen.connection.execute("PRAGMA data_version").fetchone()
        return int(row[0])
