"""Writers to one SQLite file queue on a file lock, never waiting for themselves."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from credit_svc.adapters.locks import project_lock, write_lock

pytestmark = pytest.mark.slow  # child processes: the full suite only

HOLDER = """
import sys, time
from credit_svc.adapters import locks
db, log = sys.argv[1], sys.argv[2]
lock = getattr(locks, sys.argv[3] if len(sys.argv) > 3 else "write_lock")
with lock(db):
    with open(log, "a") as f:  # before saying so: the test writes once told
        f.write("other process starts\\n")
    print("held", flush=True)
    time.sleep(0.5)
    with open(log, "a") as f:
        f.write("other process ends\\n")
"""


def test_a_writer_waits_while_another_process_has_the_lock(tmp_path: Path) -> None:
    db, log = tmp_path / "credit.sqlite3", tmp_path / "order.log"
    with (
        _another_process_holding("write_lock", db, log),
        write_lock(str(db)),
        log.open("a") as f,
    ):
        f.write("this process writes\n")

    assert log.read_text().splitlines() == [
        "other process starts",
        "other process ends",
        "this process writes",
    ]


def test_a_writer_never_waits_for_itself(tmp_path: Path) -> None:
    db = str(tmp_path / "credit.sqlite3")
    done = threading.Event()

    def nested() -> None:
        with write_lock(db), write_lock(db):  # e.g. an append inside a lock
            done.set()

    worker = threading.Thread(target=nested, daemon=True)
    worker.start()
    worker.join(timeout=5)

    assert done.is_set()


def test_the_lock_is_released_when_the_block_ends(tmp_path: Path) -> None:
    db = str(tmp_path / "credit.sqlite3")
    with write_lock(db):
        pass
    holder = subprocess.run(
        [sys.executable, "-c", HOLDER, db, str(tmp_path / "order.log")],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )

    assert holder.stdout.strip() == "held"


def test_projectors_queue_while_writers_go_on(tmp_path: Path) -> None:
    db, log = tmp_path / "credit.sqlite3", tmp_path / "order.log"
    with _another_process_holding("project_lock", db, log):
        with write_lock(str(db)), log.open("a") as f:
            f.write("this process writes\n")
        with project_lock(str(db)), log.open("a") as f:
            f.write("this process projects\n")

    assert log.read_text().splitlines() == [
        "other process starts",
        "this process writes",
        "other process ends",
        "this process projects",
    ]


@contextmanager
def _another_process_holding(turn: str, db: Path, log: Path) -> Iterator[None]:
    """Start a process that takes the lock (a function of credit_svc.adapters.locks)
    for half a second; run the block once it holds it; wait for it to end."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(log), turn],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        yield
        holder.wait(timeout=10)
