"""PROJECT_IN_REQUEST off: writes answer from their aggregate, reads follow the
projector process, and access checks do not depend on the lagging view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc import create_app
from credit_svc.cli import main
from credit_svc.usecases.api_keys import issue_key
from tests.factories import YANTAI, post_record, record_body, register


@pytest.fixture
def lagging(config: dict[str, Any]) -> Iterator[Flask]:
    """The app with projection left to a separate process."""
    flask_app = create_app(config | {"PROJECT_IN_REQUEST": False})
    yield flask_app
    flask_app.extensions["credit_svc"].close()


def _caller(app: Flask, token: str) -> FlaskClient:
    caller = app.test_client()
    caller.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return caller


def test_writes_answer_at_once_and_reads_follow_the_projector(
    lagging: Flask,
) -> None:
    bureau = _caller(lagging, lagging.config["TEST_BUREAU_TOKEN"])

    registered = register(bureau)
    posted = post_record(bureau, "good_credit")
    before = bureau.get(f"/enterprises/{YANTAI}")
    projected = lagging.test_cli_runner().invoke(main, ["project"])
    after = bureau.get(f"/enterprises/{YANTAI}/records")

    assert (registered.status_code, posted.status_code) == (201, 201)
    assert posted.json["details"]["title"] == "省级示范"
    assert before.status_code == 404  # not projected yet
    assert projected.output == "applied 3 events\n"
    assert [r["record_id"] for r in after.json] == [posted.json["record_id"]]


def test_the_jurisdiction_check_holds_while_the_view_lags(lagging: Flask) -> None:
    bureau = _caller(lagging, lagging.config["TEST_BUREAU_TOKEN"])
    register(bureau)
    _, token = issue_key(
        lagging.extensions["credit_svc"].app, "绵阳", "bureau", "测试住建局", ["5107"]
    )

    answer = _caller(lagging, token).post(
        f"/enterprises/{YANTAI}/records/bad-credit-records",
        json=record_body("bad_credit"),
    )

    assert answer.status_code == 403


def test_a_projector_failure_after_the_commit_still_acknowledges_the_write(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(client)
    projector = app.extensions["credit_svc"].projector

    def broken(*_args: Any, **_kwargs: Any) -> int:
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(projector, "catch_up", broken)
    posted = post_record(client, "bad_credit")
    lagging_view = client.get(f"/enterprises/{YANTAI}/records")
    monkeypatch.undo()
    next_write = post_record(client, "good_credit")
    caught_up = client.get(f"/enterprises/{YANTAI}/records")

    assert posted.status_code == 201
    assert lagging_view.json == []
    assert next_write.status_code == 201
    assert [r["record_id"] for r in caught_up.json] == [
        posted.json["record_id"],
        next_write.json["record_id"],
    ]


def test_a_database_never_initialised_answers_503_naming_the_step(
    uninitialised_app: Flask,
) -> None:
    answer = uninitialised_app.test_client().get(f"/enterprises/{YANTAI}/grade")

    assert answer.status_code == 503
    assert "credit-svc init" in answer.json["message"]
