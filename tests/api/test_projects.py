"""Projects (estates) as subjects of credit (issue 31), over HTTP.

Mianyang: a project's blacklisting lists the project, not its firm, and the
demonstration-project exclusions. Xiamen (Tong'an, 350212) under the Fujian
pack: star ratings with their publicity period, objections and withdrawal,
and appraisals of several projects combined rather than added.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from credit_svc.rulepacks.load import PACKAGED_DIR
from credit_svc.services import Services
from tests.api.project_steps import AUTHORITY_NAME, add_project, manage, standing
from tests.factories import (
    MIANYANG,
    credit_code,
    events_written,
    post_record,
    register,
)

TONGAN = credit_code(5, "350212")
SECOND_MIANYANG = credit_code(6, "510703")


@pytest.fixture
def fujian(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    """A bureau of Fujian, with a Tong'an firm registered."""
    bureau = client_as("bureau", AUTHORITY_NAME, ("35",))
    assert register(bureau, TONGAN).status_code == 201
    return bureau


def test_a_project_blacklisting_lists_the_project_not_its_firm(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    for code in ("MY-1", "MY-2"):
        add_project(client, code, "510703")
        manage(client, code, MIANYANG)
    listed = post_record(
        client,
        "list_entry",
        MIANYANG,
        business_date="2026-03-01",
        list_type="blacklist",
        reason="物业管理大检查列入黑名单",
        project_code="MY-1",
    )
    assert listed.status_code == 201, listed.json

    firm = client.get(f"/enterprises/{MIANYANG}/grade?as_of=2026-06-01").json
    first = standing(client, "MY-1", "2026-06-01")
    second = standing(client, "MY-2", "2026-06-01")
    boards = client.get("/boards/black?jurisdiction=5107&as_of=2026-06-01").json

    assert (firm["blacklisted"], firm["grade"], firm["score"]) == (False, "AA", "90")
    assert (first["board"], first["blacklisted"]) == ("black", True)
    assert (second["board"], second["blacklisted"]) == (None, False)
    assert [(e["credit_code"], e["project_code"]) for e in boards] == [
        (MIANYANG, "MY-1")
    ]
    listed = client.get(f"/enterprises/{MIANYANG}?as_of=2026-06-01").json["projects"]
    assert [(p["code"], p["board"], p["registered"]) for p in listed] == [
        ("P-1", None, False),  # added to the firm only, before issue 31
        ("MY-1", "black", True),
        ("MY-2", None, True),
    ]


def test_an_enterprise_wide_blacklisting_still_gives_the_blacklist_tier(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    post_record(
        client,
        "list_entry",
        MIANYANG,
        business_date="2026-03-01",
        list_type="blacklist",
        reason="企业列入黑名单",
        project_code="",
    )

    firm = client.get(f"/enterprises/{MIANYANG}/grade?as_of=2026-06-01").json

    assert (firm["blacklisted"], firm["grade"]) == (True, "C")


def test_who_managed_an_estate_on_a_day_on_both_time_axes(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    register(client, SECOND_MIANYANG)
    add_project(client, "MY-3", "510703")
    manage(client, "MY-3", MIANYANG, "2024-01-01")
    before_handover = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    ended = client.post(
        "/projects/MY-3/management/end",
        json={
            "credit_code": MIANYANG,
            "ends_on": "2026-01-01",
            "reason": "contract_ended",
            "authority": AUTHORITY_NAME,
        },
    )
    assert ended.status_code == 201, ended.json
    manage(client, "MY-3", SECOND_MIANYANG, "2026-01-01")

    def manager(as_of: str, **args: str) -> str | None:
        found = standing(client, "MY-3", as_of, **args)["managed_by"]
        return found["credit_code"] if found else None

    assert manager("2025-12-31") == MIANYANG
    assert manager("2026-01-01") == SECOND_MIANYANG
    # As the service knew before the handover was recorded.
    assert manager("2026-06-01", recorded_at=before_handover) == MIANYANG
    # The second firm may now name the estate in its records.
    assert (
        post_record(
            client, "inspection", SECOND_MIANYANG, project_code="MY-3"
        ).status_code
        == 201
    )


def test_a_second_firm_cannot_start_while_the_first_manages(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    register(client, SECOND_MIANYANG)
    add_project(client, "MY-4", "510703")
    manage(client, "MY-4", MIANYANG)

    clash = client.post(
        "/projects/MY-4/management",
        json={
            "credit_code": SECOND_MIANYANG,
            "starts_on": "2025-06-01",
            "document_number": "合同-2",
            "authority": AUTHORITY_NAME,
        },
    )

    assert clash.status_code == 409
    assert "end that period first" in clash.json["message"]


def _star_project(bureau: FlaskClient, code: str = "TA-1") -> None:
    """A Tong'an estate with its own Party branch and one penalty of 3 points."""
    add_project(bureau, code, "350212", {"party_organisation": "branch"})
    manage(bureau, code, TONGAN)
    penalty = post_record(
        bureau,
        "bad_credit",
        TONGAN,
        business_date="2025-10-01",
        project_code=code,
        severity="general",
        points="3",
        flags=[],
        document_number=f"罚-{code}",
    )
    assert penalty.status_code == 201, penalty.json


def _rating(bureau: FlaskClient, as_of: str, **args: str) -> tuple[str, int | None]:
    found = standing(bureau, "TA-1", as_of, **args)
    ratings = {r["year"]: r for r in found["ratings"]}
    return (ratings[2025]["state"] if 2025 in ratings else "none"), found["stars"]


def test_stars_before_during_and_after_their_publicity(fujian: FlaskClient) -> None:
    _star_project(fujian)

    rated = standing(fujian, "TA-1", "2025-12-01")["ratings"][0]

    # 100 - 3 for the penalty + 2 for the estate's Party branch: 4 stars.
    assert (rated["score"], rated["stars"]) == ("99", 4)
    assert [b["reason"] for b in rated["bonuses"]] == ["party_branch"]
    # Published on 1 December 2025 for 7 working days: 2-5 and 8-10 December.
    assert rated["publicity_ends_on"] == "2025-12-10"
    assert _rating(fujian, "2025-11-30") == ("none", None)
    assert _rating(fujian, "2025-12-10") == ("in_publicity", None)
    assert _rating(fujian, "2025-12-11") == ("in_force", 4)
    firm = fujian.get(f"/enterprises/{TONGAN}?as_of=2025-12-11").json
    assert [(p["code"], p["stars"]) for p in firm["projects"]] == [
        ("P-1", None),
        ("TA-1", 4),
    ]


def test_an_objection_holds_the_rating_back_until_decided(fujian: FlaskClient) -> None:
    _star_project(fujian)
    before = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    objected = fujian.post(
        "/projects/TA-1/ratings/2025/objection",
        json={
            "filed_on": "2025-12-05",
            "reason": "扣分有误",
            "authority": AUTHORITY_NAME,
        },
    )
    assert objected.status_code == 201, objected.json
    decided = fujian.post(
        "/projects/TA-1/ratings/2025/objection/decision",
        json={"decided_on": "2025-12-20", "upheld": False, "authority": AUTHORITY_NAME},
    )
    assert decided.status_code == 201, decided.json

    assert _rating(fujian, "2025-12-19") == ("held_by_objection", None)
    assert _rating(fujian, "2025-12-20") == ("in_force", 4)
    # As recorded before the objection: in force from the 11th.
    assert _rating(fujian, "2025-12-19", recorded_at=before) == ("in_force", 4)


def test_an_upheld_objection_withdraws_the_rating(fujian: FlaskClient) -> None:
    _star_project(fujian)
    for path, body in (
        ("objection", {"filed_on": "2025-12-02", "reason": "评分有误"}),
        ("objection/decision", {"decided_on": "2025-12-15", "upheld": True}),
    ):
        answer = fujian.post(
            f"/projects/TA-1/ratings/2025/{path}",
            json=body | {"authority": AUTHORITY_NAME},
        )
        assert answer.status_code == 201, answer.json

    assert _rating(fujian, "2025-12-15") == ("withdrawn", None)


def test_an_objection_outside_the_publicity_is_refused_and_nothing_written(
    fujian: FlaskClient,
) -> None:
    _star_project(fujian)

    late = fujian.post(
        "/projects/TA-1/ratings/2025/objection",
        json={"filed_on": "2025-12-11", "reason": "逾期", "authority": AUTHORITY_NAME},
    )

    far = fujian.post(
        "/projects/TA-1/ratings/10000/objection",
        json={"filed_on": "2025-12-05", "reason": "年份", "authority": AUTHORITY_NAME},
    )

    assert late.status_code == 422
    assert "2025-12-01 to 2025-12-10" in late.json["message"]
    assert far.status_code == 422
    assert _rating(fujian, "2025-12-11") == ("in_force", 4)


def test_stars_are_withdrawn_when_the_contract_ends(fujian: FlaskClient) -> None:
    _star_project(fujian)
    ended = fujian.post(
        "/projects/TA-1/management/end",
        json={
            "credit_code": TONGAN,
            "ends_on": "2026-03-01",
            "reason": "contract_ended",
            "authority": AUTHORITY_NAME,
        },
    )
    assert ended.status_code == 201, ended.json

    assert _rating(fujian, "2026-02-28") == ("in_force", 4)
    assert _rating(fujian, "2026-03-01") == ("withdrawn", None)
    ratings = standing(fujian, "TA-1", "2026-03-01")["ratings"]
    assert (ratings[0]["ended_on"], ratings[0]["ended_by"]) == (
        "2026-03-01",
        "contract_ended",
    )


def test_a_serious_violation_withdraws_the_stars_from_its_day(
    fujian: FlaskClient,
) -> None:
    _star_project(fujian)
    serious = post_record(
        fujian,
        "bad_credit",
        TONGAN,
        business_date="2026-02-10",
        project_code="TA-1",
        severity="serious",
        flags=[],
        document_number="罚-重",
    )
    assert serious.status_code == 201, serious.json

    assert _rating(fujian, "2026-02-09") == ("in_force", 4)
    assert _rating(fujian, "2026-02-10") == ("withdrawn", None)


def test_appraisals_of_three_projects_combine_by_the_pack_not_by_sum(
    fujian: FlaskClient,
) -> None:
    for code in ("TA-1", "TA-2", "TA-3"):
        add_project(fujian, code, "350212")
        manage(fujian, code, TONGAN)
    appraisals = [  # TA-1 by two parties: (4 + 2) / 2 = 3
        ("TA-1", "street_party_committee", "excellent"),
        ("TA-1", "owners_committee", "good"),
        ("TA-2", "owners_committee", "poor"),  # -6
        ("TA-3", "community_party_organisation", "excellent"),  # 4
    ]
    for number, (code, assessor, rating) in enumerate(appraisals):
        posted = post_record(
            fujian,
            "appraisal",
            TONGAN,
            business_date="2026-01-20",
            project_code=code,
            assessor_type=assessor,
            rating=rating,
            document_number=f"评价-{number}",
        )
        assert posted.status_code == 201, posted.json

    firm = fujian.get(f"/enterprises/{TONGAN}/grade/explanation?as_of=2026-06-01").json
    first = standing(fujian, "TA-1", "2026-06-01")

    # The mean of the projects' means: (3 - 6 + 4) / 3; added up it would be 4.
    appraisal = next(c for c in firm["categories"] if c["name"] == "appraisal")
    assert (appraisal["raw"], firm["score"]) == ("0.33", "100.33")
    first_appraisal = next(c for c in first["categories"] if c["name"] == "appraisal")
    assert first_appraisal["raw"] == "3"


def _demonstration(client: FlaskClient, code: str, as_of: str) -> set[str]:
    found = standing(client, code, as_of)["demonstration"]
    reasons = {r["reason"] for r in found["reasons"]}
    assert found["eligible"] is not reasons
    return reasons


def test_each_demonstration_exclusion_holds_from_its_day(client: FlaskClient) -> None:
    register(client, MIANYANG)
    add_project(client, "MY-5", "510703", {"party_organisation": "working_group"})
    manage(client, "MY-5", MIANYANG)
    stated = client.post(
        "/projects/MY-5/facts",
        json={
            "effective_on": "2025-03-01",
            "facts": {"party_organisation": "branch"},
            "authority": AUTHORITY_NAME,
        },
    )
    assert stated.status_code == 201, stated.json
    accident = post_record(
        client,
        "bad_credit",
        MIANYANG,
        business_date="2024-06-01",
        project_code="MY-5",
        flags=["major_safety_accident"],
        document_number="事故-1",
    )
    listed = post_record(
        client,
        "list_entry",
        MIANYANG,
        business_date="2026-04-01",
        list_type="blacklist",
        reason="物业管理大检查列入黑名单",
        project_code="MY-5",
        term_months=6,
    )
    assert (accident.status_code, listed.status_code) == (201, 201)

    # The working group is not yet an organisation; the branch is, from 1 March.
    assert _demonstration(client, "MY-5", "2025-02-28") == {
        "no_party_organisation",
        "major_safety_accident",
    }
    assert _demonstration(client, "MY-5", "2025-03-01") == {"major_safety_accident"}
    # The accident bars for two years: until 31 May 2026.
    assert _demonstration(client, "MY-5", "2026-03-31") == {"major_safety_accident"}
    assert _demonstration(client, "MY-5", "2026-06-01") == {"blacklisted"}
    # The project's blacklisting: from 1 April 2026, for six months.
    assert _demonstration(client, "MY-5", "2026-10-01") == set()


def test_a_firm_blacklisted_as_a_whole_bars_its_projects(client: FlaskClient) -> None:
    register(client, MIANYANG)
    add_project(client, "MY-6", "510703", {"party_organisation": "joint_branch"})
    manage(client, "MY-6", MIANYANG)
    post_record(
        client,
        "list_entry",
        MIANYANG,
        business_date="2026-04-01",
        list_type="blacklist",
        reason="企业列入黑名单",
        project_code="",
    )

    assert _demonstration(client, "MY-6", "2026-03-31") == set()
    assert _demonstration(client, "MY-6", "2026-04-01") == {"blacklisted"}


def test_standings_of_many_projects_in_one_request(client: FlaskClient) -> None:
    register(client, MIANYANG)
    add_project(client, "MY-7", "510703")
    manage(client, "MY-7", MIANYANG)

    answer = client.post(
        "/projects/standing/batch",
        json={"project_codes": ["MY-7", "NONE-1"], "as_of": "2026-06-01"},
    )

    assert answer.status_code == 200, answer.json
    assert [s["project_code"] for s in answer.json["standings"]] == ["MY-7"]
    assert answer.json["errors"] == [
        {
            "project_code": "NONE-1",
            "code": 404,
            "message": "project NONE-1 is not registered",
        }
    ]


def test_a_bad_project_write_is_refused_and_writes_nothing(
    client: FlaskClient, services: Services
) -> None:
    register(client, MIANYANG)
    add_project(client, "MY-8", "510703")
    before = events_written(services)

    answers = [
        client.post(
            "/projects/MY-8/facts",
            json={
                "effective_on": "2025-03-01",
                "facts": {},
                "authority": AUTHORITY_NAME,
            },
        ),
        client.post(
            "/projects/MY-8/management/end",
            json={
                "credit_code": MIANYANG,
                "ends_on": "2026-01-01",
                "reason": "contract_ended",
                "authority": AUTHORITY_NAME,
            },
        ),
        client.post(
            "/projects",
            json={
                "project_code": "MY-8",
                "name": "重复",
                "jurisdiction": "510703",
                "authority": AUTHORITY_NAME,
            },
        ),
        client.post(
            "/projects/NONE-2/management",
            json={
                "credit_code": MIANYANG,
                "starts_on": "2025-01-01",
                "document_number": "合同-x",
                "authority": AUTHORITY_NAME,
            },
        ),
    ]

    assert [a.status_code for a in answers] == [422, 409, 409, 404]
    assert all(set(a.json) >= {"code", "message"} for a in answers)
    assert events_written(services) == before


def test_a_bureau_writes_about_estates_of_its_own_jurisdictions_only(
    client: FlaskClient, fujian: FlaskClient
) -> None:
    add_project(fujian, "TA-9", "350212")

    answer = client.post(
        "/projects/TA-9/facts",
        json={
            "effective_on": "2025-03-01",
            "facts": {"owners_body": "owners_committee"},
            "authority": AUTHORITY_NAME,
        },
    )

    assert answer.status_code == 403


@pytest.fixture
def demonstration_bureau(
    bureau_with: Callable[..., FlaskClient], tmp_path: Path
) -> FlaskClient:
    """A bureau of a service grading Mianyang under the 2027 rules from 2025."""
    packs = tmp_path / "packs"
    shutil.copytree(PACKAGED_DIR, packs, ignore=shutil.ignore_patterns("*.py"))
    for shipped in packs.glob("sichuan-mianyang-*.yaml"):
        shipped.unlink()
    shutil.copy(Path(__file__).parent / "packs" / "mianyang-demonstration.yaml", packs)
    bureau = bureau_with(RULE_PACK_DIR=str(packs))
    assert register(bureau, MIANYANG).status_code == 201
    party = post_record(bureau, "party_building", MIANYANG, business_date="2025-01-05")
    assert party.status_code == 201, party.json
    return bureau


def _bars(client: FlaskClient, as_of: str) -> set[str]:
    answer = client.get(f"/enterprises/{MIANYANG}/eligibility?as_of={as_of}").json
    return {reason["reason"] for reason in answer["reasons"]}


def test_a_firm_needs_a_demonstration_project_that_year(
    demonstration_bureau: FlaskClient,
) -> None:
    made = post_record(
        demonstration_bureau,
        "good_credit",
        MIANYANG,
        business_date="2026-01-05",
        project_code="P-1",
        category="demonstration_project",
        level="city",
        title="红色物业示范项目",
    )
    assert made.status_code == 201, made.json

    assert _bars(demonstration_bureau, "2025-12-31") == {"no_demonstration_project"}
    assert _bars(demonstration_bureau, "2026-01-04") == {"no_demonstration_project"}
    assert _bars(demonstration_bureau, "2026-01-05") == set()
    assert _bars(demonstration_bureau, "2026-12-31") == set()
