"""New records graded before the projector takes the lock to write (SQLite).

SQLite has one write lock for the whole file: while a projector holds it, no
record can be appended. Grading is most of what a projector does with a
batch, and every POST waited behind it (see docs/performance.md). So on
SQLite the projector reads and grades a batch of new records in
a read transaction first, and takes the lock only to write what it worked
out. Only a batch's leading run of plain new records is prepared: enterprise
registrations, projects and record changes read the view as they are
written, and go the locked way (GradeProjector.apply).

What was worked out is written only if the view is still at the position it
was worked out on. Only a projector changes the view's records and grades,
and always moves the position with them, so the view then holds what was
read, and the write is what grading under the lock would have written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import Protocol

from eventsourcing.persistence import Notification

from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record import CreditRecord
from credit_svc.domain.rulepack import RulePack
from credit_svc.projections.batch_writing import PositionedEvent
from credit_svc.projections.feed import timelines_of
from credit_svc.projections.regrading import changed_histories, segment_histories
from credit_svc.projections.view import GradeView
from credit_svc.projections.view_schema import HistoryChange, fact_of_row


class BatchSource(Protocol):
    """What preparing a batch reads the log and the packs with (the projector)."""

    packs: Sequence[RulePack]

    @property
    def batch_size(self) -> int:
        """Return how many events a batch holds at most."""

    def next_batch(self, position: int) -> Sequence[Notification]:
        """Return the next events after the position, oldest first."""

    def positioned(self, batch: Sequence[Notification]) -> Iterator[PositionedEvent]:
        """Yield each event of the batch decoded, with its position and rows."""


@dataclass(frozen=True)
class PreparedBatch:
    """New records and the grade histories they change, worked out unlocked."""

    position: int  # the view's position they were worked out on
    events: list[PositionedEvent]
    changes: dict[str, HistoryChange]  # histories that differ from the view's
    timelines: dict[str, str]  # their feed items' (if the view keeps a feed)
    more: bool  # events may follow in the log (the read was full, or cut short)

    @property
    def last(self) -> int:
        """Return the log position of the batch's last event."""
        return self.events[-1][0]


def prepare(
    projector: BatchSource,
    view: GradeView,
    tracking_name: str,
    upto: int | None = None,
) -> PreparedBatch | None:
    """Read and grade the records that come next, in one read transaction:
    none when nothing comes next (or the view holds position `upto`); None
    when what comes next is not a new record."""
    with view.db.reading() as cursor:
        position = view.db.position_in(cursor, tracking_name)
        held = upto is not None and position >= upto
        batch = [] if held else projector.next_batch(position)
        if not batch:
            return PreparedBatch(position, [], {}, {}, more=False)
        events = list(takewhile(_is_new_record, projector.positioned(batch)))
        if not events:
            return None
        added: dict[str, list[RecordFact]] = defaultdict(list)
        for _, _, rows in events:
            record_row = rows.payload[0]  # as the view will store it (record_rows)
            added[record_row["credit_code"]].append(fact_of_row(record_row))
        computed = segment_histories(
            view, cursor, sorted(added), projector.packs, added
        )
        changes = changed_histories(view, cursor, computed)
    timelines = {}
    if view.keeps_feed:
        timelines = timelines_of({code: c.rows for code, c in changes.items()})
    more = len(events) < len(batch) or len(batch) == projector.batch_size
    return PreparedBatch(position, events, changes, timelines, more)


def _is_new_record(positioned: PositionedEvent) -> bool:
    return isinstance(positioned[1], CreditRecord.Recorded)
