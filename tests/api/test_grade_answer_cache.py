"""Grade answers are reused only while the view they were read from is unchanged:
a projected write, a catch-up of the projector process and a rebuild that
replaces the view each make the next answer a fresh read."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.sqlite import SQLiteDatastore
from flask import Flask
from flask.testing import FlaskClient

from credit_svc import create_app
from credit_svc.api.answer_cache import AnswerCache
from credit_svc.cli import main
from credit_svc.projections.sqlite_probe import ChangeProbe
from credit_svc.projections.views import SQLiteGradeView
from credit_svc.services import Services
from tests.factories import MIANYANG, YANTAI, overwrite_grades, post_record, register

GRADE = f"/enterprises/{YANTAI}/grade"
NOTICE_WAIT = 0.5  # seconds: a change committed elsewhere is announced (PostgreSQL)


def _changed_grade(client: FlaskClient, before: dict[str, Any]) -> dict[str, Any]:
    """Read the grade until it differs from `before`, for at most NOTICE_WAIT:
    on PostgreSQL a commit by another connection reaches this worker as a
    notice a moment later (well under the one-second recheck)."""
    deadline = time.monotonic() + NOTICE_WAIT
    answer = client.get(GRADE).json
    while answer == before and time.monotonic() < deadline:
        time.sleep(0.005)
        answer = client.get(GRADE).json
    assert isinstance(answer, dict)
    return answer


def test_an_acknowledged_write_shows_in_the_next_grade(client: FlaskClient) -> None:
    register(client)
    before = client.get(GRADE).json

    post_record(client, "bad_credit")
    after = client.get(GRADE).json

    assert float(after["score"]) < float(before["score"])


def test_a_batch_follows_each_write_and_keeps_no_error(client: FlaskClient) -> None:
    register(client)
    batch = {"credit_codes": [YANTAI, MIANYANG], "as_of": "2026-06-01"}
    first = [client.post("/grades/batch", json=batch).json for _ in "xy"]

    post_record(client, "bad_credit")
    register(client, MIANYANG)
    after = client.post("/grades/batch", json=batch).json

    assert first[0] == first[1]
    assert [e["credit_code"] for e in first[0]["errors"]] == [MIANYANG]
    assert [g["credit_code"] for g in after["grades"]] == [YANTAI, MIANYANG]
    assert after["errors"] == []
    assert float(after["grades"][0]["score"]) < float(first[0]["grades"][0]["score"])


def test_a_write_through_another_worker_shows_in_the_next_grade(
    config: dict[str, Any], client: FlaskClient
) -> None:
    other_worker = create_app(config)
    try:
        writer = other_worker.test_client()
        writer.environ_base["HTTP_AUTHORIZATION"] = client.environ_base[
            "HTTP_AUTHORIZATION"
        ]
        register(client)
        before = [client.get(GRADE).json for _ in "xy"]

        post_record(writer, "bad_credit")
        after = _changed_grade(client, before[0])
    finally:
        other_worker.extensions["credit_svc"].close()

    assert before[0] == before[1]
    assert float(after["score"]) < float(before[0]["score"])


@pytest.fixture
def lagging(config: dict[str, Any]) -> Iterator[Flask]:
    """The app with projection left to a separate process."""
    flask_app = create_app(config | {"PROJECT_IN_REQUEST": False})
    yield flask_app
    flask_app.extensions["credit_svc"].close()


def test_answers_follow_the_projector_process(lagging: Flask) -> None:
    bureau = lagging.test_client()
    bureau.environ_base["HTTP_AUTHORIZATION"] = (
        f"Bearer {lagging.config['TEST_BUREAU_TOKEN']}"
    )
    register(bureau)
    runner = lagging.test_cli_runner()
    runner.invoke(main, ["project"])
    first = bureau.get(GRADE).json

    post_record(bureau, "bad_credit")
    unprojected = bureau.get(GRADE).json
    runner.invoke(main, ["project"])
    projected = _changed_grade(bureau, first)

    assert unprojected == first  # the view has not moved: the same answer
    assert float(projected["score"]) < float(first["score"])


def test_a_rebuild_that_replaces_the_view_is_seen_at_the_same_position(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    register(client)
    post_record(client, "good_credit")
    overwrite_grades(services, "C")
    tampered = client.get(GRADE).json
    position, _ = services.view.version(services.app.name)

    app.test_cli_runner().invoke(main, ["rebuild", "--apply"])
    repaired = _changed_grade(client, tampered)

    assert tampered["grade"] == "C"
    assert services.view.version(services.app.name)[0] == position
    assert repaired["grade"] != "C"


def test_answers_differ_by_query_and_bad_queries_are_not_kept(
    client: FlaskClient,
) -> None:
    register(client)
    dated = client.get(GRADE, query_string={"as_of": "2026-01-01"})
    bad = [client.get(GRADE, query_string={"as_of": "2026-13-01"}) for _ in "xy"]
    today = client.get(GRADE)

    assert dated.json["as_of"] == "2026-01-01"
    assert today.json["as_of"] != "2026-01-01"
    assert [b.status_code for b in bad] == [422, 422]
    assert bad[1].json["errors"] == {"query": {"as_of": ["Not a valid date."]}}


def test_the_sqlite_probe_keeps_a_value_until_a_commit(tmp_path: Path) -> None:
    path = str(tmp_path / "probe.sqlite3")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (n INTEGER)")
    probe = ChangeProbe(path)
    reads = iter(range(10))
    try:
        first = probe.unless_changed("k", lambda: next(reads))
        kept = probe.unless_changed("k", lambda: next(reads))
        writer.execute("INSERT INTO t VALUES (1)")
        after_commit = probe.unless_changed("k", lambda: next(reads))
        other_key = probe.unless_changed("other", lambda: next(reads))
    finally:
        probe.close()
        writer.close()

    assert (first, kept, after_commit, other_key) == (0, 0, 1, 2)


def test_an_in_memory_view_reads_its_version_every_time() -> None:
    view = SQLiteGradeView(SQLiteDatastore("file:versions?mode=memory&cache=shared"))
    view.create_table()
    try:
        first = view.version("app")
        with view.datastore.transaction(commit=True) as cursor:
            view.set_position(cursor, "app", 7)
        moved = view.version("app")
    finally:
        view.close()

    assert (first, moved) == ((0, ""), (7, ""))


def test_the_cache_drops_everything_at_a_new_version_and_stays_bounded() -> None:
    cache = AnswerCache[bytes](max_answers=2)
    v1, v2 = (1, ""), (2, "")

    assert cache.get("a", v1) is None
    cache.put("a", v1, b"A")
    cache.put("b", v1, b"B")
    kept = cache.get("a", v1)
    cache.put("c", v1, b"C")  # full: starts again rather than grow
    after_overflow = (cache.get("a", v1), cache.get("c", v1))
    at_v2 = cache.get("c", v2)
    cache.put("late", v1, b"L")  # read at an older version: not kept

    assert kept == b"A"
    assert after_overflow == (None, b"C")
    assert at_v2 is None
    assert cache.get("late", v2) is None


def test_with_nothing_kept_the_view_version_is_not_read() -> None:
    reads: list[int] = []

    def read_version() -> tuple[int, str]:
        reads.append(1)
        return (5, "")

    keeping, keeping_none = AnswerCache[bytes](1), AnswerCache[bytes](0)

    assert keeping.current_version(read_version) == (5, "")
    assert keeping_none.current_version(read_version) != (5, "")
    assert reads == [1]


def test_with_no_answers_kept_each_grade_is_read_afresh(
    bureau_with: Callable[..., FlaskClient],
) -> None:
    bureau = bureau_with(ANSWER_CACHE_SIZE=0)
    register(bureau)
    batch = {"credit_codes": [YANTAI]}
    before = (bureau.get(GRADE).json, bureau.post("/grades/batch", json=batch).json)

    post_record(bureau, "bad_credit")
    after = (bureau.get(GRADE).json, bureau.post("/grades/batch", json=batch).json)

    assert before[1]["grades"] == [before[0]]
    assert after[1]["grades"] == [after[0]]
    assert float(after[0]["score"]) < float(before[0]["score"])
