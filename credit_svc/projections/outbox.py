"""The webhook outbox: subscriptions, and one delivery row per feed item each
subscription wants.

The projector writes the delivery rows in the transaction that writes the
feed items they announce (`fan_out`, called by FeedStore), so a delivery is
never announced before its item is published and never lost after. A
worker (`credit-svc deliver`, usecases/deliveries.py) sends them. Neither
table is in the event log: subscriptions are delivery settings holding a
secret (encrypted under the server's key, adapters/secret_box.py), and a
rebuild neither copies nor clears them (ADR 0016).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credit_svc.projections.database import ViewDatabase

OUTBOX_TABLES: Final = ("subscription", "delivery", "enterprise", "feed")
CREATE_OUTBOX: Final = (
    "CREATE TABLE IF NOT EXISTS {subscription} (subscription_id TEXT PRIMARY KEY, "
    "url TEXT NOT NULL, item_types TEXT NOT NULL, jurisdictions TEXT NOT NULL, "
    "secret TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL, "
    "ended_at TEXT)",
    "CREATE TABLE IF NOT EXISTS {delivery} (delivery_id TEXT PRIMARY KEY, "
    "subscription_id TEXT NOT NULL, seq BIGINT NOT NULL, state TEXT NOT NULL, "
    "attempts INTEGER NOT NULL, next_attempt_at TEXT NOT NULL, "
    "lease_until TEXT, last_error TEXT, delivered_at TEXT)",
    "CREATE INDEX IF NOT EXISTS {p}delivery_due ON {delivery} "
    "(state, next_attempt_at, seq)",
    "CREATE INDEX IF NOT EXISTS {p}delivery_by_subscription ON {delivery} "
    "(subscription_id, state, seq)",
)
PENDING: Final = "pending"
DELIVERED: Final = "delivered"
DEAD: Final = "dead"  # out of attempts: the dead-letter list
STATES: Final = (PENDING, DELIVERED, DEAD)
# A delivery's row before it has been tried: due at once.
NEVER: Final = ""


@dataclass(frozen=True)
class Subscription:
    """Where items go, which ones, and the secret that signs them (sealed)."""

    subscription_id: str
    url: str
    item_types: tuple[str, ...]
    jurisdictions: tuple[str, ...]  # division prefixes; empty: all
    sealed_secret: str
    created_at: str
    created_by: str
    ended_at: str | None = None

    def wants(self, item_type: str, jurisdiction: str | None) -> bool:
        """Tell whether the subscription takes an item of this type and place."""
        if item_type not in self.item_types:
            return False
        return not self.jurisdictions or (
            jurisdiction is not None and jurisdiction.startswith(self.jurisdictions)
        )


# The feed's last seq and the live subscriptions, in one statement: the
# projector asks both once a batch, and a round trip was most of what the
# outbox cost it. Always one row at least (the subscription's columns NULL
# when there is none).
LAST_SEQ_AND_LIVE: Final = (
    "SELECT (SELECT COALESCE(MAX(seq), 0) FROM {feed}) AS last_seq, s.* "
    "FROM (SELECT 1 AS one) x LEFT JOIN {subscription} s ON s.ended_at IS NULL"
)


def last_seq_and_live(rows: Sequence[Any]) -> tuple[int, list[Subscription]]:
    """Return the feed's last seq and the live subscriptions from the rows of
    LAST_SEQ_AND_LIVE."""
    found = [dict(row) for row in rows]
    live = [_subscription(row) for row in found if row["subscription_id"]]
    return int(found[0]["last_seq"]), live


def delivery_id(seq: int, subscription_id: str) -> str:
    """Return a delivery's id: the same every time it is sent, so a receiver
    drops the repeats."""
    return f"{seq}.{subscription_id}"


class Outbox:
    """Reads and writes of subscriptions and their deliveries."""

    def __init__(self, db: ViewDatabase) -> None:
        self.db = db

    def _q(self, statement: str) -> str:
        return self.db.dialect.sql(statement, OUTBOX_TABLES)

    # The projector's part, inside its transaction.

    def fan_out(
        self,
        cursor: Any,
        items: Sequence[tuple[int, dict[str, Any]]],
        subscriptions: Sequence[Subscription],
    ) -> None:
        """Queue a delivery of each (seq, item) for each live subscription
        that wants it (read with the feed's last seq: `LAST_SEQ_AND_LIVE`)."""
        if not subscriptions or not items:
            return
        places = self._jurisdictions(
            cursor,
            {i["credit_code"] for _, i in items}
            if any(s.jurisdictions for s in subscriptions)
            else (),
        )
        table = self.db.dialect.table("delivery")
        for seq, item in items:
            place = places.get(item["credit_code"])
            for sub in subscriptions:
                if sub.wants(item["item_type"], place):
                    row = (delivery_id(seq, sub.subscription_id), sub.subscription_id)
                    cursor.defer(
                        table, (*row, seq, PENDING, 0, NEVER, None, None, None)
                    )

    def _jurisdictions(self, cursor: Any, codes: Iterable[str]) -> dict[str, str]:
        wanted = sorted(codes)
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        cursor.execute(
            self._q(
                "SELECT credit_code, jurisdiction FROM {enterprise} "
                f"WHERE credit_code IN ({marks})"
            ),
            wanted,
        )
        rows = cursor.fetchall()
        return {str(r["credit_code"]): str(r["jurisdiction"]) for r in rows}

    # Subscriptions.

    def add(self, subscription: Subscription) -> None:
        """Store a new subscription."""
        s = subscription
        with self.db.writing() as cursor:
            cursor.execute(
                self._q(
                    "INSERT INTO {subscription} VALUES (?, ?, ?, ?, ?, ?, ?, NULL)"
                ),
                (
                    s.subscription_id,
                    s.url,
                    json.dumps(list(s.item_types)),
                    json.dumps(list(s.jurisdictions)),
                    s.sealed_secret,
                    s.created_at,
                    s.created_by,
                ),
            )

    def end(self, subscription_id: str, at: str) -> bool:
        """End a subscription: no new deliveries (those queued are still sent).
        False when there is no such live subscription."""
        with self.db.writing() as cursor:
            cursor.execute(
                self._q(
                    "UPDATE {subscription} SET ended_at = ? "
                    "WHERE subscription_id = ? AND ended_at IS NULL "
                    "RETURNING subscription_id"
                ),
                (at, subscription_id),
            )
            return bool(cursor.fetchall())

    def subscriptions(self) -> list[Subscription]:
        """Return every subscription, ended ones too, oldest first."""
        rows = self._all("SELECT * FROM {subscription} ORDER BY created_at", ())
        return [_subscription(row) for row in rows]

    def subscription(self, subscription_id: str) -> Subscription | None:
        """Return one subscription, or None."""
        rows = self._all(
            "SELECT * FROM {subscription} WHERE subscription_id = ?",
            (subscription_id,),
        )
        return _subscription(rows[0]) if rows else None

    def counts(self) -> dict[str, dict[str, int]]:
        """Return, per subscription, how many deliveries are in each state."""
        rows = self._all(
            "SELECT subscription_id, state, COUNT(*) AS n FROM {delivery} "
            "GROUP BY subscription_id, state",
            (),
        )
        counts: dict[str, dict[str, int]] = {}
        for row in rows:
            of = counts.setdefault(row["subscription_id"], dict.fromkeys(STATES, 0))
            of[row["state"]] = int(row["n"])
        return counts

    # Deliveries: the worker's part.

    def claim_due(self, now: str, lease_until: str, limit: int) -> list[dict[str, Any]]:
        """Take up to `limit` pending deliveries that are due and not leased
        to another worker (or whose lease ran out), oldest first; lease them
        until `lease_until`. A worker killed while sending leaves its lease
        to run out, and the deliveries are sent again."""
        with self.db.writing() as cursor:
            cursor.execute(
                self._q(
                    "SELECT delivery_id FROM {delivery} WHERE state = ? "
                    "AND next_attempt_at <= ? "
                    "AND (lease_until IS NULL OR lease_until < ?) "
                    "ORDER BY seq LIMIT ?"
                    + (" FOR UPDATE SKIP LOCKED" if self.db.dialect.schema else "")
                ),
                (PENDING, now, now, limit),
            )
            ids = [str(row["delivery_id"]) for row in cursor.fetchall()]
            if not ids:
                return []
            marks = ", ".join("?" for _ in ids)
            cursor.execute(
                self._q(
                    f"UPDATE {{delivery}} SET lease_until = ? "
                    f"WHERE delivery_id IN ({marks})"
                ),
                (lease_until, *ids),
            )
            cursor.execute(
                self._q(
                    "SELECT d.delivery_id, d.subscription_id, d.seq, d.attempts, "
                    "s.url, s.secret FROM {delivery} d JOIN {subscription} s "
                    "ON s.subscription_id = d.subscription_id "
                    f"WHERE d.delivery_id IN ({marks}) ORDER BY d.seq"
                ),
                ids,
            )
            return [dict(row) for row in cursor.fetchall()]

    def delivered(self, delivery_ids: Sequence[str], at: str) -> None:
        """Mark deliveries received."""
        self._update(
            "UPDATE {delivery} SET state = ?, delivered_at = ?, lease_until = NULL, "
            "attempts = attempts + 1, last_error = NULL WHERE delivery_id = ?",
            [(DELIVERED, at, d) for d in delivery_ids],
        )

    def failed(self, delivery_id_: str, error: str, retry_at: str | None) -> None:
        """Count a failed attempt: try again at `retry_at`, or, with None,
        put the delivery in the dead-letter list."""
        state = PENDING if retry_at is not None else DEAD
        self._update(
            "UPDATE {delivery} SET state = ?, attempts = attempts + 1, "
            "next_attempt_at = ?, last_error = ?, lease_until = NULL "
            "WHERE delivery_id = ?",
            [(state, retry_at or NEVER, error[:500], delivery_id_)],
        )

    def forget_delivered(self, before: str) -> int:
        """Delete the rows of deliveries received before `before` (pending and
        dead ones are the queue and stay); return how many."""
        with self.db.writing() as cursor:
            cursor.execute(
                self._q(
                    "DELETE FROM {delivery} WHERE state = ? AND delivered_at < ? "
                    "RETURNING delivery_id"
                ),
                (DELIVERED, before),
            )
            return len(cursor.fetchall())

    def deliveries(
        self, subscription_id: str, state: str, after: int, limit: int
    ) -> list[dict[str, Any]]:
        """Return a subscription's deliveries in a state, after a feed seq."""
        return self._all(
            "SELECT delivery_id, subscription_id, seq, state, attempts, "
            "next_attempt_at, last_error, delivered_at FROM {delivery} "
            "WHERE subscription_id = ? AND state = ? AND seq > ? "
            "ORDER BY seq LIMIT ?",
            (subscription_id, state, after, limit),
        )

    def replay(self, subscription_id: str, delivery_ids: Sequence[str] | None) -> int:
        """Put dead letters back in the queue, due at once, with their attempts
        counted afresh: all of the subscription's, or those named. Return how
        many."""
        statement = (
            "UPDATE {delivery} SET state = ?, attempts = 0, next_attempt_at = ?, "
            "lease_until = NULL WHERE subscription_id = ? AND state = ?"
        )
        params: tuple[Any, ...] = (PENDING, NEVER, subscription_id, DEAD)
        if delivery_ids is not None:
            if not delivery_ids:
                return 0
            marks = ", ".join("?" for _ in delivery_ids)
            statement += f" AND delivery_id IN ({marks})"
            params = (*params, *delivery_ids)
        with self.db.writing() as cursor:
            cursor.execute(self._q(statement + " RETURNING delivery_id"), params)
            return len(cursor.fetchall())

    def ids(self) -> list[str]:
        """Return every delivery's id (for checks and tests: it reads all)."""
        return [r["delivery_id"] for r in self._all("SELECT * FROM {delivery}", ())]

    def _update(self, statement: str, rows: Sequence[tuple[Any, ...]]) -> None:
        with self.db.writing() as cursor:
            cursor.executemany(self._q(statement), rows)

    def _all(self, statement: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        with self.db.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._q(statement), params)
            return [dict(row) for row in cursor.fetchall()]


def _subscription(row: dict[str, Any]) -> Subscription:
    return Subscription(
        subscription_id=str(row["subscription_id"]),
        url=str(row["url"]),
        item_types=tuple(json.loads(row["item_types"])),
        jurisdictions=tuple(json.loads(row["jurisdictions"])),
        sealed_secret=str(row["secret"]),
        created_at=str(row["created_at"]),
        created_by=str(row["created_by"]),
        ended_at=row["ended_at"],
    )
