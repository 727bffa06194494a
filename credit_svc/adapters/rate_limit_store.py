"""A `limits` storage on a SQLite file of its own: counts every worker shares.

Flask-Limiter keeps its counts in a storage the `limits` library names by
URI. Production runs Redis (`redis://…`); the embedded default has no server,
so the counts live in a small SQLite file beside the data, never in the
event database (a public read must not become a write there). Counts are
not precious: the file is written without waiting for the disk, and a lost
count only lets a few more requests through.

Only what the fixed-window strategy uses is kept: a count per key and the
moment its window ends.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from limits.storage import Storage

SCHEME: Final = "credit-svc-sqlite"  # credit-svc-sqlite:///var/rate-limits.sqlite3
PURGE_EVERY: Final = 1000  # increments between removals of ended windows


class SQLiteFileStorage(Storage):
    """Rate-limit counts in a SQLite file, shared by the processes using it."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (the library registers it so)

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.removeprefix(f"{SCHEME}://")
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._lock_fd: int | None = None
        self._lock_pid = 0
        self._pid = 0
        self._increments = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        """The errors the limiter may wrap (or fall back to memory on)."""
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():  # not across forks
            connection = sqlite3.connect(
                self.path, timeout=5, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS hits (key TEXT PRIMARY KEY, "
                "count INTEGER NOT NULL, ends_at REAL NOT NULL)"
            )
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add to the key's count, starting a new window if the last ended.

        Writers queue on a lock file first: SQLite's own wait for a busy
        file sleeps a millisecond or more each try, a lock wakes at once.
        """
        now = time.time()
        with self._lock, self._file_lock():
            db = self._db()
            row = db.execute(
                "INSERT INTO hits VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                "count = CASE WHEN ends_at <= ? THEN excluded.count "
                "ELSE count + excluded.count END, "
                "ends_at = CASE WHEN ends_at <= ? THEN excluded.ends_at "
                "ELSE ends_at END RETURNING count",
                (key, amount, now + expiry, now, now),
            ).fetchone()
            self._increments += 1
            if self._increments % PURGE_EVERY == 0:
                db.execute("DELETE FROM hits WHERE ends_at <= ?", (now,))
        return int(row[0])

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        if self._lock_fd is None or self._lock_pid != os.getpid():  # not across forks
            fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            weakref.finalize(self, os.close, fd)  # closed with the storage
            self._lock_fd, self._lock_pid = fd, os.getpid()
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def get(self, key: str) -> int:
        """Return the key's count in its current window (0 if none)."""
        with self._lock:
            row = (
                self._db()
                .execute(
                    "SELECT count FROM hits WHERE key = ? AND ends_at > ?",
                    (key, time.time()),
                )
                .fetchone()
            )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """Return when the key's window ends (now if it has none)."""
        now = time.time()
        with self._lock:
            row = (
                self._db()
                .execute(
                    "SELECT ends_at FROM hits WHERE key = ? AND ends_at > ?", (key, now)
                )
                .fetchone()
            )
        return float(row[0]) if row else now

    def check(self) -> bool:
        """Tell whether the file can be read."""
        try:
            with self._lock:
                self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every count; return how many keys there were."""
        with self._lock:
            return self._db().execute("DELETE FROM hits").rowcount

    def clear(self, key: str) -> None:
        """Forget one key's count."""
        with self._lock:
            self._db().execute("DELETE FROM hits WHERE key = ?", (key,))
