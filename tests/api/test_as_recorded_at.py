"""Grades as recorded at a past time (single and batch), and an enterprise's
event history with positions and recorders."""

from __future__ import annotations

from datetime import datetime

from flask.testing import FlaskClient

from tests.factories import (
    MIANYANG,
    YANTAI,
    credit_code,
    post_record,
    register,
)


def _honoured_then_penalised(client: FlaskClient) -> str:
    """Record a commendation, then a serious penalty dated before it; return
    the moment between the two recordings."""
    register(client)
    honoured = post_record(client, "good_credit", business_date="2026-03-01")
    post_record(
        client,
        "bad_credit",
        business_date="2026-02-01",
        points="30",
        severity="serious",
    )
    return str(honoured.json["recorded_at"])


def test_as_recorded_at_ignores_what_was_recorded_later(client: FlaskClient) -> None:
    between = _honoured_then_penalised(client)

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


def test_the_explanation_as_recorded_at_agrees_with_the_grade(
    client: FlaskClient,
) -> None:
    between = _honoured_then_penalised(client)
    asked = {"as_of": "2026-06-01", "recorded_at": between}

    grade = client.get(f"/enterprises/{YANTAI}/grade", query_string=asked).json
    explained = client.get(
        f"/enterprises/{YANTAI}/grade/explanation", query_string=asked
    ).json
    now = client.get(f"/enterprises/{YANTAI}/grade/explanation?as_of=2026-06-01").json
    early = client.get(
        f"/enterprises/{YANTAI}/grade/explanation",
        query_string={"recorded_at": "2020-01-01T00:00:00+08:00"},
    )

    assert (explained["score"], explained["grade"]) == (grade["score"], grade["grade"])
    assert explained["recorded_at"] == grade["recorded_at"]  # echoed, as /grade does
    assert now["recorded_at"] is None
    assert [r["kind"] for r in explained["counted"]] == ["good_credit"]
    assert (now["score"], now["grade"]) == ("40", "C")  # the later record counts
    assert early.status_code == 404  # not registered yet then
