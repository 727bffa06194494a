"""The answer cache's parts on their own: the SQLite probe, in-memory views, the
cache's bounds, and a view whose version is never read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from credit_svc.adapters.sqlite_change_cache import SQLiteChangeCache
from credit_svc.api.answer_cache import AnswerCache
from credit_svc.projections.view import open_view


def test_the_sqlite_probe_keeps_a_value_until_a_commit(tmp_path: Path) -> None:
    path = str(tmp_path / "probe.sqlite3")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (n INTEGER)")
    probe = SQLiteChangeCache(path)
    reads = iter(range(10))
    try:
        first = probe.cached("k", lambda: next(reads))
        kept = probe.cached("k", lambda: next(reads))
        writer.execute("INSERT INTO t VALUES (1)")
        after_commit = probe.cached("k", lambda: next(reads))
        other_key = probe.cached("other", lambda: next(reads))
    finally:
        probe.close()
        writer.close()

    assert (first, kept, after_commit, other_key) == (0, 0, 1, 2)


def test_an_in_memory_view_reads_its_version_every_time() -> None:
    view = open_view(
        {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": "file:versions?mode=memory&cache=shared",
            "CREATE_TABLE": "y",
        }
    )
    try:
        first = view.version("app")
        with view.db.datastore.transaction(commit=True) as cursor:
            view.db.set_position(cursor, "app", 7)
        moved = view.version("app")
    finally:
        view.close()

    assert (first, moved) == ((0, ""), (7, ""))


def test_the_cache_drops_everything_at_a_new_version_and_stays_bounded() -> None:
    cache = AnswerCache[bytes](max_answers=2)  # no way to tell what changed
    v1, v2 = (1, ""), (2, "")

    assert cache.get(("a",), v1) is None
    cache.put(("a",), v1, b"A")
    cache.put(("b",), v1, b"B")
    kept = cache.get(("a",), v1)
    cache.put(("c",), v1, b"C")  # full: starts again rather than grow
    after_overflow = (cache.get(("a",), v1), cache.get(("c",), v1))
    at_v2 = cache.get(("c",), v2)
    cache.put(("late",), v1, b"L")  # read at an older version: not kept

    assert kept == b"A"
    assert after_overflow == (None, b"C")
    assert at_v2 is None
    assert cache.get(("late",), v2) is None


def test_a_new_version_drops_only_the_answers_about_enterprises_it_changed() -> None:
    asked: list[tuple[int, int]] = []

    def changed(after: int, upto: int) -> set[str] | None:
        asked.append((after, upto))
        return {"A"} if upto < 9 else None  # None: more than it looks at

    cache = AnswerCache[bytes](max_answers=10, changed_codes=changed)
    cache.get(("A", "2026-06-01"), (1, "g"))  # the version read first, as a GET does
    for code in "AB":
        for day in ("2026-06-01", "2026-01-01"):
            cache.put((code, day), (1, "g"), code.encode())

    at_3 = [cache.get((c, day), (3, "g")) for c in "AB" for day in ("2026-06-01",)]
    kept_at_3 = cache.count
    other_generation = cache.get(("B", "2026-06-01"), (3, "h"))
    cache.put(("B", "2026-06-01"), (3, "h"), b"B")
    cannot_tell = cache.get(("B", "2026-06-01"), (9, "h"))
    cache.put(("B", "2026-06-01"), (9, "h"), b"B")
    backwards = cache.get(("B", "2026-06-01"), (4, "h"))

    assert at_3 == [None, b"B"]  # A changed after position 1, B did not
    assert kept_at_3 == 2  # both of B's days
    assert (other_generation, cannot_tell, backwards) == (None, None, None)
    assert asked == [(1, 3), (3, 9)]  # never across generations or backwards
    assert cache.count == 0


def test_with_nothing_kept_the_view_version_is_not_read() -> None:
    reads: list[int] = []

    def read_version() -> tuple[int, str]:
        reads.append(1)
        return (5, "")

    keeping, keeping_none = AnswerCache[bytes](1), AnswerCache[bytes](0)

    assert keeping.current_version(read_version) == (5, "")
    assert keeping_none.current_version(read_version) != (5, "")
    assert reads == [1]
