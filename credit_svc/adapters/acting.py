"""Stamp every stored event with the key that caused it.

The HTTP layer sets `ACTING_KEY` for the request after checking the caller's
key; the mapper writes it into each event's stored state, so the acting key is
covered by the hash chain and shows in exports. Domain events need no field
for it: the library restores unknown stored attributes onto the event object,
where the projector reads it with getattr.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

ACTING_KEY: ContextVar[str] = ContextVar("acting_key", default="")


class ActingMapper(Mapper[UUID]):
    """The library's mapper, adding `acting_key` to each event it stores."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        """Store the event with the acting key of the current request or command."""
        actor = ACTING_KEY.get()
        if actor and "acting_key" not in vars(domain_event):
            object.__setattr__(domain_event, "acting_key", actor)
        return super().to_stored_event(domain_event)
