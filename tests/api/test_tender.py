"""Tender platforms and auditors over HTTP: batch grades, the "as recorded at"
axis, eligibility in every answer, and an enterprise's event history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc.api import batch_answers
from credit_svc.api.grade_schemas import GradeSchema
from credit_svc.services import Services
from tests.factories import (
    BEIJING,
    MIANYANG,
    YANTAI,
    credit_code,
    post_record,
    register,
)


def _written(services: Services) -> int:
    head = services.ledger.head()
    return head.position if head else 0


def test_batch_answers_in_the_order_asked_with_points_and_eligibility(
    client: FlaskClient,
) -> None:
    register(client)
    register(client, MIANYANG)
    post_record(
        client, "list_entry", code=MIANYANG, list_type="blacklist", term_months=24
    )
    unregistered = credit_code(9)

    response = client.post(
        "/grades/batch",
        json={
            "credit_codes": [MIANYANG, unregistered, YANTAI, MIANYANG],
            "as_of": "2026-06-01",
        },
    )

    assert response.status_code == 200
    grades = response.json["grades"]
    assert [g["credit_code"] for g in grades] == [MIANYANG, YANTAI]
    assert [
        (g["grade"], g["tender_points"], g["eligible"], g["blacklisted"])
        for g in grades
    ] == [("C", "0", False, True), ("B", "0", False, False)]
    assert grades[1]["pack"] == {"id": "shandong-yantai", "version": "2022.1"}
    assert response.json["errors"] == [
        {
            "credit_code": unregistered,
            "code": 404,
            "message": f"enterprise {unregistered} is not registered",
        }
    ]


def test_batch_reports_an_uncovered_jurisdiction_per_code(client: FlaskClient) -> None:
    register(client, BEIJING)

    response = client.post(
        "/grades/batch", json={"credit_codes": [BEIJING], "as_of": "2026-06-01"}
    )

    assert response.json["grades"] == []
    assert response.json["errors"][0]["message"] == (
        "no rule pack covers jurisdiction 110105 on 2026-06-01"
    )


def test_batch_refusals_are_422_and_write_nothing(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    before = _written(services)

    too_many = client.post("/grades/batch", json={"credit_codes": [YANTAI] * 501})
    bad_code = client.post("/grades/batch", json={"credit_codes": [YANTAI[:-1] + "0"]})
    empty = client.post("/grades/batch", json={"credit_codes": []})
    unknown = client.post(
        "/grades/batch", json={"credit_codes": [YANTAI], "bidders": 3}
    )

    assert [r.status_code for r in (too_many, bad_code, empty, unknown)] == [422] * 4
    assert "credit_codes" in too_many.json["errors"]["json"]
    assert "bidders" in unknown.json["errors"]["json"]
    assert _written(services) == before


def test_single_grade_carries_eligibility(client: FlaskClient) -> None:
    register(client, MIANYANG)

    answer = client.get(f"/enterprises/{MIANYANG}/grade?as_of=2026-06-01").json

    # Base 90 is AA, but no party-building assessment: not eligible in Mianyang.
    assert (answer["grade"], answer["eligible"], answer["recorded_at"]) == (
        "AA",
        False,
        None,
    )


def test_as_recorded_at_ignores_what_was_recorded_later(client: FlaskClient) -> None:
    register(client)
    honoured = post_record(client, "good_credit", business_date="2026-03-01")
    between = honoured.json["recorded_at"]
    post_record(
        client,
        "bad_credit",
        business_date="2026-02-01",
        points="30",
        severity="serious",
    )

    effective = client.get(f"/enterprises/{YANTAI}/grade?as_of=2026-06-01").json
    recorded = client.get(
        f"/enterprises/{YANTAI}/grade",
        query_string={"as_of": "2026-06-01", "recorded_at": between},
    ).json

    assert (effective["score"], effective["grade"]) == ("40", "C")
    assert (recorded["score"], recorded["grade"]) == ("70", "A")
    assert datetime.fromisoformat(recorded["recorded_at"]) == datetime.fromisoformat(
        between
    )
    assert recorded["effective_from"] is None


def test_as_recorded_before_registration_is_404(client: FlaskClient) -> None:
    register(client)

    response = client.get(
        f"/enterprises/{YANTAI}/grade?recorded_at=2020-01-01T00:00:00%2B08:00"
    )

    assert response.status_code == 404


def test_recorded_at_needs_a_time_zone(client: FlaskClient) -> None:
    register(client)

    response = client.get(
        f"/enterprises/{YANTAI}/grade?recorded_at=2026-01-01T00:00:00"
    )

    assert response.status_code == 422
    assert "recorded_at" in response.json["errors"]["query"]


def test_batch_as_recorded_at_uses_the_same_cutoff(client: FlaskClient) -> None:
    register(client)
    honoured = post_record(client, "good_credit", business_date="2026-03-01")
    post_record(client, "bad_credit", business_date="2026-02-01", points="30")

    response = client.post(
        "/grades/batch",
        json={
            "credit_codes": [YANTAI],
            "as_of": "2026-06-01",
            "recorded_at": honoured.json["recorded_at"],
        },
    )

    assert response.json["grades"][0]["score"] == "70"


def test_event_history_lists_every_event_with_position_and_recorder(
    client: FlaskClient,
) -> None:
    register(client)
    register(client, MIANYANG)
    record = post_record(client, "bad_credit", document_number="烟住建罚〔2026〕3号")

    history = client.get(f"/enterprises/{YANTAI}/events").json

    assert [(e["position"], e["event_type"]) for e in history] == [
        (2, "Enterprise.Registered"),  # 1: the test bureau's key
        (3, "Enterprise.ProjectAdded"),
        (6, "BadCreditRecorded"),
    ]
    assert history[2]["aggregate_id"] == record.json["record_id"]
    assert history[2]["recorded_by"] == "测试住建局"
    assert history[2]["document_number"] == "烟住建罚〔2026〕3号"
    assert client.get(f"/enterprises/{credit_code(9)}/events").status_code == 404


def test_batch_answers_are_what_the_grade_schema_dumps(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batch answers are dumped without marshmallow's machinery (quick_dump.py).
    register(client)
    register(client, MIANYANG)
    post_record(client, "list_entry", code=MIANYANG, list_type="blacklist")
    post_record(client, "good_credit", code=YANTAI)
    now = datetime.now().astimezone().isoformat()
    axes = ({"as_of": "2026-06-01"}, {"as_of": "2026-06-01", "recorded_at": now})

    def asked() -> list[Any]:
        return [
            client.post(
                "/grades/batch", json={"credit_codes": [YANTAI, MIANYANG], **axis}
            ).json
            for axis in axes
        ]

    quick = asked()
    monkeypatch.setattr(batch_answers, "DUMP_GRADE", GradeSchema().dump)
    register(client, credit_code(7))  # a new view version: nothing kept is reused
    thorough = asked()

    assert quick == thorough
    assert {g["board"] for g in quick[0]["grades"]} == {None, "black"}
