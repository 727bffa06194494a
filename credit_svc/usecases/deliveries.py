"""Webhooks: subscriptions an admin registers, and the worker that sends the
outbox's deliveries (`credit-svc deliver`).

Delivery is at least once: a delivery is marked received only after the
receiver answered 2xx, so a worker killed between the two sends it again,
under the same delivery id, which the receiver uses to drop repeats. A
failed attempt is tried again after a delay that doubles each time; after
the last attempt the delivery is a dead letter, which an admin lists and
puts back in the queue.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Protocol

from credit_svc.adapters.secret_box import SealedSecretError, SecretBox
from credit_svc.projections.feed import (
    GRADE_ITEM,
    RECORD_CHANGE_ITEM,
    RECORD_ITEM,
    FeedStore,
)
from credit_svc.projections.outbox import Outbox, Subscription

ITEM_TYPES: Final = (RECORD_ITEM, RECORD_CHANGE_ITEM, GRADE_ITEM)


class Sender(Protocol):
    """Posts one signed delivery (adapters/webhook_sender.py)."""

    def send(
        self, url: str, delivery_id: str, body: bytes, secret: str, now: int
    ) -> str | None: ...


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how soon a failed delivery is tried again."""

    attempts: int  # in all, the first included; then a dead letter
    first_delay: float  # seconds before the second attempt; doubling after
    longest_delay: float
    lease: float  # seconds a worker holds the deliveries it took

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetryPolicy:
        """Read the DELIVERY_* settings."""
        return cls(
            attempts=int(config["DELIVERY_ATTEMPTS"]),
            first_delay=float(config["DELIVERY_RETRY_SECONDS"]),
            longest_delay=float(config["DELIVERY_RETRY_MAX_SECONDS"]),
            lease=float(config["DELIVERY_LEASE_SECONDS"]),
        )

    def delay_after(self, attempts: int) -> float | None:
        """Return the seconds to wait after `attempts` failed attempts, or
        None when none is left."""
        if attempts >= self.attempts:
            return None
        delay: float = self.first_delay * 2 ** (attempts - 1)
        return min(delay, self.longest_delay)


def stamp(moment: datetime) -> str:
    """Return a moment as the outbox stores it (text that sorts as time)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class Subscriptions:
    """What an admin does with subscriptions and their dead letters."""

    def __init__(self, outbox: Outbox, box: Callable[[], SecretBox]) -> None:
        self.outbox = outbox
        self.box = box  # read when a secret is sealed: the key file may come late

    def register(  # noqa: PLR0913 (a subscription's settings)
        self,
        *,
        url: str,
        item_types: Sequence[str],
        jurisdictions: Sequence[str],
        secret: str,
        created_by: str,
        now: datetime,
    ) -> Subscription:
        """Store a subscription; it gets the feed items published from now on."""
        subscription = Subscription(
            subscription_id=str(uuid.uuid4()),
            url=url,
            item_types=tuple(t for t in ITEM_TYPES if t in item_types),
            jurisdictions=tuple(sorted(set(jurisdictions))),
            sealed_secret=self.box().seal(secret),
            created_at=stamp(now),
            created_by=created_by,
        )
        self.outbox.add(subscription)
        return subscription

    def end(self, subscription_id: str, now: datetime) -> bool:
        """End a subscription; False when there is no live one of that id."""
        return self.outbox.end(subscription_id, stamp(now))


@dataclass
class Deliverer:
    """Takes due deliveries from the outbox and sends them."""

    outbox: Outbox
    feed: FeedStore
    sender: Sender
    box: SecretBox
    policy: RetryPolicy
    body_of: Callable[[dict[str, Any]], dict[str, Any]]  # a feed row as /feed shows it
    keep: timedelta  # how long a received delivery's row stays in the outbox
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def run_once(self, limit: int = 100) -> dict[str, int]:
        """Send the due deliveries, up to `limit`; return how many were
        delivered, are to be retried, and went to the dead letters."""
        now = self.clock()
        taken = self.outbox.claim_due(
            stamp(now), stamp(now + timedelta(seconds=self.policy.lease)), limit
        )
        items = {
            row["seq"]: row
            for row in self.feed.items_at(sorted({int(d["seq"]) for d in taken}))
        }
        counts = {"delivered": 0, "retry": 0, "dead": 0}
        for delivery in taken:
            error = self._send(delivery, items.get(int(delivery["seq"])))
            if error is None:
                # Only now: a kill before this sends it again (at least once).
                self.outbox.delivered([delivery["delivery_id"]], stamp(self.clock()))
                counts["delivered"] += 1
                continue
            delay = self.policy.delay_after(int(delivery["attempts"]) + 1)
            retry_at = (
                None
                if delay is None
                else stamp(self.clock() + timedelta(seconds=delay))
            )
            self.outbox.failed(delivery["delivery_id"], error, retry_at)
            counts["retry" if retry_at else "dead"] += 1
        return counts

    def forget_old(self) -> int:
        """Delete the rows of deliveries received longer than `keep` ago;
        return how many."""
        before = self.clock() - self.keep
        return self.outbox.forget_delivered(stamp(before))

    def _send(self, delivery: dict[str, Any], row: dict[str, Any] | None) -> str | None:
        if row is None:
            return "the feed item is missing"
        body = {
            "delivery_id": delivery["delivery_id"],
            "subscription_id": delivery["subscription_id"],
            "item": self.body_of(row),
        }
        data = json.dumps(body, ensure_ascii=False, default=str).encode()
        try:
            secret = self.box.open(delivery["secret"])
        except SealedSecretError as error:
            return str(error)
        now = int(self.clock().timestamp())
        return self.sender.send(
            delivery["url"], delivery["delivery_id"], data, secret, now
        )
