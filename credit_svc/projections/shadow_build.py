"""Build a view that nobody reads yet (a rebuild's shadow): rows first, grades once.

A live catch-up regrades the enterprises of each batch of events, so that the
view is right at every position it commits. In a real log an enterprise's
records are spread over the years, so each enterprise is regraded once for
every batch it appears in, each time over all its records so far (see
docs/performance.md). A shadow is compared only once it is complete, so here
every event's rows go in first and each enterprise is regraded once at the
end.

A long log is read by worker processes (see parallel_grading.py): decoding
events took most of the rows pass, and this process only writes what they
read, in log order, while they read on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain
from typing import Final

from credit_svc.projections.batch_writing import DeferringCursor
from credit_svc.projections.event_rows import EventRows, put_event_rows
from credit_svc.projections.parallel_grading import (
    PARALLEL_FROM_EVENTS,
    GradingWorkers,
    ReopenLog,
    grade,
    grading_workers,
)
from credit_svc.projections.projector import GradeProjector
from credit_svc.projections.view import GradeView

# The tables a build reads by key or code as it goes (an enterprise's
# projects, a correction's record, the grading pass's reads): only their
# statistics are kept fresh while it runs. Analysing the whole view each time
# took a fifth of a rebuild on PostgreSQL, the server busy and the rebuild
# waiting.
READ_WHILE_BUILT: Final = ("enterprise", "record", "change")


class ShadowMovedError(Exception):
    """Something else wrote the shadow view while this build was writing it."""


# Events whose rows one transaction writes: the write lock (SQLite's is the
# whole file's) held about as long as a live batch with its grading holds it.
ROWS_BATCH = 2000
# Workers take about a third of a second to start (their imports), while this
# process would wait for their first rows: it reads the first ranges itself.
READ_HERE_FIRST = 3


def build_shadow(
    projector: GradeProjector,
    view: GradeView,
    tracking_name: str,
    progress: Callable[[int], object] | None = None,
    reopen_log: ReopenLog | None = None,
) -> int:
    """Apply every event the view has not seen, then grade each enterprise they
    touched; return how many events were applied.

    `progress`, if given, is told the size of each batch of events once it
    commits. `reopen_log`, if given, opens the projector's event log in other
    processes, which then read a long log's events for this one. Only for a
    view without a change feed: no one follows a shadow.
    """
    assert not view.keeps_feed, "a view with a feed is read while it is built"
    applied = batches = 0
    with ExitStack() as stack:
        with view.db.datastore.transaction(commit=True) as cursor:
            start = view.db.position_in(cursor, tracking_name)
            # Nothing reads the shadow by them until the grading pass: built
            # once at the end of the rows pass, not row by row during it.
            view.maintenance.drop_indexes(cursor)
        build = _Build(projector, view, tracking_name, start)
        end = projector.last_position()
        workers = None
        if end - start >= PARALLEL_FROM_EVENTS:
            packs = projector.packs
            workers = stack.enter_context(grading_workers(view, packs, reopen_log))
        for batch in chain(
            build.put_ranges(workers, end) if workers and reopen_log else (),
            iter(build.put_batch, 0),  # the rest of the log, read here
        ):
            applied, batches = applied + batch, batches + 1
            if progress:
                progress(batch)
            if batches & (batches - 1) == 0:
                # Each time the tables have doubled: PostgreSQL must know they
                # are no longer small, or it plans reads by code as scans. So
                # the statistics always count at least half the rows, enough
                # for the grading pass's reads of every enterprise's records.
                view.maintenance.analyse(READ_WHILE_BUILT, quick=True)
        with view.db.datastore.transaction(commit=True) as cursor:
            view.maintenance.create_indexes(cursor)
        grade(projector, view, tracking_name, sorted(build.touched), workers)
    view.maintenance.analyse(
        ("segment",), quick=True
    )  # filled last: for the comparison's plan
    return applied


@dataclass
class _Build:
    """The rows pass of one shadow build: where the shadow stands, and the
    enterprises its rows touched."""

    projector: GradeProjector
    view: GradeView
    tracking_name: str
    position: int  # the shadow's, as this build last wrote it
    touched: set[str] = field(default_factory=set)

    def put_ranges(self, workers: GradingWorkers, end: int) -> Iterator[int]:
        """Write the rows the workers read from the events up to position
        `end`, ROWS_BATCH positions a transaction; yield each range's count of
        events."""
        ranges = [
            (low, min(low + ROWS_BATCH - 1, end))
            for low in range(self.position + 1, end + 1, ROWS_BATCH)
        ]
        here, theirs = ranges[:READ_HERE_FIRST], ranges[READ_HERE_FIRST:]
        answers = workers.rows(theirs)  # asked now: read once they are up
        for low, high in here:
            rows = self.projector.rows_between(low, high)
            self._put(rows, high)
            yield len(rows)
        for (_, high), rows in zip(theirs, answers, strict=True):
            self._put(rows, high)
            yield len(rows)

    def put_batch(self) -> int:
        """Read the next batch of events here and write their rows; return its
        size (0 at the end of the log)."""
        rows = self.projector.rows_after(self.position, limit=ROWS_BATCH)
        if rows:
            self._put(rows, rows[-1].position)
        return len(rows)

    def _put(self, rows: Sequence[EventRows], upto: int) -> None:
        """Write the rows of the events after the shadow's position up to
        `upto`, and move its position there, in one transaction."""
        with self.view.db.locked(self.tracking_name) as (cursor, position):
            if position != self.position:
                raise ShadowMovedError(
                    f"the shadow view moved to position {position} while "
                    f"being built up to {self.position}: is another rebuild running?"
                )
            self.view.maintenance.allow_long_pauses(cursor)
            self.view.maintenance.check_packs(
                cursor, position, self.projector.fingerprint
            )
            deferring = DeferringCursor(cursor)
            codes = [put_event_rows(self.view, deferring, r) for r in rows]
            deferring.flush()
            self.view.db.set_position(cursor, self.tracking_name, upto)
        self.position = upto
        self.touched.update(filter(None, codes))  # a manager touches no enterprise
