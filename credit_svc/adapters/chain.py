"""The hash chain: each stored event's link commits to every event before it.

link(n) = SHA-256(link(n-1) || "position|originator_id|version|topic|" || state)

The position is in the hash so that moving an event (reordering) breaks the
chain as surely as editing it. Pure functions only: the SQL lives elsewhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
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
    saved: Head | Sequence[Head] | None = None,
    *,
    contiguous: bool = False,
) -> Verdict:
    """Walk the stored events and chain links in position order together.

    Finds the first position where an event was edited, moved or deleted, where
    an event has no link (written around the chain), or where the log no longer
    reaches or matches a head saved earlier (a cut or rewritten tail): any
    number of them, such as the signed checkpoints an auditor kept. With
    `contiguous` (a store that numbers its events without gaps, as SQLite's
    does), a position skipped is a deletion even where the links were all
    written again around it.
    """
    heads = [saved] if isinstance(saved, Head) else sorted(saved or (), key=_at)
    heads = [h for h in heads if h.position > 0]  # the genesis: nothing to reach
    walk = _Walk(heads, contiguous)
    problem = walk.run(iter(events), chain)
    if problem is None:
        return Verdict(walk.checked, walk.head)
    return Verdict(walk.checked, walk.head, *problem)


def _at(head: Head) -> int:
    return head.position


class _Walk:
    """The state of one verification: links checked so far and the last good one."""

    def __init__(self, saved: list[Head], contiguous: bool) -> None:
        self.checked = 0
        self.head: Head | None = None
        self.previous = GENESIS
        self.saved = saved  # by position; each is passed or matched in turn
        self.contiguous = contiguous

    def run(
        self, events: Iterator[StoredEventRow], chain: Iterable[tuple[int, str]]
    ) -> tuple[int, str] | None:
        """Return (position, problem) of the first break, or None."""
        pending = next(events, None)
        for position, stored_hash in chain:
            problem = self._step(pending, position, stored_hash)
            if problem:
                return problem
            pending = next(events, None)
        if pending is not None:
            return pending.position, "event has no chain link"
        end = self.head.position if self.head else 0
        if self.saved:
            beyond = self.saved[-1].position
            return end + 1, f"log ends at {end}, before the saved head {beyond}"
        return None

    def _step(
        self, event: StoredEventRow | None, position: int, stored_hash: str
    ) -> tuple[int, str] | None:
        """Check one link against its event; advance the head when it holds."""
        if event is not None and event.position < position:
            return event.position, "event has no chain link"
        if event is None or event.position != position:
            return position, "event is missing"
        expected = (self.head.position if self.head else 0) + 1
        if self.contiguous and position != expected:
            last = position - 1
            gap = f"{expected}" if last == expected else f"{expected} to {last}"
            return expected, f"position {gap} missing from a gapless log"
        self.previous = link(self.previous, event)
        if self.previous.hex() != stored_hash:
            return position, "event or link does not match"
        while self.saved and self.saved[0].position <= position:
            saved = self.saved.pop(0)
            if saved.position < position or saved.hash != stored_hash:
                return saved.position, "log differs from the saved head"
        self.checked, self.head = self.checked + 1, Head(position, stored_hash)
        return None
