"""Grade answers cached per worker while the view they were read from is unchanged.

A tender platform asks for the same bidders' grades again and again while a
tender is open, and the view changes only when the projector moves on or a
rebuild replaces it. So each grade request takes the view's version (its log
position and generation) and reuses the answer read for the same enterprise
and day (a single grade's JSON, or a batch item as the grade schema dumps it)
while no event since has changed that enterprise: an event changes the view's
rows of its own enterprise only, and the view's audit table says which
enterprise each event was about. Bureaus write all day: dropping every cached
answer at each write left a grade load at 20 writes a second with under half
of its throughput (0.32 to 0.48 of the same load without writes, against
0.72 to 0.81 when only the written firm's answers go).
Writes are projected before they are acknowledged (or by the projector
process, after which readers see them as soon as it commits).

The version itself is cached until the database says the view changed: on
SQLite a PRAGMA on every request (sqlite_change_cache.py), so a cached answer is never
older than an uncached read; on PostgreSQL a notice the commit sends
(postgres_listener.py), which arrives a moment after the commit, and at the
latest a second later the version is read again. A worker's own writes are
seen at once: each drops the worker's cached version (GradeView.written).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from typing import Generic, TypeVar

from credit_svc.adapters.metrics import ANSWER_CACHE

Version = tuple[int, str]
T = TypeVar("T")
NOTHING_CACHED: Version = (-1, "")  # stands in for the view's version when 0 are cached
# The enterprises the view's events after one position up to another changed,
# or None when that cannot be told (see GradeQueries.codes_changed).
ChangedCodes = Callable[[int, int], Collection[str] | None]
Key = tuple[str, *tuple[Hashable, ...]]  # the credit code, then what else tells


class AnswerCache(Generic[T]):
    """Answers by key, a tuple whose first item is the credit code the answer
    is about, all good at one version of the view (at most `max_answers` of
    them; 0 keeps none)."""

    def __init__(
        self, max_answers: int, changed_codes: ChangedCodes | None = None
    ) -> None:
        self.max_answers = max_answers
        self.changed_codes = changed_codes
        self.version: Version | None = None
        self.by_code: dict[str, dict[Key, T]] = {}
        self.count = 0

    def current_version(self, read_version: Callable[[], Version]) -> Version:
        """Return the view's version, read only when answers are cached at all
        (with none cached, reading it would be a statement per request for nothing)."""
        return read_version() if self.max_answers > 0 else NOTHING_CACHED

    def answer(self, key: Key, version: Version, read: Callable[[], T]) -> T:
        """Return the answer cached for the key at this version, or read it
        (after the version was read) and keep it."""
        cached = self.get(key, version)
        if cached is None:
            ANSWER_CACHE.labels("miss").inc()
            cached = read()
            self.put(key, version, cached)
        else:
            ANSWER_CACHE.labels("hit").inc()
        return cached

    def get(self, key: Key, version: Version) -> T | None:
        """Return the answer cached for the key, if still good at this version.

        A new version drops the answers about the enterprises its events
        changed since the last one, and every answer when that cannot be told
        (another generation, or changed_codes cannot say).
        """
        if version != self.version:
            self._move_to(version)
        return self.by_code.get(key[0], {}).get(key)

    def put(self, key: Key, version: Version, answer: T) -> None:
        """Keep an answer read at the version (read after the version was)."""
        if version != self.version:
            return  # the view moved on while it was read: the next get drops it
        if self.max_answers <= 0:
            return
        if self.count >= self.max_answers:
            self.by_code, self.count = {}, 0  # cheaper than ordering by use
        mine = self.by_code.setdefault(key[0], {})
        self.count += key not in mine
        mine[key] = answer

    def _move_to(self, version: Version) -> None:
        old, self.version = self.version, version
        changed = None
        if old is not None and self.changed_codes is not None:
            same_generation = old[1] == version[1] and old[0] <= version[0]
            changed = (
                self.changed_codes(old[0], version[0]) if same_generation else None
            )
        if changed is None:
            self.by_code, self.count = {}, 0
            return
        for code in changed:
            self.count -= len(self.by_code.pop(code, {}))
