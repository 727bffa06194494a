"""A firm serves itself (issue 32, items 2 and 3): with its own key it reads
its whole file and nothing of another firm's, files objections and repair
applications with the documents it relies on, and sees when each is due, in
working days of the official calendar."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.services import Services
from tests.api.lifecycle import decision
from tests.factories import (
    MIANYANG,
    YANTAI,
    events_written,
    post_record,
    register,
)

DOCUMENTS = [{"number": "绵涪整改〔2026〕3号", "title": "整改完成报告"}]


@pytest.fixture
def firm(client: FlaskClient, client_as: Callable[..., FlaskClient]) -> FlaskClient:
    """The Mianyang firm's own key, with Yantai registered beside it."""
    register(client, MIANYANG)
    register(client, YANTAI)
    return client_as("enterprise", credit_code=MIANYANG)


def test_a_firm_reads_its_whole_file_and_no_other(
    client: FlaskClient, firm: FlaskClient
) -> None:
    own = post_record(client, "party_building", MIANYANG).json["record_id"]
    other = post_record(client, "bad_credit", YANTAI).json["record_id"]

    records = firm.get(f"/enterprises/{MIANYANG}/records")
    answers = {
        "own record": firm.get(f"/records/{own}").status_code,
        "own explanation": firm.get(
            f"/enterprises/{MIANYANG}/grade/explanation"
        ).status_code,
        "other's records": firm.get(f"/enterprises/{YANTAI}/records").status_code,
        "other's record": firm.get(f"/records/{other}").status_code,
        "other's explanation": firm.get(
            f"/enterprises/{YANTAI}/grade/explanation"
        ).status_code,
        "batch": firm.post(
            "/grades/batch", json={"credit_codes": [MIANYANG]}
        ).status_code,
        "feed": firm.get("/feed").status_code,
    }

    # A party-building assessment is not disclosed to the public: the firm sees it.
    assert [r["kind"] for r in records.json] == ["party_building"]
    assert records.json[0]["status"]["objection_until"] is not None
    assert answers == {
        "own record": 200,
        "own explanation": 200,
        "other's records": 403,
        "other's record": 403,
        "other's explanation": 403,
        "batch": 403,
        "feed": 403,
    }


def test_a_firm_files_an_objection_due_in_working_days(
    app: Flask, client: FlaskClient, firm: FlaskClient
) -> None:
    record = post_record(client, "bad_credit", MIANYANG).json["record_id"]
    app.config["TODAY"] = "2026-09-29"  # before National Day

    filed = firm.post(
        f"/records/{record}/objections",
        json={"filed_by": "涪城物业", "grounds": "已整改", "documents": DOCUMENTS},
    )

    assert filed.status_code == 201, filed.json
    status = filed.json["status"]
    assert (status["objection"], status["objection_filed_on"]) == ("open", "2026-09-29")
    # 10 working days: 30 Sep, then 1-7 Oct off, 8, 9, Saturday 10 Oct
    # (worked), 12-16 and 19 Oct; without the holidays it would be 13 Oct.
    assert status["objection_due_on"] == "2026-10-19"


def test_a_firm_applies_for_repair_due_in_working_days(
    app: Flask, client: FlaskClient, firm: FlaskClient
) -> None:
    record = post_record(client, "bad_credit", MIANYANG).json["record_id"]
    app.config["TODAY"] = "2026-09-29"

    applied = firm.post(
        f"/records/{record}/repair-applications",
        json={
            "applicant": "涪城物业",
            "commitment": "守信承诺",
            "documents": DOCUMENTS,
        },
    )

    assert applied.status_code == 201, applied.json
    assert applied.json["status"]["repair_due_on"] == "2026-10-19"


def test_a_second_objection_is_refused_with_the_first_outcome(
    client: FlaskClient, firm: FlaskClient
) -> None:
    record = post_record(client, "bad_credit", MIANYANG).json["record_id"]
    objection = {"filed_by": "涪城物业", "grounds": "有误"}
    assert firm.post(f"/records/{record}/objections", json=objection).status_code == 201
    rejected = client.post(
        f"/records/{record}/objection-resolutions",
        json=decision("复核-1", outcome="rejected"),
    )
    assert rejected.status_code == 201, rejected.json

    again = firm.post(f"/records/{record}/objections", json=objection)

    assert again.status_code == 409
    assert "(rejected)" in again.json["message"]


def test_a_firm_cannot_object_for_another(
    client: FlaskClient, firm: FlaskClient, services: Services
) -> None:
    other = post_record(client, "bad_credit", YANTAI).json["record_id"]
    before = events_written(services)

    answers = [
        firm.post(
            f"/records/{other}/objections", json={"filed_by": "x", "grounds": "y"}
        ).status_code,
        firm.post(f"/enterprises/{MIANYANG}/records/appraisals", json={}).status_code,
    ]

    assert answers == [403, 403]
    assert events_written(services) == before


def test_bureaus_see_the_cases_near_or_past_their_deadline(
    app: Flask, client: FlaskClient, firm: FlaskClient
) -> None:
    first = post_record(client, "bad_credit", MIANYANG).json["record_id"]
    second = post_record(client, "bad_credit", MIANYANG, document_number="DOC-2").json[
        "record_id"
    ]
    app.config["TODAY"] = "2026-09-29"
    firm.post(f"/records/{first}/objections", json={"filed_by": "f", "grounds": "g"})
    app.config["TODAY"] = "2026-10-12"
    firm.post(
        f"/records/{second}/repair-applications",
        json={"applicant": "f", "commitment": "c"},
    )

    cases = client.get("/cases?jurisdiction=51&as_of=2026-10-20").json

    assert [(c["case"], c["due_on"], c["overdue"]) for c in cases] == [
        ("objection", "2026-10-19", True),
        ("repair", "2026-10-26", False),
    ]
