"""What the projector writes for a batch, besides grades: rows and feed items.

Shared by a batch graded under the write lock (GradeProjector.apply) and one
graded before it (prepared_batch.py, written by write_graded), so both write
the same rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from credit_svc.domain.lifecycle import LIFECYCLE_EVENTS
from credit_svc.domain.record import CreditRecord
from credit_svc.projections.deferring import DeferringCursor
from credit_svc.projections.event_rows import EventRows, put_event_rows
from credit_svc.projections.feed import grade_item, record_item
from credit_svc.projections.view import GradeView
from credit_svc.projections.view_schema import HistoryChange

# (log position, domain event, what it adds to the view)
PositionedEvent = tuple[int, Any, EventRows]
# Each of these is an item of its own in the feed.
FEED_EVENTS = (CreditRecord.Recorded, *LIFECYCLE_EVENTS)


def write_graded(
    view: GradeView,
    cursor: Any,
    events: Sequence[PositionedEvent],
    changes: dict[str, HistoryChange],
    timelines: dict[str, str],
) -> None:
    """Write a batch graded before the lock was taken: its rows, the grade
    histories it changed, and its feed items (with the `timelines_of` them)."""
    cursor = DeferringCursor(cursor)
    touched = put_rows(view, cursor, events)
    view.grades.replace_segment_tails(cursor, changes)
    put_feed(view, cursor, touched, changes, timelines)
    cursor.flush()


def put_rows(
    view: GradeView, cursor: Any, events: Sequence[PositionedEvent]
) -> list[tuple[int, Any, str]]:
    """Write the events' rows; return the events about an enterprise (all but
    managers' registrations), each with its position and credit code."""
    touched = []
    for position, event, rows in events:
        credit_code = put_event_rows(view, cursor, rows)
        if credit_code:
            touched.append((position, event, credit_code))
    return touched


def put_feed(
    view: GradeView,
    cursor: Any,
    touched: Sequence[tuple[int, Any, str]],
    changed: Collection[str],
    timelines: Mapping[str, str],
) -> None:
    """Add the feed's items: records and their changes, then the `changed`
    grades at the last event about each, with their `timelines` (shadows keep
    no feed: none to make)."""
    if not view.keeps_feed:
        return
    feed = [
        record_item(position, code, event)
        for position, event, code in touched
        if isinstance(event, FEED_EVENTS)
    ]
    last_touch = {code: position for position, _, code in touched}
    feed += [grade_item(last_touch[code], code) for code in changed]
    items = sorted(feed, key=lambda i: i["position"])
    view.feed.put_feed_items(cursor, items, timelines)
