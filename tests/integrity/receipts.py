"""Helpers of the receipt tests: an enterprise graded A, and its receipt."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.factories import YANTAI, post_record, register

AS_OF = "2026-06-01"


def receipt_of(client: FlaskClient) -> dict[str, Any]:
    """Return the test enterprise's receipt on AS_OF."""
    response = client.get(f"/enterprises/{YANTAI}/grade/receipt?as_of={AS_OF}")
    assert response.status_code == 200
    return dict(response.json)


def an_a_grade(client: FlaskClient) -> None:
    """Base 60 + inspection scored 92 (+5) + provincial honour (+10) = 75: grade A."""
    register(client)
    inspected = post_record(
        client,
        "inspection",
        business_date="2026-05-20",
        rectification_deadline="2026-06-20",
    )
    honoured = post_record(client, "good_credit", business_date="2026-03-01")
    assert (inspected.status_code, honoured.status_code) == (201, 201)
