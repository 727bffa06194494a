"""An answer read with several statements sees the view as of one moment.

Another worker's write commits to the view between a read's statements here,
as it may under load. Each answer must be the view before that commit or
after it, never half of each: a tender platform acts on whether an
enterprise is eligible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc import create_app
from tests.factories import MIANYANG, YANTAI, post_record, register

RETRACTION = {"authority": "测试住建局", "document_number": "撤-1", "reason": "复核"}


def _bureau(flask_app: Flask) -> FlaskClient:
    client = flask_app.test_client()
    token = flask_app.config["TEST_BUREAU_TOKEN"]
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def workers(config: dict[str, Any]) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on the test's database, with connections of their own, as two
    gunicorn workers: the first leaves projection to a separate process."""
    lagging = create_app(config | {"PROJECT_IN_REQUEST": False})
    other = create_app(config)
    yield lagging, other
    for flask_app in (lagging, other):
        flask_app.extensions["credit_svc"].close()


def _committed_before(
    monkeypatch: pytest.MonkeyPatch,
    reader: Flask,
    method: str,
    write: Callable[[], int],
) -> list[int]:
    """Make another worker write, and so project whatever waits, just before
    the reader's record store runs `method`; return the write's answer's status."""
    records = reader.extensions["credit_svc"].view.records
    original = getattr(records, method)
    answered: list[int] = []

    def after_a_commit(*args: Any, **kwargs: Any) -> Any:
        answered.append(write())
        return original(*args, **kwargs)

    monkeypatch.setattr(records, method, after_a_commit)
    return answered


def test_records_listed_while_another_worker_commits_are_the_view_before(
    workers: tuple[Flask, Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, other = _bureau(workers[0]), _bureau(workers[1])
    register(other)
    first = post_record(other, "bad_credit", points="8").json["record_id"]
    # Waits for the other worker's next commit, with the first's retraction.
    second = post_record(reader, "good_credit").json["record_id"]
    answered = _committed_before(
        monkeypatch,
        workers[0],
        "with_status",
        lambda: other.post(f"/records/{first}/retraction", json=RETRACTION).status_code,
    )

    during = reader.get(f"/enterprises/{YANTAI}/records").json
    monkeypatch.undo()
    after = reader.get(f"/enterprises/{YANTAI}/records").json

    assert answered == [201]  # the other worker did commit between the statements
    assert [(r["record_id"], r["status"]["state"]) for r in during] == [
        (first, "active")
    ]
    assert sorted((r["record_id"], r["status"]["state"]) for r in after) == sorted(
        [(first, "retracted"), (second, "active")]
    )


def test_a_grade_read_while_another_worker_commits_is_the_view_before(
    workers: tuple[Flask, Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, other = _bureau(workers[0]), _bureau(workers[1])
    # Mianyang bars firms without a party-building assessment from awards.
    register(other, MIANYANG)
    answered = _committed_before(
        monkeypatch,
        workers[0],
        "facts_of",
        lambda: (
            post_record(
                other, "party_building", MIANYANG, business_date="2025-09-01"
            ).status_code
        ),
    )
    url = f"/enterprises/{MIANYANG}/grade?as_of=2026-01-01"

    during = reader.get(url).json
    monkeypatch.undo()
    after = reader.get(url).json

    assert answered == [201]  # the assessment committed between the statements
    assert during["eligible"] is False  # the segment and the records before it
    assert after["eligible"] is True


def test_every_read_inside_reading_together_shares_its_snapshot(
    workers: tuple[Flask, Flask],
) -> None:
    view = workers[0].extensions["credit_svc"].view
    other = _bureau(workers[1])
    register(other)
    post_record(other, "good_credit", business_date="2026-01-10")

    with view.db.reading_together():
        before = len(view.records.list_records(YANTAI, None))
        post_record(other, "good_credit", business_date="2026-02-10")
        inside = len(view.records.list_records(YANTAI, None))
        facts = len(view.records.get_facts(YANTAI))
    after = len(view.records.list_records(YANTAI, None))

    assert (before, inside, facts, after) == (1, 1, 1, 2)
