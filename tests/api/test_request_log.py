"""One log record per request, under the request's id; no secrets in it."""

from __future__ import annotations

import logging
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import YANTAI, register

GRADE = f"/enterprises/{YANTAI}/grade"


def _request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "credit_svc.requests"]


def test_each_request_is_logged_once_with_its_template_and_key(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    register(client)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="credit_svc.requests"):
        answer = client.get(GRADE, headers={"X-Request-ID": "tender-42"})

    records = _request_records(caplog)
    token = app.config["TEST_BUREAU_TOKEN"]
    assert answer.headers["X-Request-ID"] == "tender-42"
    assert len(records) == 1
    record = records[0].__dict__
    assert record["request_id"] == "tender-42"
    assert (record["method"], record["status"]) == ("GET", 200)
    assert record["path"] == "/enterprises/<credit_code>/grade"  # not the code
    assert record["key_id"] == str(uuid.UUID(token.split("_")[1]))
    assert token.split("_")[2] not in str(record)  # never the secret
    assert record["duration_ms"] >= 0


def test_a_refusal_gets_a_new_id_and_a_line_too(
    anonymous: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="credit_svc.requests"):
        refused = anonymous.get(
            f"/enterprises/{YANTAI}", headers={"X-Request-ID": "x" * 200}
        )
        unknown = anonymous.get("/no/such/path")

    records = _request_records(caplog)
    assert refused.status_code == 401
    assert len(refused.headers["X-Request-ID"]) == 32  # made: the sent one was bad
    assert [(r.status, r.path) for r in records] == [  # type: ignore[attr-defined]
        (401, "/enterprises/<credit_code>"),
        (404, "(no route)"),
    ]
    assert unknown.headers["X-Request-ID"] != refused.headers["X-Request-ID"]
