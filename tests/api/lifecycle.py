"""Helpers of the record-lifecycle tests.

Yantai pack: base 60, stated bad points subtract. Each change is a new event;
"effective on" answers see it, "as recorded at" answers from before do not.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.factories import YANTAI, post_record, register

AUTHORITY = "测试住建局"  # the factories' recording authority


def decision(number: str, **more: Any) -> dict[str, Any]:
    """Return the recording authority's decision body."""
    return {"authority": AUTHORITY, "document_number": number, "reason": "复核"} | more


def score(client: FlaskClient, as_of: str, **query: str) -> str:
    """Return the test enterprise's score on the day."""
    answer = client.get(
        f"/enterprises/{YANTAI}/grade", query_string={"as_of": as_of} | query
    )
    return str(answer.json["score"])


def bad_record(client: FlaskClient, day: str = "2026-06-01", **facts: Any) -> str:
    """Register the test enterprise with a bad-credit record of 8 points;
    return the record's id."""
    register(client)
    posted = post_record(client, "bad_credit", business_date=day, points="8", **facts)
    assert posted.status_code == 201, posted.json
    return str(posted.json["record_id"])


def event_count(client: FlaskClient) -> int:
    """Return how many events the log holds."""
    return int(client.get("/log/head").json["position"])
