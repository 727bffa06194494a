"""The grade projector: event log in, grade view out, exactly once.

Each batch of events is applied, the touched enterprises' grade histories are
recomputed, and the tracking position is moved, all in one transaction; a lock
makes concurrent projectors (several gunicorn workers) take turns, so a batch is
never applied twice and a crash loses nothing but an uncommitted batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.lifecycle import LIFECYCLE_EVENTS
from credit_svc.domain.project_manager import ProjectManager
from credit_svc.domain.record import RECORDED_EVENTS
from credit_svc.domain.rulepack import RulePack
from credit_svc.projections import prepared_batch
from credit_svc.projections.batch_writing import (
    DeferringCursor,
    PositionedEvent,
    put_feed,
    put_rows,
    write_graded,
)
from credit_svc.projections.event_rows import EventRows, rows_of
from credit_svc.projections.event_source import EventSource
from credit_svc.projections.feed import timelines_of
from credit_svc.projections.regrading import replace_changed, segment_histories
from credit_svc.projections.view import GradeView
from credit_svc.rulepacks.digest import packs_fingerprint

TOPICS = (
    get_topic(Enterprise.Registered),
    get_topic(Enterprise.ProjectAdded),
    get_topic(Enterprise.ManagerAssigned),
    get_topic(ProjectManager.Registered),
    *(get_topic(cls) for cls in RECORDED_EVENTS.values()),
    *(get_topic(cls) for cls in LIFECYCLE_EVENTS),
)
BATCH_SIZE = 500
# A long catch-up refreshes PostgreSQL's statistics of the view this often,
# from a quick sample (a full one when it ends): planned on the stats of a
# near-empty table, reads by credit code scan whole tables.
ANALYSE_EVERY_BATCHES = 20


class GradeProjector:
    """Keeps one grade view up to date with one application's event log."""

    def __init__(self, app: EventSource, packs: Sequence[RulePack]) -> None:
        self.app = app
        self.packs = packs
        self.fingerprint = packs_fingerprint(packs)

    def catch_up(
        self,
        view: GradeView,
        tracking_name: str | None = None,
        progress: Callable[[int], object] | None = None,
        upto: int | None = None,
    ) -> int:
        """Apply every event the view has not seen; return how many were applied.

        `progress`, if given, is told the size of each batch once it commits.
        With `upto` (a write's own position), stop as soon as the view holds
        it: a writer needs its own event projected, and others' writers
        project theirs. Under concurrent writes the view often holds it
        already, projected in another writer's batch; then the lock is not
        even asked for.
        """
        name = tracking_name or self.app.name
        applied = batches = 0
        if upto is not None and view.db.position(name) >= upto:
            return 0
        while True:
            size, more = self.apply_next(view, name, upto)
            applied += size
            batches += 1
            if progress:
                progress(size)
            if not more:
                if batches >= ANALYSE_EVERY_BATCHES:  # a long catch-up: for readers
                    view.maintenance.analyse()
                return applied
            if batches % ANALYSE_EVERY_BATCHES == 0:  # sizes for the next batches
                view.maintenance.analyse(quick=True)

    def apply_next(
        self, view: GradeView, tracking_name: str, upto: int | None = None
    ) -> tuple[int, bool]:
        """Apply the next batch in one transaction; return its size and whether
        more events may follow it (none once the view holds position `upto`).

        On SQLite, projectors take turns to grade new records before the write
        lock is taken (see prepared_batch.py): appends go on meanwhile, and a
        log with nothing new is seen without taking the lock.
        """
        if not view.db.prepares:
            return self.apply_locked(view, tracking_name, upto=upto)
        with view.db.projecting():
            prepared = prepared_batch.prepare(self, view, tracking_name, upto)
            if prepared is not None and not prepared.events:
                return 0, False  # nothing after the view's position (or upto)
            return self.apply_locked(view, tracking_name, prepared, upto)

    def apply_locked(
        self,
        view: GradeView,
        tracking_name: str,
        prepared: prepared_batch.PreparedBatch | None = None,
        upto: int | None = None,
    ) -> tuple[int, bool]:
        """Under the view's lock, write the prepared batch if the view has not
        moved since it was prepared, else apply the next batch (none if the
        view holds position `upto` by now)."""
        with view.db.locked(tracking_name) as (cursor, position):
            if upto is not None and position >= upto:
                return 0, False
            if prepared is not None and prepared.position == position:
                view.maintenance.check_packs(cursor, position, self.fingerprint)
                events, changes = prepared.events, prepared.changes
                write_graded(view, cursor, events, changes, prepared.timelines)
                view.db.set_position(cursor, tracking_name, prepared.last)
                return len(prepared.events), prepared.more
            batch = self.next_batch(position)
            if batch:
                view.maintenance.check_packs(cursor, position, self.fingerprint)
                self.apply(view, cursor, batch)
                view.db.set_position(cursor, tracking_name, batch[-1].id)
            return len(batch), len(batch) == self.batch_size

    @property
    def batch_size(self) -> int:
        """Return how many events a batch holds at most."""
        return BATCH_SIZE

    def advance(
        self, view: GradeView, cursor: Any, tracking_name: str, stop: int
    ) -> None:
        """Inside the caller's transaction, bring a view up to the position `stop`."""
        position = view.db.position_in(cursor, tracking_name)
        while position < stop:
            batch = self.next_batch(position, stop)
            if not batch:
                return
            view.maintenance.check_packs(cursor, position, self.fingerprint)
            self.apply(view, cursor, batch)
            position = batch[-1].id
            view.db.set_position(cursor, tracking_name, position)

    def next_batch(
        self, position: int, stop: int | None = None, limit: int = 0
    ) -> Sequence[Notification]:
        """Return the next events after the position (up to `stop`; at most
        `limit`, BATCH_SIZE by default), oldest first."""
        return self.app.recorder.select_notifications(
            start=position + 1, limit=limit or BATCH_SIZE, stop=stop, topics=TOPICS
        )

    def last_position(self) -> int:
        """Return the position of the log's last event (0 if it has none)."""
        return self.app.recorder.max_notification_id() or 0

    def rows_after(
        self, position: int, stop: int | None = None, limit: int = 0
    ) -> list[EventRows]:
        """Return the rows of the events `next_batch` returns (see event_rows)."""
        batch = self.next_batch(position, stop, limit)
        return [rows for _, _, rows in self.positioned(batch)]

    def positioned(self, batch: Sequence[Notification]) -> Iterator[PositionedEvent]:
        """Yield each event of the batch decoded, with its position and rows."""
        to_event = self.app.mapper.to_domain_event
        for notification in batch:
            event = to_event(notification)
            yield notification.id, event, rows_of(event, notification.id)

    def rows_between(self, start: int, stop: int) -> list[EventRows]:
        """Return the rows of the events from position `start` to `stop`."""
        return self.rows_after(start - 1, stop, limit=stop - start + 1)

    def apply(
        self,
        view: GradeView,
        cursor: Any,
        batch: Sequence[Notification],
    ) -> None:
        """Apply a batch of events, then regrade each enterprise they touched."""
        cursor = DeferringCursor(cursor)
        events = list(self.positioned(batch))
        touched = put_rows(view, cursor, events)
        changed = self.regrade(view, cursor, sorted({code for *_, code in touched}))
        timelines = timelines_of(changed) if view.keeps_feed else {}
        put_feed(view, cursor, touched, changed, timelines)
        cursor.flush()

    def regrade(
        self, view: GradeView, cursor: Any, credit_codes: Sequence[str]
    ) -> dict[str, list[tuple[Any, ...]]]:
        """Recompute enterprises' whole grade histories; return the segment rows
        of those that changed.

        Reads and writes go for all of them at once: a few round trips a batch.
        """
        computed = segment_histories(view, cursor, credit_codes, self.packs)
        return replace_changed(view, cursor, computed)
