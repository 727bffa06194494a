"""Build a view that nobody reads yet (a rebuild's shadow): rows first, grades once.

A live catch-up regrades the enterprises of each batch of events, so that the
view is right at every position it commits. In a real log an enterprise's
records are spread over the years, so each enterprise is regraded once for
every batch it appears in, each time over all its records so far: on a
50,000-event log of 2,000 enterprises in recorded order, six times slower than
on the same events grouped by enterprise. A shadow is compared only once it
is complete, so here every event's rows go in first and each enterprise is
regraded once at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from itertools import chain
from typing import Any

from credit_svc.projections.deferring import DeferringCursor
from credit_svc.projections.event_rows import put_event_rows
from credit_svc.projections.parallel_grading import (
    PARALLEL_FROM_EVENTS,
    ReopenLog,
    grade,
    grading_workers,
)
from credit_svc.projections.projector import GradeProjector
from credit_svc.projections.views import GradeView

class ShadowMovedError(Exception):
    """Something else wrote the shadow view while this build was writing it."""


# Rows of 2,000 events a transaction: a quarter of the commits of a live
# batch, and the write lock (SQLite's is the whole file's) held about as long
# as a live batch with its grading holds it.
ROWS_BATCH = 2000


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
    touched: set[str] = set()
    applied = batches = 0
    with ExitStack() as stack:
        with view.datastore.transaction(commit=False) as cursor:
            start = view.position_in(cursor, tracking_name)
        end = projector.last_position()
        workers = None
        if end - start >= PARALLEL_FROM_EVENTS:
            packs = projector.packs
            workers = stack.enter_context(grading_workers(view, packs, reopen_log))
        read_elsewhere = workers is not None and reopen_log is not None
        for batch in chain(
            _put_ranges(projector, view, tracking_name, touched, workers, (start, end))
            if read_elsewhere
            else (),
            iter(lambda: _put_rows(projector, view, tracking_name, touched), 0),
        ):
            applied, batches = applied + batch, batches + 1
            if progress:
                progress(batch)
            if batches & (batches - 1) == 0:
                # Each time the tables have doubled: PostgreSQL must know they
                # are no longer small, or it plans reads by code as scans. So
                # the statistics always count at least half the rows, enough
                # for the grading pass's reads of every enterprise's records.
                view.analyse()
        grade(projector, view, tracking_name, sorted(touched), workers)
    view.analyse()
    return applied


def _put_ranges(
    projector: GradeProjector,
    view: GradeView,
    tracking_name: str,
    touched: set[str],
    workers: Any,
    positions: tuple[int, int],
) -> Iterator[int]:
    """Write the rows the workers read from the events after the first
    position up to the last, a range of ROWS_BATCH positions a transaction;
    add the enterprises they touched; yield each range's count of events."""
    start, end = positions
    ranges = [
        (low, min(low + ROWS_BATCH - 1, end))
        for low in range(start + 1, end + 1, ROWS_BATCH)
    ]
    for (low, high), rows in zip(ranges, workers.rows(ranges), strict=True):
        with view.locked(tracking_name) as (cursor, position):
            if position != low - 1:
                raise ShadowMovedError(
                    f"the shadow view moved to {position} while it was being "
                    f"built up to {low - 1}: is another rebuild running?"
                )
            view.allow_long_pauses(cursor)
            projector.check_packs(view, cursor, position)
            deferring = DeferringCursor(cursor)
            touched.update(put_event_rows(view, deferring, r) for r in rows)
            deferring.flush()
            view.set_position(cursor, tracking_name, high)
        yield len(rows)
    touched.discard("")  # a manager's registration touches no enterprise


def _put_rows(
    projector: GradeProjector, view: GradeView, tracking_name: str, touched: set[str]
) -> int:
    """Apply the next batch of events without grading; add the enterprises it
    touched; return its size (0 at the end of the log)."""
    with view.locked(tracking_name) as (cursor, position):
        view.allow_long_pauses(cursor)
        batch = projector.next_batch(position, limit=ROWS_BATCH)
        if batch:
            projector.check_packs(view, cursor, position)
            touched.update(projector.apply(view, cursor, batch, regrade=False))
            view.set_position(cursor, tracking_name, batch[-1].id)
    return len(batch)
