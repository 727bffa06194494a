"""Valid test data: credit codes, enterprises and one body per record kind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from credit_svc.domain.credit_code import check_character
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.id_number import check_character as id_check_character
from credit_svc.domain.rulepack import RulePack
from credit_svc.rulepacks.load import load_packs
from credit_svc.services import Services


def credit_code(serial: int, division: str = "370602") -> str:
    """Return a valid unified social credit code for a test enterprise."""
    first_17 = f"91{division}MA{serial:07d}"
    return first_17 + check_character(first_17)


YANTAI = credit_code(1, "370602")  # graded by the Shandong/Yantai pack
MIANYANG = credit_code(2, "510703")  # graded by the Mianyang pack
BEIJING = credit_code(3, "110105")  # no pack covers Beijing

BODIES: dict[str, dict[str, Any]] = {
    "inspection": {
        "project_code": "P-1",
        "inspection_type": "annual_inspection",
        "score": "92",
        "findings": ["楼道堆物"],
        "rectification_deadline": "2026-02-01",
        "draw": "",
    },
    "list_entry": {
        "list_type": "red_board",
        "reason": "服务质量红榜",
        "term_months": 6,
    },
    "good_credit": {"category": "honour", "level": "provincial", "title": "省级示范"},
    "bad_credit": {
        "violation_code": "WY-0304",
        "description": "逾期未整改",
        "severity": "general",
        "points": "8",
        "veto": False,
        "flags": ["major_safety_accident"],
    },
    "party_building": {
        "period": "2025",
        "organisation_form": "own",
        "has_party_organisation": True,
        "party_member_count": 5,
        "joint_building": True,
        "instructor": "李四",
        "filing_date": "2025-02-20",
        "level": "excellent",
    },
    "appraisal": {
        "assessor_type": "owners_committee",
        "period": "2025-H2",
        "rating": "excellent",
        "owner_satisfaction": "93.5",
        "sample_size": 240,
    },
}
BODIES["summons"] = {
    "reason": "业主满意度低、矛盾纠纷多",
    "summoned_person": "张经理",
    "requirements": ["一个月内完成消防通道整改", "公示收支"],
    "rectification_deadline": "2026-02-28",
}
PATHS = {
    "inspection": "inspections",
    "list_entry": "list-entries",
    "good_credit": "good-credit-records",
    "bad_credit": "bad-credit-records",
    "party_building": "party-building-assessments",
    "appraisal": "appraisals",
    "summons": "summonses",
}


def enterprise_body(
    code: str = YANTAI, jurisdiction: str | None = None
) -> dict[str, Any]:
    """Return the body that registers a test enterprise with one project, P-1."""
    return {
        "credit_code": code,
        "name": f"测试物业{code[-4:]}",
        "jurisdiction": jurisdiction or code[2:8],
        "authority": "测试住建局",
        "projects": [{"code": "P-1", "name": "测试小区"}],
    }


def register(
    client: FlaskClient, code: str = YANTAI, jurisdiction: str | None = None
) -> TestResponse:
    """Register a test enterprise with one project, P-1."""
    return client.post("/enterprises", json=enterprise_body(code, jurisdiction))


def record_body(
    kind: str, business_date: str = "2026-01-10", **overrides: Any
) -> dict[str, Any]:
    """Return a valid body of the kind, dated and with a unique document number."""
    number = overrides.pop("document_number", f"DOC-{kind}-{business_date}")
    return (
        {
            "business_date": business_date,
            "authority": "测试住建局",
            "document_number": number,
        }
        | BODIES[kind]
        | overrides
    )


def post_record(
    client: FlaskClient, kind: str, code: str = YANTAI, **overrides: Any
) -> TestResponse:
    """Post a record of the kind about the enterprise."""
    url = f"/enterprises/{code}/records/{PATHS[kind]}"
    return client.post(url, json=record_body(kind, **overrides))


def make_fact(
    kind: str, day: str, term_months: int | None = None, **attributes: Any
) -> RecordFact:
    """Return a RecordFact of the kind, dated `day` (ISO), with the attributes."""
    decimals = {"score", "points", "owner_satisfaction"}
    typed = {
        k: Decimal(v) if k in decimals and v is not None else v
        for k, v in attributes.items()
    }
    record_id = f"{kind}-{day}-{sorted(attributes.items())}"
    return RecordFact(record_id, kind, date.fromisoformat(day), term_months, typed)


def shipped_pack(pack_id: str) -> RulePack:
    """Return one of the rule packs shipped with the service."""
    return next(p for p in load_packs() if p.pack_id == pack_id)


def id_number(serial: int, division: str = "510703") -> str:
    """Return a valid resident ID number (GB 11643) for a test person."""
    first_17 = f"{division}19850412{serial:03d}"
    return first_17 + id_check_character(first_17)


def register_manager(
    client: FlaskClient, serial: int = 1, jurisdiction: str = "510703"
) -> str:
    """Register a test project manager; return the manager's id."""
    answer = client.post(
        "/project-managers",
        json={
            "name": f"测试经理{serial}",
            "id_number": id_number(serial, jurisdiction),
            "jurisdiction": jurisdiction,
            "authority": "测试住建局",
        },
    )
    assert answer.status_code == 201, answer.json
    return str(answer.json["manager_id"])


def overwrite_grades(services: Services, grade: str) -> None:
    """Set every stored grade segment to the grade by hand, as someone
    tampering with the view would."""
    with services.view.db.datastore.transaction(commit=True) as cursor:
        table = services.view.db.dialect.table("segment")
        cursor.execute(f"UPDATE {table} SET grade = '{grade}'")


def events_written(services: Services) -> int:
    """Return how many events the log holds (its last position)."""
    return services.app.recorder.max_notification_id() or 0
