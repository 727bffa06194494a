"""What the projector reads: an application's event log, or an export of one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from eventsourcing.persistence import Mapper, Notification


class NotificationReader(Protocol):
    """The one recorder method the projector reads the event log with."""

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """Return events in log order."""

    def max_notification_id(self) -> int | None:
        """Return the position of the last event, if there is one."""


class EventSource(Protocol):
    """An application, or an exported log standing in for one (see exported_log.py)."""

    @property
    def name(self) -> str:
        """Return the name the view tracks its position under."""

    @property
    def recorder(self) -> NotificationReader:
        """Return the reader of the event log."""

    @property
    def mapper(self) -> Mapper[Any]:
        """Return the mapper that turns stored events into domain events."""
