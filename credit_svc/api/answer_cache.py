"""Grade answers kept per worker while the view they were read from is unchanged.

A tender platform asks for the same bidders' grades again and again while a
tender is open, and the view changes only when the projector moves on or a
rebuild replaces it. So each grade request takes the view's version (its log
position and generation) and reuses the answer read for the same enterprise
and day at that version (a single grade's JSON, or a batch item as the grade
schema dumps it). Writes are projected before they are acknowledged (or by the
projector process, after which readers see them as soon as it commits).

The version itself is kept until the database says the view changed: on
SQLite a PRAGMA on every request (sqlite_probe.py), so a kept answer is never
older than an uncached read; on PostgreSQL a notice the commit sends
(postgres_notices.py), which arrives a moment after the commit, and at the
latest a second later the version is read again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Version = tuple[int, str]
T = TypeVar("T")
NOTHING_KEPT: Version = (-1, "")  # stands in for the view's version when 0 are kept


class AnswerCache(Generic[T]):
    """Answers by key, all read at one version of the view (at most
    `max_answers` of them; 0 keeps none)."""

    def __init__(self, max_answers: int) -> None:
        self.max_answers = max_answers
        self.version: Version | None = None
        self.answers: dict[Hashable, T] = {}

    def current_version(self, read_version: Callable[[], Version]) -> Version:
        """Return the view's version, read only when answers are kept at all
        (with none kept, reading it would be a statement per request for nothing)."""
        return read_version() if self.max_answers > 0 else NOTHING_KEPT

    def answer(self, key: Hashable, version: Version, read: Callable[[], T]) -> T:
        """Return the answer kept for the key at this version, or read it
        (after the version was read) and keep it."""
        kept = self.get(key, version)
        if kept is None:
            kept = read()
            self.put(key, version, kept)
        return kept

    def get(self, key: Hashable, version: Version) -> T | None:
        """Return the answer kept for the key, if it was read at this version.

        A new version drops every answer: any of them may have changed.
        """
        if version != self.version:
            self.answers.clear()
            self.version = version
            return None
        return self.answers.get(key)

    def put(self, key: Hashable, version: Version, answer: T) -> None:
        """Keep an answer read at the version (read after the version was)."""
        if version != self.version:
            return  # the view moved on while it was read: the next get drops it
        if self.max_answers <= 0:
            return
        if len(self.answers) >= self.max_answers:
            self.answers.clear()  # cheaper than ordering entries by use
        self.answers[key] = answer
