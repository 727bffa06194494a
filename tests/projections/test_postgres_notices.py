"""On PostgreSQL a kept view version is read again when a commit announces a
change (triggers NOTIFY, each process LISTENs), and at the latest after
RECHECK_SECONDS; without a listener every call reads."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from credit_svc.adapters.change_cache import ChangeCache
from credit_svc.adapters.postgres_listener import (
    NOTICE_TRIGGER,
    RECHECK_SECONDS,
    RETRY_SECONDS,
    PostgresChangeCache,
    channel_of,
)
from credit_svc.projections.postgres_database import PostgresViewDatabase
from credit_svc.projections.view import GradeView
from credit_svc.services import Services

pytestmark = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


class Clock:
    """A monotonic clock that moves only when told."""

    now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def view(services: Services) -> GradeView:
    """Return the live PostgreSQL view of the test's schema."""
    assert isinstance(services.view.db, PostgresViewDatabase)
    return services.view


@pytest.fixture
def notices(view: GradeView) -> Iterator[tuple[PostgresChangeCache, Clock]]:
    """Return notices on the view's channel, on a clock that stands still."""
    clock = Clock()
    db = view.db
    assert isinstance(db, PostgresViewDatabase)
    kept = PostgresChangeCache(
        db.listener_connection, channel_of(view.db.datastore.schema), clock
    )
    yield kept, clock
    kept.close()


def _reads() -> Callable[[], int]:
    count = iter(range(100))
    return lambda: next(count)


def _move(view: GradeView, position: int) -> None:
    with view.db.datastore.transaction(commit=True) as cursor:
        view.db.set_position(cursor, "elsewhere", position)


def _until_read_again(kept: ChangeCache, read: Callable[[], int], old: int) -> int:
    """Ask for up to half the recheck time (the clock stands still anyway)."""
    deadline = time.monotonic() + RECHECK_SECONDS / 2
    value = kept.cached("k", read)
    while value == old and time.monotonic() < deadline:
        time.sleep(0.001)
        value = kept.cached("k", read)
    return int(value)


def test_a_kept_value_is_read_again_once_a_commit_is_announced(
    view: GradeView, notices: tuple[PostgresChangeCache, Clock]
) -> None:
    kept, _ = notices
    read = _reads()
    first = kept.cached("k", read)
    again = kept.cached("k", read)

    _move(view, 7)  # another connection commits: the trigger announces it
    after = _until_read_again(kept, read, first)

    assert (first, again, after) == (0, 0, 1)


def test_a_value_is_kept_at_most_the_recheck_time_without_notices(
    notices: tuple[PostgresChangeCache, Clock],
) -> None:
    kept, clock = notices
    read = _reads()
    first = kept.cached("k", read)
    clock.now += RECHECK_SECONDS - 0.01
    within = kept.cached("k", read)
    clock.now += 0.02
    beyond = kept.cached("k", read)

    assert (first, within, beyond) == (0, 0, 1)


def test_a_view_without_the_triggers_is_read_every_time(
    view: GradeView,
    notices: tuple[PostgresChangeCache, Clock],
    caplog: pytest.LogCaptureFixture,
) -> None:
    kept, clock = notices
    with view.db.datastore.transaction(commit=True) as cursor:
        cursor.execute(f"DROP TRIGGER {NOTICE_TRIGGER} ON {view.db.tracking_table}")
    read = _reads()

    with caplog.at_level(logging.WARNING):
        values = [kept.cached("k", read) for _ in range(3)]
        clock.now += RETRY_SECONDS  # it tries again, and says so only once
        values.append(kept.cached("k", read))

    assert values == [0, 1, 2, 3]
    assert caplog.text.count("run `credit-svc init`") == 1


def test_a_lost_listener_means_reading_again_then_listening_again(
    view: GradeView, notices: tuple[PostgresChangeCache, Clock]
) -> None:
    kept, _ = notices
    read = _reads()
    first = kept.cached("k", read)
    _terminate_listeners(view)

    # libpq reads the server's goodbye first and the closed socket later.
    noticed = _until_read_again(kept, read, first)
    listening = kept.cached("k", read)  # a new connection listens
    kept_again = kept.cached("k", read)
    _move(view, 9)
    after = _until_read_again(kept, read, kept_again)

    assert (first, noticed, listening, kept_again, after) == (0, 1, 2, 2, 3)


def test_values_kept_on_another_channel_are_read_again_on_its_notices_only(
    view: GradeView, notices: tuple[PostgresChangeCache, Clock]
) -> None:
    kept, _ = notices
    on_appends = kept.also_on(view.db.datastore.schema + "_appended")
    read_version, read_key = _reads(), _reads()
    version, key = (
        kept.cached("k", read_version),
        on_appends.cached("k", read_key),
    )

    _move(view, 7)  # the view's channel only
    version_after_move = _until_read_again(kept, read_version, version)
    key_after_move = on_appends.cached("k", read_key)
    _notify(view, view.db.datastore.schema + "_appended")
    key_after_notice = _until_read_again(on_appends, read_key, key)
    version_after_notice = kept.cached("k", read_version)

    assert (version, version_after_move, version_after_notice) == (0, 1, 1)
    assert (key, key_after_move, key_after_notice) == (0, 0, 1)


def _notify(view: GradeView, channel: str) -> None:
    with view.db.datastore.transaction(commit=True) as cursor:
        cursor.execute(f'NOTIFY "{channel}"')


def test_the_live_view_version_follows_a_commit_elsewhere(
    view: GradeView,
) -> None:
    position, _ = view.version("app")
    _move_live(view, position + 5)
    deadline = time.monotonic() + RECHECK_SECONDS / 2
    while view.version("app")[0] == position and time.monotonic() < deadline:
        time.sleep(0.001)

    assert view.version("app")[0] == position + 5


def _move_live(view: GradeView, position: int) -> None:
    with view.db.datastore.transaction(commit=True) as cursor:
        view.db.set_position(cursor, "app", position)


def _terminate_listeners(view: GradeView) -> None:
    settings: dict[str, Any] = dict(view.db.datastore.pool.kwargs)
    settings.pop("row_factory", None)
    listening = f'LISTEN "{channel_of(view.db.datastore.schema)}"'
    with psycopg.connect(**settings, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = %s",
            (listening,),
        )
        deadline = time.monotonic() + 5  # the backends end a moment later
        while (
            time.monotonic() < deadline
            and admin.execute(
                "SELECT 1 FROM pg_stat_activity WHERE query = %s", (listening,)
            ).fetchone()
        ):
            time.sleep(0.01)
