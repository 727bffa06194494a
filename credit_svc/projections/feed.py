"""The change feed: new records and grade changes, in the order they were projected.

Tender platforms page through it by `seq` to keep a copy of the grades without
polling every enterprise. It is written by the live projector in the same
transaction as the rows it announces, so an item is never seen before its rows,
and never lost after them. It is a log of what was published, so a rebuild does
not recompute it; a rebuild that changes grades appends grade items instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from credit_svc.domain.record import CreditRecord
from credit_svc.projections.database import ViewDatabase
from credit_svc.projections.outbox import (
    LAST_SEQ_AND_LIVE,
    OUTBOX_TABLES,
    Outbox,
    last_seq_and_live,
)
from credit_svc.projections.view_schema import SEGMENT_COLUMNS

FEED_TABLES: Final = ("feed", "record", "enterprise", "segment")
CREATE_FEED: Final = (
    "CREATE TABLE IF NOT EXISTS {feed} (seq BIGINT PRIMARY KEY, "
    "position BIGINT NOT NULL, item_type TEXT NOT NULL, credit_code TEXT NOT NULL, "
    "record_id TEXT, segments TEXT)"
)
RECORD_ITEM: Final = "record"
RECORD_CHANGE_ITEM: Final = "record_change"  # corrected, retracted, objected...
GRADE_ITEM: Final = "grade"
TIMELINE_COLUMNS: Final = tuple(SEGMENT_COLUMNS.split(", "))[2:]  # no code, place


def record_item(position: int, credit_code: str, event: Any) -> dict[str, Any]:
    """Return the feed item announcing a new record or a change to one."""
    new = isinstance(event, CreditRecord.Recorded)
    return {
        "position": position,
        "item_type": RECORD_ITEM if new else RECORD_CHANGE_ITEM,
        "credit_code": credit_code,
        "record_id": str(event.originator_id),
    }


def grade_item(position: int, credit_code: str) -> dict[str, Any]:
    """Return the feed item announcing that an enterprise's grades changed."""
    return {"position": position, "item_type": GRADE_ITEM, "credit_code": credit_code}


class FeedStore:
    """Writes and reads of the change feed."""

    def __init__(self, db: ViewDatabase, outbox: Outbox) -> None:
        self.db = db
        self.outbox = outbox  # each item's deliveries go out with it

    def _q(self, statement: str) -> str:
        return self.db.dialect.sql(statement, FEED_TABLES)

    def put_feed_items(
        self,
        cursor: Any,
        items: Sequence[dict[str, Any]],
        timelines: Mapping[str, str],
    ) -> None:
        """Append items (position, item_type, credit_code, record_id) to the feed.

        Grade items carry the enterprise's grade timeline as it now stands: its
        segment rows as `timelines_of` gives them, which the caller has just
        written. Only the projector holding the view's lock calls this, so
        MAX(seq) is safe.
        """
        if not items:
            return
        cursor.execute(self.db.dialect.sql(LAST_SEQ_AND_LIVE, OUTBOX_TABLES))
        last, subscriptions = last_seq_and_live(cursor.fetchall())
        for seq, item in enumerate(items, start=last + 1):
            timeline = None
            if item["item_type"] == GRADE_ITEM:
                timeline = timelines.get(item["credit_code"], "[]")
            cursor.defer(  # a DeferringCursor
                self.db.dialect.table("feed"),
                (
                    seq,
                    item["position"],
                    item["item_type"],
                    item["credit_code"],
                    item.get("record_id"),
                    timeline,
                ),
            )
        numbered = list(enumerate(items, start=last + 1))
        self.outbox.fan_out(cursor, numbered, subscriptions)

    def items_at(self, seqs: Sequence[int]) -> list[dict[str, Any]]:
        """Return the feed items of these seqs, as `list_feed` does."""
        if not seqs:
            return []
        marks = ", ".join("?" for _ in seqs)
        with self.db.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._q(_SELECT_ITEMS + f"WHERE f.seq IN ({marks})"), seqs)
            return [dict(row) for row in cursor.fetchall()]

    def list_feed(
        self, after: int, limit: int, jurisdiction: str | None = None
    ) -> list[dict[str, Any]]:
        """Return up to `limit` feed items after `seq`, with records joined in."""
        where = "f.seq > ?" + (" AND e.jurisdiction LIKE ?" if jurisdiction else "")
        params = (after, f"{jurisdiction}%") if jurisdiction else (after,)
        statement = _SELECT_ITEMS + f"WHERE {where} ORDER BY f.seq LIMIT ?"
        with self.db.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._q(statement), (*params, limit))
            return [dict(row) for row in cursor.fetchall()]


_SELECT_ITEMS: Final = (
    "SELECT f.seq, f.position, f.item_type, f.credit_code, f.segments, "
    "e.jurisdiction, r.record_id, r.kind, r.business_date, r.recorded_at, "
    "r.facts FROM {feed} f "
    "JOIN {enterprise} e ON e.credit_code = f.credit_code "
    "LEFT JOIN {record} r ON r.record_id = f.record_id "
)


def timelines_of(histories: Mapping[str, list[tuple[Any, ...]]]) -> dict[str, str]:
    """Return enterprises' segment rows as the feed's grade timelines: JSON,
    without the code and jurisdiction columns."""
    return {
        code: json.dumps(
            [dict(zip(TIMELINE_COLUMNS, row[2:], strict=True)) for row in rows],
            ensure_ascii=False,
        )
        for code, rows in histories.items()
    }
