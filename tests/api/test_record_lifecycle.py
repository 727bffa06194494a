"""A record's life over HTTP: corrections, retraction, objections, repair, lifting.

Yantai pack: base 60, stated bad points subtract. Each change is a new event;
"effective on" answers see it, "as recorded at" answers from before do not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.factories import YANTAI, post_record, register

AUTHORITY = "测试住建局"  # the factories' recording authority


def _decision(number: str, **more: Any) -> dict[str, Any]:
    return {"authority": AUTHORITY, "document_number": number, "reason": "复核"} | more


def _score(client: FlaskClient, as_of: str, **query: str) -> str:
    answer = client.get(
        f"/enterprises/{YANTAI}/grade", query_string={"as_of": as_of} | query
    )
    return str(answer.json["score"])


def _bad_record(client: FlaskClient, day: str = "2026-06-01", **facts: Any) -> str:
    register(client)
    posted = post_record(client, "bad_credit", business_date=day, points="8", **facts)
    assert posted.status_code == 201, posted.json
    return str(posted.json["record_id"])


def _event_count(client: FlaskClient) -> int:
    return int(client.get("/log/head").json["position"])


@pytest.fixture
def app_on(bureau_with: Callable[..., FlaskClient]) -> Callable[[str], FlaskClient]:
    """Return a factory of bureau clients whose service clock says a given day."""
    return lambda today: bureau_with(TODAY=today)


def test_a_correction_changes_effective_grades_but_not_earlier_answers(
    client: FlaskClient,
) -> None:
    record_id = _bad_record(client)
    before = datetime.now(UTC).isoformat()

    corrected = client.post(
        f"/records/{record_id}/corrections",
        json=_decision("更正-1", changes={"points": "3"}),
    )

    assert corrected.status_code == 201, corrected.json
    assert corrected.json["details"]["points"] == "3"
    assert corrected.json["status"]["corrections"] == 1
    assert _score(client, "2026-07-01") == "57"
    assert _score(client, "2026-07-01", recorded_at=before) == "52"
    history = client.get(f"/enterprises/{YANTAI}/events").json
    assert [(e["event_type"], e["document_number"]) for e in history[-1:]] == [
        ("Corrected", "更正-1")
    ]


def test_only_the_recording_authority_may_correct_or_retract(
    client: FlaskClient, client_as: Any
) -> None:
    neighbour = client_as("bureau", "另一个住建局", ("37",))  # same jurisdiction
    record_id = _bad_record(client)
    written = _event_count(client)
    other = _decision("X-1", authority="另一个住建局")

    corrected = neighbour.post(
        f"/records/{record_id}/corrections", json=other | {"changes": {"points": "1"}}
    )
    retracted = neighbour.post(f"/records/{record_id}/retraction", json=other)

    assert (corrected.status_code, retracted.status_code) == (403, 403)
    assert "only 测试住建局" in corrected.json["message"]
    assert _event_count(client) == written
    assert _score(client, "2026-07-01") == "52"


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
    record_id = _bad_record(client)
    written = _event_count(client)

    answer = client.post(
        f"/records/{record_id}/corrections", json=_decision("X", changes=changes)
    )

    assert answer.status_code == 422
    assert field in answer.json["errors"]["json"]
    assert _event_count(client) == written


def test_a_retracted_record_drops_out_and_stays_in_earlier_answers(
    client: FlaskClient,
) -> None:
    record_id = _bad_record(client)
    before = datetime.now(UTC).isoformat()

    retracted = client.post(f"/records/{record_id}/retraction", json=_decision("撤-1"))
    again = client.post(f"/records/{record_id}/retraction", json=_decision("撤-2"))

    assert retracted.json["status"]["state"] == "retracted"
    assert _score(client, "2026-07-01") == "60"
    assert _score(client, "2026-07-01", recorded_at=before) == "52"
    assert again.status_code == 409


def test_an_objection_flags_the_record_until_it_is_resolved(
    client: FlaskClient,
) -> None:
    record_id = _bad_record(client)
    objection = {"filed_by": "测试物业", "grounds": "扣分依据有误"}

    filed = client.post(f"/records/{record_id}/objections", json=objection)
    listed = client.get(f"/enterprises/{YANTAI}/records").json
    second = client.post(f"/records/{record_id}/objections", json=objection)
    rejected = client.post(
        f"/records/{record_id}/objection-resolutions",
        json=_decision("复-1", outcome="rejected"),
    )

    assert filed.status_code == 201
    assert filed.json["status"]["under_objection"] is True
    assert listed[0]["status"]["objection"] == "open"
    assert second.status_code == 409
    assert rejected.json["status"]["under_objection"] is False
    assert rejected.json["status"]["objection"] == "rejected"
    assert _score(client, "2026-07-01") == "52"


def test_an_upheld_objection_retracts_the_record(client: FlaskClient) -> None:
    record_id = _bad_record(client)
    client.post(
        f"/records/{record_id}/objections", json={"filed_by": "企业", "grounds": "错"}
    )

    upheld = client.post(
        f"/records/{record_id}/objection-resolutions",
        json=_decision("复-2", outcome="upheld", action="retract"),
    )
    vague = client.post(
        f"/records/{record_id}/objection-resolutions",
        json=_decision("复-3", outcome="upheld"),
    )

    assert upheld.json["status"]["objection"] == "upheld"
    assert upheld.json["status"]["state"] == "retracted"
    assert _score(client, "2026-07-01") == "60"
    assert vague.status_code == 422


def test_an_objection_after_the_window_is_refused(
    client: FlaskClient, app_on: Any
) -> None:
    record_id = _bad_record(client)
    late = app_on((date.today() + timedelta(days=30)).isoformat())  # window: 15 days

    answer = late.post(
        f"/records/{record_id}/objections", json={"filed_by": "企业", "grounds": "迟"}
    )

    assert answer.status_code == 422
    assert answer.json["message"].startswith("the objection window closed on")


def test_repair_is_refused_before_the_minimum_disclosure_period(
    client: FlaskClient, app_on: Any
) -> None:
    record_id = _bad_record(client, "2026-10-15")  # general: 3 months minimum
    on_the_day_before = app_on("2027-01-14")

    answer = on_the_day_before.post(
        f"/records/{record_id}/repair-applications",
        json={"applicant": "测试物业", "commitment": "已整改"},
    )

    assert answer.status_code == 422
    assert answer.json["message"].endswith("applied for from 2027-01-15")


def test_a_granted_repair_ends_the_record_from_the_grant_date(
    client: FlaskClient, app_on: Any
) -> None:
    record_id = _bad_record(client, "2026-10-15")
    app_on("2027-01-15").post(
        f"/records/{record_id}/repair-applications",
        json={"applicant": "测试物业", "commitment": "已整改"},
    )
    later = app_on("2027-01-20")

    granted = later.post(
        f"/records/{record_id}/repair-decisions",
        json=_decision("修-1", outcome="granted", decided_on="2027-01-20"),
    )
    explained = later.get(
        f"/enterprises/{YANTAI}/grade/explanation?as_of=2027-01-20"
    ).json

    assert granted.json["status"]["repair"] == "granted"
    assert granted.json["status"]["effect_ends_on"] == "2027-01-20"
    assert _score(later, "2027-01-19") == "52"
    assert _score(later, "2027-01-20") == "60"
    assert explained["not_counted"][0]["reason"] == (
        "credit repair granted from 2027-01-20"
    )


def test_a_blacklist_entry_lifted_early_ends_on_that_day(client: FlaskClient) -> None:
    register(client)
    entry = post_record(
        client,
        "list_entry",
        business_date="2026-03-01",
        list_type="blacklist",
        term_months=24,
    ).json

    lifted = client.post(
        f"/records/{entry['record_id']}/lifting",
        json=_decision("移-1", lifted_on="2026-09-01"),
    )
    grades = {
        day: client.get(f"/enterprises/{YANTAI}/grade?as_of={day}").json["blacklisted"]
        for day in ("2026-08-31", "2026-09-01")
    }

    assert lifted.json["status"]["state"] == "lifted"
    assert grades == {"2026-08-31": True, "2026-09-01": False}


def test_only_list_entries_can_be_lifted(client: FlaskClient) -> None:
    record_id = _bad_record(client)

    answer = client.post(
        f"/records/{record_id}/lifting", json=_decision("移-2", lifted_on="2026-07-01")
    )

    assert answer.status_code == 422
    assert answer.json["message"] == "only list entries can be lifted"


def test_a_minor_record_stops_counting_when_its_disclosure_ends(
    client: FlaskClient,
) -> None:
    record_id = _bad_record(client, "2026-05-01", severity="minor")

    explained = client.get(
        f"/enterprises/{YANTAI}/grade/explanation?as_of=2026-08-01"
    ).json

    assert _score(client, "2026-07-31") == "52"
    assert explained["score"] == "60"
    assert explained["not_counted"] == [
        {
            "record_id": record_id,
            "kind": "bad_credit",
            "business_date": "2026-05-01",
            "reason": "disclosure period ended on 2026-08-01",
        }
    ]
