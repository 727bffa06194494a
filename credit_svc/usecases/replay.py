"""Answering a keyed write again after its answer was lost, without writing.

A request under an Idempotency-Key notes its log positions with its events
(adapters/idempotency_store.py). When the process dies before the answer is
kept, the retry runs the same handler again against the log as it stood
before the first attempt: every aggregate the first attempt wrote is read
back at its version before those events, and a save that makes the same
events as were committed takes the committed ones instead of appending. So
the handler builds the answer it built the first time (the first attempt's
ids, times and positions), and nothing is written twice.

A save that would write anything the first attempt did not is refused: the
first request is recorded, and only an answer that rebuilds it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Notification, Recording
from eventsourcing.utils import get_topic

from credit_svc.domain.errors import LifecycleConflictError


class ReplayMismatchError(LifecycleConflictError):
    """The retry would write what its first attempt did not: 409."""


@dataclass
class Replay:
    """The events a keyed request's first attempt committed, by aggregate."""

    committed: dict[tuple[UUID, int], Notification] = field(default_factory=dict)

    @classmethod
    def of(cls, notifications: Iterable[Notification]) -> Replay:
        """Return the replay of the notifications the first attempt appended."""
        return cls(
            {
                (UUID(str(n.originator_id)), n.originator_version): n
                for n in notifications
            }
        )

    def version_before(self, aggregate_id: UUID) -> int | None:
        """Return the aggregate's version before the first attempt wrote to
        it, or None if the first attempt did not write to it."""
        versions = [v for (i, v) in self.committed if i == aggregate_id]
        return min(versions) - 1 if versions else None

    def recordings(
        self, events: Sequence[Any], in_log: Callable[[UUID, int], bool]
    ) -> list[Recording[UUID]]:
        """Return the first attempt's recordings of these events (as pending
        again). An event whose place the log held before the first attempt
        fails as its append would (IntegrityError); any other is refused."""
        recordings = []
        for event in events:
            key = (UUID(str(event.originator_id)), event.originator_version)
            notification = self.committed.get(key)
            if notification is None and in_log(*key):
                raise IntegrityError(key)
            if notification is None or notification.topic != get_topic(type(event)):
                msg = (
                    "this Idempotency-Key's request was recorded, and its "
                    "answer cannot be rebuilt: read the resource instead"
                )
                raise ReplayMismatchError(msg)
            recordings.append(Recording(event, notification))
        return recordings


# The replay the current request runs under, if it is one.
REPLAYING: ContextVar[Replay | None] = ContextVar("credit_svc_replaying", default=None)
