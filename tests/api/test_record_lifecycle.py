"""A record's life over HTTP: corrections, retraction and objections
(see tests/api/lifecycle.py for the pack's arithmetic)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.lifecycle import (
    bad_record,
    decision,
    event_count,
    score,
)
from tests.factories import YANTAI


def test_a_correction_changes_effective_grades_but_not_earlier_answers(
    client: FlaskClient,
) -> None:
    record_id = bad_record(client)
    before = datetime.now(UTC).isoformat()

    corrected = client.post(
        f"/records/{record_id}/corrections",
        json=decision("更正-1", changes={"points": "3"}),
    )

    assert corrected.status_code == 201, corrected.json
    assert corrected.json["details"]["points"] == "3"
    assert corrected.json["status"]["corrections"] == 1
    assert score(client, "2026-07-01") == "57"
    assert score(client, "2026-07-01", recorded_at=before) == "52"
    history = client.get(f"/enterprises/{YANTAI}/events").json
    assert [(e["event_type"], e["document_number"]) for e in history[-1:]] == [
        ("Corrected", "更正-1")
    ]


def test_only_the_recording_authority_may_correct_or_retract(
    client: FlaskClient, client_as: Any
) -> None:
    neighbour = client_as("bureau", "另一个住建局", ("37",))  # same jurisdiction
    record_id = bad_record(client)
    written = event_count(client)
    other = decision("X-1", authority="另一个住建局")

    corrected = neighbour.post(
        f"/records/{record_id}/corrections", json=other | {"changes": {"points": "1"}}
    )
    retracted = neighbour.post(f"/records/{record_id}/retraction", json=other)

    assert (corrected.status_code, retracted.status_code) == (403, 403)
    assert "only 测试住建局" in corrected.json["message"]
    assert event_count(client) == written
    assert score(client, "2026-07-01") == "52"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"document_number": "NEW"}, "changes"),
        ({}, "changes"),
        ({"points": "much"}, "changes"),
        ({"severity": "tiny"}, "changes"),
    ],
)
def test_bad_corrections_are_422_and_write_nothing(
    client: FlaskClient, changes: dict[str, Any], field: str
) -> None:
    record_id = bad_record(client)
    written = event_count(client)

    answer = client.post(
        f"/records/{record_id}/corrections", json=decision("X", changes=changes)
    )

    assert answer.status_code == 422
    assert field in answer.json["errors"]["json"]
    assert event_count(client) == written


def test_a_retracted_record_drops_out_and_stays_in_earlier_answers(
    client: FlaskClient,
) -> None:
    record_id = bad_record(client)
    before = datetime.now(UTC).isoformat()

    retracted = client.post(f"/records/{record_id}/retraction", json=decision("撤-1"))
    again = client.post(f"/records/{record_id}/retraction", json=decision("撤-2"))

    assert retracted.json["status"]["state"] == "retracted"
    assert score(client, "2026-07-01") == "60"
    assert score(client, "2026-07-01", recorded_at=before) == "52"
    assert again.status_code == 409


def test_an_objection_flags_the_record_until_it_is_resolved(
    client: FlaskClient,
) -> None:
    record_id = bad_record(client)
    objection = {"filed_by": "测试物业", "grounds": "扣分依据有误"}

    filed = client.post(f"/records/{record_id}/objections", json=objection)
    listed = client.get(f"/enterprises/{YANTAI}/records").json
    second = client.post(f"/records/{record_id}/objections", json=objection)
    rejected = client.post(
        f"/records/{record_id}/objection-resolutions",
        json=decision("复-1", outcome="rejected"),
    )

    assert filed.status_code == 201
    assert filed.json["status"]["under_objection"] is True
    assert listed[0]["status"]["objection"] == "open"
    assert second.status_code == 409
    assert rejected.json["status"]["under_objection"] is False
    assert rejected.json["status"]["objection"] == "rejected"
    assert score(client, "2026-07-01") == "52"


def test_an_upheld_objection_retracts_the_record(client: FlaskClient) -> None:
    record_id = bad_record(client)
    client.post(
        f"/records/{record_id}/objections", json={"filed_by": "企业", "grounds": "错"}
    )

    upheld = client.post(
        f"/records/{record_id}/objection-resolutions",
        json=decision("复-2", outcome="upheld", action="retract"),
    )
    vague = client.post(
        f"/records/{record_id}/objection-resolutions",
        json=decision("复-3", outcome="upheld"),
    )

    assert upheld.json["status"]["objection"] == "upheld"
    assert upheld.json["status"]["state"] == "retracted"
    assert score(client, "2026-07-01") == "60"
    assert vague.status_code == 422


def test_an_objection_after_the_window_is_refused(
    client: FlaskClient, app_on: Any
) -> None:
    record_id = bad_record(client)
    late = app_on((date.today() + timedelta(days=30)).isoformat())  # window: 15 days

    answer = late.post(
        f"/records/{record_id}/objections", json={"filed_by": "企业", "grounds": "迟"}
    )

    assert answer.status_code == 422
    assert answer.json["message"].startswith("the objection window closed on")
