"""Rebuild on every core: worker processes read events and grade enterprises.

A rebuild's two passes (see shadow_build.py) share their work out among
worker processes (grading_worker.py), one per core, while this process
writes what they return, in order:
- the rows pass: each worker reads a range of the event log on its own
  connection and returns the rows its events add to the view (EventRows),
  which need nothing but the events (decoding them was most of the pass);
- the grading pass: a grade history is a pure function of the enterprise's
  rows and the rule packs, so each worker reads chunks of enterprises' rows
  and returns their segment rows.

Workers are plain subprocesses talking pickle over their stdin and stdout, not
multiprocessing's: started by "spawn" those run the caller's main script again
(a script without `if __name__ == "__main__"` would start workers without
end), and forked ones would share this process's connections and threads.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import IO, Any, Protocol

from credit_svc.domain.rulepack import RulePack
from credit_svc.projections.batch_writing import DeferringCursor
from credit_svc.projections.database import chunks
from credit_svc.projections.event_rows import EventRows
from credit_svc.projections.event_source import EventSource
from credit_svc.projections.projector import GradeProjector
from credit_svc.projections.regrading import replace_changed
from credit_svc.projections.view import GradeView

CHUNK = 500  # enterprises graded per transaction
WORKER_CHUNK = 100  # enterprises a worker is asked for at a time
# A rebuild of fewer events grades in one process: starting workers would cost
# more than it saves (tests rebuild logs of a few dozen events).
PARALLEL_FROM_EVENTS = 20_000
AHEAD = 2  # chunks sent to each worker before its first answer is read
# Workers run this many nice levels below the rebuilding process. Three
# processes share two cores, and in the rows pass the one that writes what
# the workers read is the one the pass waits for, so it gets the CPU first.
# A rebuild beside the live service also leaves the service's own workers
# the cores they ask for.
WORKER_NICENESS = 10

ROWS, HISTORIES = "rows", "histories"  # what a worker is asked for

Histories = dict[str, list[tuple[Any, ...]]]


class ReopenedLog(EventSource, Protocol):
    """An event log a worker opened, to close when it ends."""

    def close(self) -> None:
        """Close its connections."""


# Opens the event log in a worker: picklable, e.g. partial(CreditService, env).
ReopenLog = Callable[[], ReopenedLog]


class GradingWorkerError(Exception):
    """A grading worker failed or ended; the rebuild's shadow is left unfinished."""


class GradingWorkers:
    """Worker processes that read events and compute grade histories, one per core."""

    def __init__(
        self,
        view: GradeView,
        packs: Sequence[RulePack],
        count: int,
        reopen_log: ReopenLog | None = None,
    ) -> None:
        command = [sys.executable, "-m", "credit_svc.projections.grading_worker"]
        self.processes = [
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            for _ in range(count)
        ]
        opened_with = (
            view.opened_with,
            view.db.dialect.prefix,
            tuple(packs),
            reopen_log,
        )
        for process in self.processes:
            _send(process.stdin, opened_with)

    def rows(self, ranges: Sequence[tuple[int, int]]) -> Iterator[list[EventRows]]:
        """Return the rows of the events in each range of positions, in order
        (only for workers given a way to open the event log); the first
        ranges are asked for at once."""
        return self._answers([(ROWS, positions) for positions in ranges])

    def histories(self, groups: Sequence[Sequence[str]]) -> Iterator[Histories]:
        """Return the histories of each group of enterprises, in order."""
        return self._answers([(HISTORIES, codes) for codes in groups])

    def _answers(self, requests: Sequence[tuple[str, Any]]) -> Iterator[Any]:
        """Send each worker its first AHEAD requests now; return the answers
        to come, in order (each worker has up to AHEAD requests to work on
        while the caller writes)."""
        count = len(self.processes)
        for index in range(min(len(requests), AHEAD * count)):
            _send(self.processes[index % count].stdin, requests[index])
        return self._in_order(requests)

    def _in_order(self, requests: Sequence[tuple[str, Any]]) -> Iterator[Any]:
        count = len(self.processes)
        for index in range(len(requests)):
            process = self.processes[index % count]
            yield _received(process.stdout)
            if index + AHEAD * count < len(requests):
                _send(process.stdin, requests[index + AHEAD * count])

    def close(self) -> None:
        """End the workers: each stops at the end of its input, or, if the
        rebuild stopped before reading all answers, as it writes one."""
        for process in self.processes:
            assert process.stdin is not None
            assert process.stdout is not None
            process.stdin.close()
            process.stdout.close()
        for process in self.processes:
            process.wait()


@contextmanager
def grading_workers(
    view: GradeView, packs: Sequence[RulePack], reopen_log: ReopenLog | None = None
) -> Iterator[GradingWorkers | None]:
    """Start a worker per core to grade the view (and to read the event log,
    given how to open it), if there is more than one core and the view is in
    a file or a server other processes can open."""
    count = os.cpu_count() or 1
    if count < 2 or not view.shareable:
        yield None
        return
    workers = GradingWorkers(view, packs, count, reopen_log)
    try:
        yield workers
    finally:
        workers.close()


def grade(
    projector: GradeProjector,
    view: GradeView,
    tracking_name: str,
    credit_codes: Sequence[str],
    workers: GradingWorkers | None,
) -> None:
    """Grade each enterprise and store the histories that changed, a chunk per
    transaction; computed by the workers if there are any."""
    if workers is None:
        for codes in chunks(list(credit_codes), CHUNK):
            with view.db.locked(tracking_name) as (cursor, _):
                view.maintenance.allow_long_pauses(cursor)
                deferring = DeferringCursor(cursor)
                projector.regrade(view, deferring, codes)
                deferring.flush()
        return
    # Workers are asked for small chunks, so that the first answers come back
    # soon and writing overlaps computing; answers are written CHUNK at a time.
    answers = workers.histories(chunks(list(credit_codes), WORKER_CHUNK))
    while True:
        written: Histories = {}
        for answer in islice(answers, max(1, CHUNK // WORKER_CHUNK)):
            written |= answer
        if not written:
            return
        with view.db.locked(tracking_name) as (cursor, _):
            deferring = DeferringCursor(cursor)
            replace_changed(view, deferring, written)
            deferring.flush()


def _send(pipe: IO[bytes] | None, message: object) -> None:
    assert pipe is not None
    try:
        pickle.dump(message, pipe)
        pipe.flush()
    except BrokenPipeError as ended:
        raise GradingWorkerError("a grading worker ended early") from ended


def _received(pipe: IO[bytes] | None) -> Any:
    assert pipe is not None
    try:
        answer = pickle.load(pipe)  # our own worker's answer
    except EOFError as ended:
        raise GradingWorkerError("a grading worker ended early") from ended
    if isinstance(answer, str):  # the worker's traceback
        raise GradingWorkerError(f"a grading worker failed:\n{answer}")
    return answer
