"""Writers to one SQLite file queue on a file lock beside it (flock).

A SQLite writer that finds the file locked sleeps and retries (1, 2, 5 ... up
to 100 ms between tries), so under a few concurrent writers a 1-ms append can
wait a tenth of a second. A blocking flock on a file beside the database
wakes the next writer the moment the lock is released. The lock is taken
before the transaction begins and is re-entrant within a process, so a writer
never waits for itself; SQLite's own locking still guards every write.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext


class FileLock:
    """The lock to write one SQLite file, shared by every writer in a process."""

    def __init__(self, lock_path: str) -> None:
        self.lock_path = lock_path
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def taken(self) -> Iterator[None]:
        """Wait for the lock, hold it for the block, release it."""
        with self._threads:
            if self._depth == 0:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)  # released by the close below
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    os.close(self._fd)
                    self._fd = None


_LOCKS: dict[str, FileLock] = {}
_REGISTRY = threading.Lock()


def write_lock(db_path: str) -> AbstractContextManager[None]:
    """Return the lock to write the SQLite file (nothing to wait for in memory)."""
    return _file_lock(f"{db_path}.write-lock", db_path)


def project_lock(db_path: str) -> AbstractContextManager[None]:
    """Return the lock to project the SQLite file's events into its view.

    Taken before the write lock, never after it: projectors grade one at a time
    while appends go on (see projections/prepared_batch.py), and one that
    waited finds the events it came for projected by the one before it.
    """
    return _file_lock(f"{db_path}.project-lock", db_path)


def _file_lock(lock_path: str, db_path: str) -> AbstractContextManager[None]:
    if ":memory:" in db_path or "mode=memory" in db_path:
        return nullcontext()
    with _REGISTRY:
        lock = _LOCKS.setdefault(lock_path, FileLock(lock_path))
    return lock.taken()
