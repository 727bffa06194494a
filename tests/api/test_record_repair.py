"""A record's life over HTTP: repair, early lifting, the end of disclosure."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.lifecycle import (
    bad_record,
    decision,
    score,
)
from tests.factories import YANTAI, post_record, register


def test_repair_is_refused_before_the_minimum_disclosure_period(
    client: FlaskClient, app_on: Any
) -> None:
    record_id = bad_record(client, "2026-10-15")  # general: 3 months minimum
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
    record_id = bad_record(client, "2026-10-15")
    app_on("2027-01-15").post(
        f"/records/{record_id}/repair-applications",
        json={"applicant": "测试物业", "commitment": "已整改"},
    )
    later = app_on("2027-01-20")

    granted = later.post(
        f"/records/{record_id}/repair-decisions",
        json=decision("修-1", outcome="granted", decided_on="2027-01-20"),
    )
    explained = later.get(
        f"/enterprises/{YANTAI}/grade/explanation?as_of=2027-01-20"
    ).json

    assert granted.json["status"]["repair"] == "granted"
    assert granted.json["status"]["effect_ends_on"] == "2027-01-20"
    assert score(later, "2027-01-19") == "52"
    assert score(later, "2027-01-20") == "60"
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
        json=decision("移-1", lifted_on="2026-09-01"),
    )
    grades = {
        day: client.get(f"/enterprises/{YANTAI}/grade?as_of={day}").json["blacklisted"]
        for day in ("2026-08-31", "2026-09-01")
    }

    assert lifted.json["status"]["state"] == "lifted"
    assert grades == {"2026-08-31": True, "2026-09-01": False}


def test_only_list_entries_can_be_lifted(client: FlaskClient) -> None:
    record_id = bad_record(client)

    answer = client.post(
        f"/records/{record_id}/lifting", json=decision("移-2", lifted_on="2026-07-01")
    )

    assert answer.status_code == 422
    assert answer.json["message"] == (
        "only list entries and other departments' listings can be lifted"
    )


def test_a_minor_record_stops_counting_when_its_disclosure_ends(
    client: FlaskClient,
) -> None:
    record_id = bad_record(client, "2026-05-01", severity="minor")

    explained = client.get(
        f"/enterprises/{YANTAI}/grade/explanation?as_of=2026-08-01"
    ).json

    assert score(client, "2026-07-31") == "52"
    assert explained["score"] == "60"
    assert explained["not_counted"] == [
        {
            "record_id": record_id,
            "kind": "bad_credit",
            "business_date": "2026-05-01",
            "reason": "disclosure period ended on 2026-08-01",
        }
    ]
