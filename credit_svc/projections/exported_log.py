"""An exported event log, read the way the projector reads the event store.

`credit-svc replay` projects an export without loading it into a database:
these two classes answer the few calls the projector makes of an application.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Mapper, Notification

from credit_svc.adapters.chain import StoredEventRow


class ExportedLog:
    """An export's events, read the way the projector reads the event store."""

    def __init__(self, events: Sequence[StoredEventRow]) -> None:
        self.notifications = [
            Notification(
                id=e.position,
                originator_id=e.originator_id,
                originator_version=e.originator_version,
                topic=e.topic,
                state=e.state,
            )
            for e in sorted(events, key=lambda e: e.position)
        ]

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> list[Notification]:
        """Return up to `limit` events from `start` to `stop` with the topics."""
        low = (start or 0) + (0 if inclusive_of_start else 1)
        wanted = [
            n
            for n in self.notifications
            if n.id >= low
            and (stop is None or n.id <= stop)
            and (not topics or n.topic in topics)
        ]
        return wanted[:limit]

    def max_notification_id(self) -> int | None:
        """Return the position of the export's last event, if it has any."""
        return self.notifications[-1].id if self.notifications else None


@dataclass
class ExportSource:
    """What the projector needs of an application, served from an export."""

    recorder: ExportedLog
    mapper: Mapper[Any]
    name: str = "replay"
