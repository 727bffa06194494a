"""Tender platforms and auditors over HTTP: batch grades, the "as recorded at"
axis, eligibility in every answer, and an enterprise's event history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
    events_written,
    post_record,
    register,
)


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
    before = events_written(services)

    too_many = client.post("/grades/batch", json={"credit_codes": [YANTAI] * 501})
    not_text = client.post("/grades/batch", json={"credit_codes": [3]})
    empty = client.post("/grades/batch", json={"credit_codes": []})
    unknown = client.post(
        "/grades/batch", json={"credit_codes": [YANTAI], "bidders": 3}
    )

    assert [r.status_code for r in (too_many, not_text, empty, unknown)] == [422] * 4
    assert "credit_codes" in too_many.json["errors"]["json"]
    assert "bidders" in unknown.json["errors"]["json"]
    assert events_written(services) == before


def test_single_grade_carries_eligibility(client: FlaskClient) -> None:
    register(client, MIANYANG)

    answer = client.get(f"/enterprises/{MIANYANG}/grade?as_of=2026-06-01").json

    # Base 90 is AA, but no party-building assessment: not eligible in Mianyang.
    assert (answer["grade"], answer["eligible"], answer["recorded_at"]) == (
        "AA",
        False,
        None,
    )


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


def test_batch_grades_follow_the_grade_history_across_every_boundary(
    client: FlaskClient,
) -> None:
    # A grade history of several segments: each boundary, the day before it,
    # and a day before the history starts are asked about in one batch each.
    register(client)
    post_record(client, "good_credit", business_date="2024-03-01")
    post_record(client, "bad_credit", business_date="2024-09-15")
    post_record(client, "list_entry", business_date="2025-02-01", term_months=6)
    history = client.get(f"/enterprises/{YANTAI}/grade/history").json
    assert len(history) >= 4
    bounds = {s["effective_from"] for s in history} | {
        s["effective_until"] for s in history if s["effective_until"]
    }
    days = {"2000-01-01"} | bounds | {_day_before(day) for day in bounds}

    for day in sorted(days):
        answer = client.post(
            "/grades/batch", json={"credit_codes": [YANTAI], "as_of": day}
        ).json
        in_force = [
            s
            for s in history
            if s["effective_from"] <= day
            and (s["effective_until"] is None or day < s["effective_until"])
        ]
        got = [(g["grade"], g["score"], g["effective_from"]) for g in answer["grades"]]
        assert got == [
            (s["grade"], s["score"], s["effective_from"]) for s in in_force
        ], day


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def test_a_bad_code_in_a_batch_of_500_is_that_code_s_error_alone(
    client: FlaskClient,
) -> None:
    register(client)
    bad = YANTAI[:-1] + ("0" if YANTAI[-1] != "0" else "1")  # wrong check character
    unknown = [credit_code(n) for n in range(100, 598)]
    codes = [YANTAI, *unknown[:250], bad, *unknown[250:]]

    answer = client.post(
        "/grades/batch", json={"credit_codes": codes, "as_of": "2026-06-01"}
    )

    assert answer.status_code == 200
    assert [g["credit_code"] for g in answer.json["grades"]] == [YANTAI]
    errors = {e["credit_code"]: e for e in answer.json["errors"]}
    assert len(errors) == 499
    assert errors[bad]["code"] == 422
    assert "check character" in errors[bad]["message"]
    assert {errors[c]["code"] for c in unknown} == {404}
