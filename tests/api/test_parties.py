"""Every party its own role (issue 32, item 1): each posts exactly its own
kinds of record, in its own jurisdiction, and nothing else.

WHO_RECORDS_WHAT is a literal copy of the table in docs/security.md ("Who
records what"), not the code's own table: a change to either must be made
to both on purpose.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.rulepacks.load import PACKAGED_DIR
from credit_svc.services import Services
from credit_svc.usecases.api_keys import issue_key
from tests.factories import (
    MIANYANG,
    PATHS,
    YANTAI,
    credit_code,
    events_written,
    record_body,
    register,
)
from tests.test_openapi import generated

AUTHORITY = "测试参与方"
KINDS = tuple(PATHS)
WHO_RECORDS_WHAT: dict[str, tuple[str, ...]] = {
    "bureau": KINDS,
    "street_office": ("inspection", "appraisal"),
    "street_party_committee": ("appraisal", "party_building"),
    "community": ("appraisal",),
    "owners_committee": ("appraisal",),
    "industry_association": ("good_credit",),
    "emergency_management": ("bad_credit",),
    "market_regulation": ("bad_credit",),
    "human_resources": ("bad_credit",),
}
ASSESSOR = {
    "street_office": "street_office",
    "street_party_committee": "street_party_committee",
    "community": "community_party_organisation",
    "owners_committee": "owners_committee",
}
FLAG = {
    "emergency_management": "major_safety_accident",
    "market_regulation": "abnormal_operations_list",
    "human_resources": "major_labour_violation",
}


def _party(make: Callable[..., FlaskClient], role: str, where: str = "51") -> Any:
    scope = {"projects": ("P-1",)} if role == "owners_committee" else {}
    return make(role, AUTHORITY, (where,), **scope)


def _body(role: str, kind: str, number: int) -> dict[str, Any]:
    """A valid body of the kind as this party would sign it."""
    body = record_body(kind, document_number=f"{role}-{kind}-{number}")
    body["authority"] = AUTHORITY
    if kind == "appraisal":
        body["assessor_type"] = ASSESSOR.get(role, "street_party_committee")
        body["project_code"] = "P-1"
    if kind == "bad_credit":
        body["flags"] = [FLAG.get(role, "major_safety_accident")]
    return body


@pytest.mark.parametrize("role", sorted(WHO_RECORDS_WHAT))
def test_each_party_records_exactly_its_own_kinds(
    role: str,
    client: FlaskClient,
    client_as: Callable[..., FlaskClient],
    services: Services,
) -> None:
    register(client, MIANYANG)
    party = _party(client_as, role)
    answers = {}
    for number, kind in enumerate(KINDS):
        before = events_written(services)
        url = f"/enterprises/{MIANYANG}/records/{PATHS[kind]}"
        answer = party.post(url, json=_body(role, kind, number))
        answers[kind] = answer.status_code
        if answer.status_code == 403:
            assert events_written(services) == before, kind

    assert {k for k, status in answers.items() if status == 201} == set(
        WHO_RECORDS_WHAT[role]
    )
    assert {k for k, status in answers.items() if status != 201} == {
        k for k in KINDS if k not in WHO_RECORDS_WHAT[role]
    }
    assert set(answers.values()) <= {201, 403}


@pytest.mark.parametrize("role", sorted(set(WHO_RECORDS_WHAT) - {"bureau"}))
def test_a_party_records_only_in_its_own_jurisdiction(
    role: str,
    client: FlaskClient,
    client_as: Callable[..., FlaskClient],
    services: Services,
) -> None:
    register(client, YANTAI)  # Shandong; the party acts for Sichuan
    party = _party(client_as, role)
    kind = WHO_RECORDS_WHAT[role][0]
    before = events_written(services)

    answer = party.post(
        f"/enterprises/{YANTAI}/records/{PATHS[kind]}", json=_body(role, kind, 0)
    )

    assert answer.status_code == 403
    assert "outside this key" in answer.json["message"]
    assert events_written(services) == before


def test_a_party_signs_as_itself(
    client: FlaskClient, client_as: Callable[..., FlaskClient], services: Services
) -> None:
    register(client, MIANYANG)
    street = _party(client_as, "street_party_committee")
    department = _party(client_as, "emergency_management")
    before = events_written(services)

    as_owners = _body("street_party_committee", "appraisal", 1) | {
        "assessor_type": "owners_committee"
    }
    other_flag = _body("emergency_management", "bad_credit", 2) | {
        "flags": ["major_labour_violation"]
    }
    answers = [
        street.post(
            f"/enterprises/{MIANYANG}/records/appraisals", json=as_owners
        ).status_code,
        department.post(
            f"/enterprises/{MIANYANG}/records/bad-credit-records", json=other_flag
        ).status_code,
    ]

    assert answers == [403, 403]
    assert events_written(services) == before


def test_an_owners_committee_records_only_about_its_own_project(
    client: FlaskClient, client_as: Callable[..., FlaskClient], services: Services
) -> None:
    register(client, MIANYANG)
    client.post(
        f"/enterprises/{MIANYANG}/projects",
        json={"code": "P-2", "name": "另一小区", "authority": "测试住建局"},
    )
    owners = _party(client_as, "owners_committee")
    before = events_written(services)

    elsewhere = owners.post(
        f"/enterprises/{MIANYANG}/records/appraisals",
        json=_body("owners_committee", "appraisal", 1) | {"project_code": "P-2"},
    )
    in_batch = owners.post(
        "/records/batch",
        json={
            "records": [
                _body("owners_committee", "appraisal", 2)
                | {"kind": "appraisal", "credit_code": MIANYANG},
                _body("owners_committee", "appraisal", 3)
                | {"kind": "appraisal", "credit_code": MIANYANG, "project_code": "P-2"},
            ]
        },
    )
    own = owners.post(
        f"/enterprises/{MIANYANG}/records/appraisals",
        json=_body("owners_committee", "appraisal", 4),
    )

    assert (elsewhere.status_code, in_batch.status_code) == (403, 403)
    assert in_batch.json["message"].startswith("records[1]: ")
    assert own.status_code == 201
    assert events_written(services) == before + 1


def test_a_party_corrects_its_own_record_and_not_another_s(
    client: FlaskClient, client_as: Callable[..., FlaskClient]
) -> None:
    register(client, MIANYANG)
    street = _party(client_as, "street_office")
    posted = street.post(
        f"/enterprises/{MIANYANG}/records/inspections",
        json=_body("street_office", "inspection", 1),
    ).json["record_id"]
    by_bureau = client.post(
        f"/enterprises/{MIANYANG}/records/inspections",
        json=record_body("inspection", document_number="局-1"),
    ).json["record_id"]
    correction = {
        "authority": AUTHORITY,
        "document_number": "更正-1",
        "reason": "复核",
        "changes": {"score": "88"},
    }

    own = street.post(f"/records/{posted}/corrections", json=correction)
    other = street.post(f"/records/{by_bureau}/corrections", json=correction)

    assert own.status_code == 201, own.json
    assert other.status_code == 403


NANNING = credit_code(7, "450102")


@pytest.fixture
def nanning(
    bureau_with: Callable[..., FlaskClient], services: Services, tmp_path: Path
) -> FlaskClient:
    """A bureau of Nanning, on a service that runs the weighted test pack."""
    packs = tmp_path / "packs"
    shutil.copytree(PACKAGED_DIR, packs, ignore=shutil.ignore_patterns("*.py"))
    shutil.copy(Path(__file__).parent / "packs" / "nanning-weighted.yaml", packs)
    bureau = bureau_with(RULE_PACK_DIR=str(packs))
    _, token = issue_key(services.app, "南宁住建", "bureau", "测试住建局", ("45",))
    bureau.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert register(bureau, NANNING).status_code == 201
    return bureau


def test_a_weighted_pack_shows_each_party_s_part(nanning: FlaskClient) -> None:
    appraisals = [
        ("street_party_committee", "excellent"),  # 4 × 0.5 = 2
        ("community_party_organisation", "good"),  # 2 × 0.3 = 0.6
        ("owners_committee", "poor"),  # -6 × 0.2 = -1.2
    ]
    for number, (assessor, rating) in enumerate(appraisals):
        body = _body("bureau", "appraisal", number) | {
            "assessor_type": assessor,
            "rating": rating,
            "business_date": "2026-01-20",
            "authority": "测试住建局",  # the factories' bureau registered the firm
        }
        posted = nanning.post(f"/enterprises/{NANNING}/records/appraisals", json=body)
        assert posted.status_code == 201, posted.json

    explained = nanning.get(
        f"/enterprises/{NANNING}/grade/explanation?as_of=2026-06-01"
    ).json

    assert explained["score"] == "91.4"
    [combined] = explained["combined"]
    [project] = combined["projects"]
    assert (combined["figure"], project["project"], project["figure"]) == (
        "1.4",
        "P-1",
        "1.4",
    )
    assert [
        (p["party"], p["weight"], p["figure"], p["part"]) for p in project["parties"]
    ] == [
        ("community_party_organisation", "0.3", "2", "0.6"),
        ("owners_committee", "0.2", "-6", "-1.2"),
        ("street_party_committee", "0.5", "4", "2"),
    ]


def test_the_api_document_says_who_may_post_a_record(app: Flask) -> None:
    paths = generated(app)["paths"]

    appraisal = paths["/enterprises/{credit_code}/records/appraisals"]["post"]
    objection = paths["/records/{record_id}/objections"]["post"]

    assert "a recording party whose role records this kind" in appraisal["description"]
    assert "the graded enterprise's own key" in objection["description"]
