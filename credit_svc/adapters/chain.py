"""The hash chain: each stored event's link commits to every event before it.

link(n) = SHA-256(link(n-1) || "position|originator_id|version|topic|" || state)

The position is in the hash so that moving an event (reordering) breaks the
chain as surely as editing it. Pure functions only: the SQL lives elsewhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final
from uuid import UUID

GENESIS: Final = bytes(32)


@dataclass(frozen=True)
class StoredEventRow:
    """One row of the event log as stored."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class Head:
    """The chain's last link: what an auditor saves to detect a cut tail later."""

    position: int
    hash: str  # hex


def link(previous: bytes, event: StoredEventRow) -> bytes:
    """Return the chain link of the event after the previous link."""
    header = (
        f"{event.position}|{event.originator_id}|"
        f"{event.originator_version}|{event.topic}|"
    ).encode()
    return hashlib.sha256(previous + header + event.state).digest()


def links(previous: bytes, events: Iterable[StoredEventRow]) -> Iterator[bytes]:
    """Yield the link of each event in turn, starting after `previous`."""
    for event in events:
        previous = link(previous, event)
        yield previous


@dataclass(frozen=True)
class Verdict:
    """What a verification found: intact, or the first broken position and why."""

    checked: int
    head: Head | None
    broken_at: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        """Tell whether nothing was found wrong."""
        return self.broken_at is None


def verify(
    events: Iterable[StoredEventRow],
    chain: Iterable[tuple[int, str]],
    saved_head: Head | None = None,
) -> Verdict:
    """Walk the stored events and chain links in position order together.

    Finds the first position where an event was edited, moved or deleted, where
    an event has no link (written around the chain), or where the log no longer
    reaches or matches a head saved earlier (a cut or rewritten tail).
    """
    walk = _Walk()
    problem = walk.run(iter(events), chain, saved_head)
    if problem is None:
        return Verdict(walk.checked, walk.head)
    return Verdict(walk.checked, walk.head, *problem)


class _Walk:
    """The state of one verification: links checked so far and the last good one."""

    def __init__(self) -> None:
        self.checked = 0
        self.head: Head | None = None
        self.previous = GENESIS

    def run(
        self,
        events: Iterator[StoredEventRow],
        chain: Iterable[tuple[int, str]],
        saved_head: Head | None,
    ) -> tuple[int, str] | None:
        """Return (position, problem) of the first break, or None."""
        pending = next(events, None)
        for position, stored_hash in chain:
            problem = self._step(pending, position, stored_hash, saved_head)
            if problem:
                return problem
            pending = next(events, None)
        if pending is not None:
            return pending.position, "event has no chain link"
        end = self.head.position if self.head else 0
        if saved_head and end < saved_head.position:
            return (
                end + 1,
                f"log ends at {end}, before the saved head {saved_head.position}",
            )
        return None

    def _step(
        self,
        event: StoredEventRow | None,
        position: int,
        stored_hash: str,
        saved_head: Head | None,
    ) -> tuple[int, str] | None:
        """Check one link against its event; advance the head when it holds."""
        if event is not None and event.position < position:
            return event.position, "event has no chain link"
        if event is None or event.position != position:
            return position, "event is missing"
        self.previous = link(self.previous, event)
        if self.previous.hex() != stored_hash:
            return position, "event or link does not match"
        if saved_head and _contradicts(saved_head, self.head, position, stored_hash):
            return saved_head.position, "log differs from the saved head"
        self.checked, self.head = self.checked + 1, Head(position, stored_hash)
        return None


def _contradicts(
    saved: Head, before: Head | None, position: int, stored_hash: str
) -> bool:
    """Tell whether this link disagrees with the saved head or steps over it."""
    if position == saved.position:
        return stored_hash != saved.hash
    stepped_over = before is None or before.position < saved.position
    return position > saved.position and stepped_over
