"""Grade answers are reused only while the view they were read from is unchanged:
a projected write, a catch-up of the projector process and a rebuild that
replaces the view each make the next answer a fresh read."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc import create_app
from credit_svc.adapters import postgres_listener
from credit_svc.cli import main
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


def test_a_write_shows_in_the_next_grade_before_its_notice_arrives(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(client)
    before = client.get(GRADE).json
    # PostgreSQL: the commit's notice is late (no-op on SQLite, which asks the file)
    monkeypatch.setattr(postgres_listener, "_readable", lambda _: False)

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


def test_a_write_about_one_enterprise_keeps_the_answers_about_others(
    client: FlaskClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(client)
    register(client, MIANYANG)
    other = f"/enterprises/{MIANYANG}/grade"
    batch = {"credit_codes": [YANTAI, MIANYANG], "as_of": "2026-06-01"}
    kept = (client.get(GRADE).json, client.post("/grades/batch", json=batch).json)
    before = client.get(other).json
    asked: list[str] = []
    grades_on = services.view.grades.grades_on

    def counted(codes: list[str], *args: Any) -> Any:
        asked.extend(codes)
        return grades_on(codes, *args)

    monkeypatch.setattr(services.view.grades, "grades_on", counted)

    post_record(client, "bad_credit", MIANYANG)
    deadline = time.monotonic() + NOTICE_WAIT  # the version moves (PostgreSQL: notice)
    while client.get(other).json == before and time.monotonic() < deadline:
        time.sleep(0.005)
    after = (client.get(GRADE).json, client.post("/grades/batch", json=batch).json)

    assert after[0] == kept[0]  # Yantai's kept answer: not read again
    assert after[1]["grades"][0] == kept[1]["grades"][0]
    assert float(after[1]["grades"][1]["score"]) < float(before["score"])
    assert YANTAI not in asked
    assert MIANYANG in asked


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
