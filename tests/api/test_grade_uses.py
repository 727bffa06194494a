"""Feedback on how grades were used (数据应用反馈): platforms report, auditors
see each use beside the grade the service gave."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from flask.testing import FlaskClient

from tests.factories import YANTAI, post_record, register

USE = {
    "tender_id": "YT-ZB-2026-031",
    "award_id": "",
    "used_on": "2026-06-03",
    "as_of": "2026-06-01",
    "grade": "AAA",
    "tender_points": "3",
    "effect": "scored",
}


def test_a_platform_reports_a_use_and_auditors_see_it_beside_the_grade(
    client: FlaskClient, client_as: Callable[..., FlaskClient]
) -> None:
    register(client)
    post_record(client, "good_credit", business_date="2026-03-01")
    platform = client_as("platform", "烟台市公共资源交易平台")
    auditor = client_as("auditor")
    firm = client_as("enterprise", credit_code=YANTAI)
    grade = client.get(f"/enterprises/{YANTAI}/grade?as_of=2026-06-01").json["grade"]

    reported = platform.post(
        f"/enterprises/{YANTAI}/grade-uses", json=USE | {"grade": grade}
    )
    wrong = platform.post(
        f"/enterprises/{YANTAI}/grade-uses",
        json=USE | {"tender_id": "YT-ZB-2026-032", "grade": "C", "effect": "excluded"},
    )
    twice = platform.post(f"/enterprises/{YANTAI}/grade-uses", json=USE)
    listed = auditor.get(f"/enterprises/{YANTAI}/grade-uses").json

    assert reported.status_code == 201, reported.json
    assert reported.json["reported_by"] == "烟台市公共资源交易平台"
    assert wrong.status_code == 201
    assert twice.status_code == 409
    assert [
        (u["tender_id"], u["grade"], u["service_grade"]["grade"], u["matches"])
        for u in listed
    ] == [
        ("YT-ZB-2026-031", grade, grade, True),
        ("YT-ZB-2026-032", "C", grade, False),
    ]
    assert firm.get(f"/enterprises/{YANTAI}/grade-uses").json == listed


def test_a_use_read_at_a_moment_is_set_beside_the_grade_as_it_was_then(
    client: FlaskClient, client_as: Callable[..., FlaskClient]
) -> None:
    register(client)
    platform = client_as("platform", "烟台市公共资源交易平台")
    then = client.get(f"/enterprises/{YANTAI}/grade?as_of=2026-06-01").json
    read_at = _now()
    post_record(client, "bad_credit", business_date="2026-05-01", points="30", flags=[])
    now = client.get(f"/enterprises/{YANTAI}/grade?as_of=2026-06-01").json

    use = USE | {"grade": then["grade"], "recorded_at": read_at}
    platform.post(f"/enterprises/{YANTAI}/grade-uses", json=use)
    listed = client.get(f"/enterprises/{YANTAI}/grade-uses").json

    assert then["grade"] != now["grade"]
    assert listed[0]["service_grade"]["grade"] == then["grade"]
    assert listed[0]["matches"] is True


def test_only_a_platform_reports_and_bad_reports_write_nothing(
    client: FlaskClient, client_as: Callable[..., FlaskClient]
) -> None:
    register(client)
    platform = client_as("platform", "烟台市公共资源交易平台")
    other = client_as("enterprise", credit_code=YANTAI)

    by_firm = other.post(f"/enterprises/{YANTAI}/grade-uses", json=USE)
    by_bureau = client.post(f"/enterprises/{YANTAI}/grade-uses", json=USE)
    bad = platform.post(
        f"/enterprises/{YANTAI}/grade-uses",
        json=USE | {"effect": "maybe", "used_on": "2099-01-01"},
    )
    unknown = platform.post("/enterprises/91370602MA0000009X/grade-uses", json=USE)

    assert (by_firm.status_code, by_bureau.status_code) == (403, 403)
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"effect", "used_on"}
    assert unknown.status_code in (404, 422)
    assert client.get(f"/enterprises/{YANTAI}/grade-uses").json == []


def _now() -> str:
    """The moment now, as a platform would note when it read a grade."""
    time.sleep(0.01)  # after the registration's record time
    moment = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    return moment
