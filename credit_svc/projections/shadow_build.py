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

from collections.abc import Callable
from contextlib import ExitStack

from credit_svc.projections.parallel_grading import (
    PARALLEL_FROM_EVENTS,
    grade,
    grading_workers,
)
from credit_svc.projections.projector import GradeProjector
from credit_svc.projections.views import GradeView

# Rows of 2,000 events a transaction: a quarter of the commits of a live
# batch, and the write lock (SQLite's is the whole file's) held about as long
# as a live batch with its grading holds it.
ROWS_BATCH = 2000


def build_shadow(
    projector: GradeProjector,
    view: GradeView,
    tracking_name: str,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Apply every event the view has not seen, then grade each enterprise they
    touched; return how many events were applied.

    `progress`, if given, is told the size of each batch of events once it
    commits. Only for a view without a change feed: no one follows a shadow.
    """
    assert not view.keeps_feed, "a view with a feed is read while it is built"
    touched: set[str] = set()
    applied = batches = 0
    with ExitStack() as stack:
        workers = None
        while batch := _put_rows(projector, view, tracking_name, touched):
            applied, batches = applied + batch, batches + 1
            if progress:
                progress(batch)
            if batches & (batches - 1) == 0:
                # Each time the tables have doubled: PostgreSQL must know they
                # are no longer small, or it plans reads by code as scans. So
                # the statistics always count at least half the rows, enough
                # for the grading pass's reads of every enterprise's records.
                view.analyse()
            if applied >= PARALLEL_FROM_EVENTS and workers is None:
                # Started now, they get ready while the rows pass goes on.
                workers = stack.enter_context(grading_workers(view, projector.packs))
        grade(projector, view, tracking_name, sorted(touched), workers)
    view.analyse()
    return applied


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
