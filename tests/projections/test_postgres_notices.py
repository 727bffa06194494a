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

from credit_svc.projections.kept_versions import KeptUntilChanged
from credit_svc.projections.postgres_notices import (
    NOTICE_TRIGGER,
    RECHECK_SECONDS,
    RETRY_SECONDS,
    ChangeNotices,
    channel_of,
)
from credit_svc.projections.postgres_view import PostgresGradeView
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
def view(services: Services) -> PostgresGradeView:
    """Return the live PostgreSQL view of the test's schema."""
    assert isinstance(services.view, PostgresGradeView)
    return services.view


@pytest.fixture
def notices(view: PostgresGradeView) -> Iterator[tuple[ChangeNotices, Clock]]:
    """Return notices on the view's channel, on a clock that stands still."""
    clock = Clock()
    kept = ChangeNotices(view._listener, channel_of(view.datastore.schema), clock)
    yield kept, clock
    kept.close()


def _reads() -> Callable[[], int]:
    count = iter(range(100))
    return lambda: next(count)


def _move(view: PostgresGradeView, position: int) -> None:
    with view.datastore.transaction(commit=True) as cursor:
        view.set_position(cursor, "elsewhere", position)


def _until_read_again(kept: KeptUntilChanged, read: Callable[[], int], old: int) -> int:
    """Ask for up to half the recheck time (the clock stands still anyway)."""
    deadline = time.monotonic() + RECHECK_SECONDS / 2
    value = kept.unless_changed("k", read)
    while value == old and time.monotonic() < deadline:
        time.sleep(0.001)
        value = kept.unless_changed("k", read)
    return int(value)


def test_a_kept_value_is_read_again_once_a_commit_is_announced(
    view: PostgresGradeView, notices: tuple[ChangeNotices, Clock]
) -> None:
    kept, _ = notices
    read = _reads()
    first = kept.unless_changed("k", read)
    again = kept.unless_changed("k", read)

    _move(view, 7)  # another connection commits: the trigger announces it
    after = _until_read_again(kept, read, first)

    assert (first, again, after) == (0, 0, 1)


def test_a_value_is_kept_at_most_the_recheck_time_without_notices(
    notices: tuple[ChangeNotices, Clock],
) -> None:
    kept, clock = notices
    read = _reads()
    first = kept.unless_changed("k", read)
    clock.now += RECHECK_SECONDS - 0.01
    within = kept.unless_changed("k", read)
    clock.now += 0.02
    beyond = kept.unless_changed("k", read)

    assert (first, within, beyond) == (0, 0, 1)


def test_a_view_without_the_triggers_is_read_every_time(
    view: PostgresGradeView,
    notices: tuple[ChangeNotices, Clock],
    caplog: pytest.LogCaptureFixture,
) -> None:
    kept, clock = notices
    with view.datastore.transaction(commit=True) as cursor:
        cursor.execute(f"DROP TRIGGER {NOTICE_TRIGGER} ON {view.tracking_table}")
    read = _reads()

    with caplog.at_level(logging.WARNING):
        values = [kept.unless_changed("k", read) for _ in range(3)]
        clock.now += RETRY_SECONDS  # it tries again, and says so only once
        values.append(kept.unless_changed("k", read))

    assert values == [0, 1, 2, 3]
    assert caplog.text.count("run `credit-svc init`") == 1


def test_a_lost_listener_means_reading_again_then_listening_again(
    view: PostgresGradeView, notices: tuple[ChangeNotices, Clock]
) -> None:
    kept, _ = notices
    read = _reads()
    first = kept.unless_changed("k", read)
    _terminate_listeners(view)

    # libpq reads the server's goodbye first and the closed socket later.
    noticed = _until_read_again(kept, read, first)
    listening = kept.unless_changed("k", read)  # a new connection listens
    kept_again = kept.unless_changed("k", read)
    _move(view, 9)
    after = _until_read_again(kept, read, kept_again)

    assert (first, noticed, listening, kept_again, after) == (0, 1, 2, 2, 3)


def test_values_kept_on_another_channel_are_read_again_on_its_notices_only(
    view: PostgresGradeView, notices: tuple[ChangeNotices, Clock]
) -> None:
    kept, _ = notices
    on_appends = kept.also_on(view.datastore.schema + "_appended")
    read_version, read_key = _reads(), _reads()
    version, key = (
        kept.unless_changed("k", read_version),
        on_appends.unless_changed("k", read_key),
    )

    _move(view, 7)  # the view's channel only
    version_after_move = _until_read_again(kept, read_version, version)
    key_after_move = on_appends.unless_changed("k", read_key)
    _notify(view, view.datastore.schema + "_appended")
    key_after_notice = _until_read_again(on_appends, read_key, key)
    version_after_notice = kept.unless_changed("k", read_version)

    assert (version, version_after_move, version_after_notice) == (0, 1, 1)
    assert (key, key_after_move, key_after_notice) == (0, 0, 1)


def _notify(view: PostgresGradeView, channel: str) -> None:
    with view.datastore.transaction(commit=True) as cursor:
        cursor.execute(f'NOTIFY "{channel}"')


def test_the_live_view_version_follows_a_commit_elsewhere(
    view: PostgresGradeView,
) -> None:
    position, _ = view.version("app")
    _move_live(view, position + 5)
    deadline = time.monotonic() + RECHECK_SECONDS / 2
    while view.version("app")[0] == position and time.monotonic() < deadline:
        time.sleep(0.001)

    assert view.version("app")[0] == position + 5


def _move_live(view: PostgresGradeView, position: int) -> None:
    with view.datastore.transaction(commit=True) as cursor:
        view.set_position(cursor, "app", position)


def _terminate_listeners(view: PostgresGradeView) -> None:
    settings: dict[str, Any] = dict(view.datastore.pool.kwargs)
    settings.pop("row_factory", None)
    listening = f'LISTEN "{channel_of(view.datastore.schema)}"'
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
