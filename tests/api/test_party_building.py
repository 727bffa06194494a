"""Party-building facts the rules need (issue 34, item 3): the form of a
firm's Party organisation, its full members, its instructor and its yearly
filing, judged as the sources word it: "未按要求成立" (required from 3
members, any form counts) and the filing "每年年初" (a pack's day)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc.rulepacks.load import PACKAGED_DIR
from credit_svc.services import Services
from credit_svc.usecases.api_keys import issue_key
from tests.factories import MIANYANG, credit_code, post_record, register

ZHENGZHOU = credit_code(8, "410105")


def _assessed(client: FlaskClient, code: str, **facts: Any) -> None:
    answer = post_record(
        client, "party_building", code, business_date="2026-02-01", **facts
    )
    assert answer.status_code == 201, answer.json


def _reasons(client: FlaskClient, code: str, day: str) -> dict[str, dict[str, Any]]:
    body = client.get(f"/enterprises/{code}/eligibility?as_of={day}").json
    return {r["reason"]: r for r in body["reasons"]}


def test_a_firm_in_a_joint_branch_is_not_excluded_in_mianyang(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    _assessed(
        client,
        MIANYANG,
        organisation_form="joint",
        party_member_count=2,
        has_party_organisation=None,
        instructor="王五",
    )

    reasons = _reasons(client, MIANYANG, "2026-06-01")
    record = client.get(f"/enterprises/{MIANYANG}/records").json[0]

    assert "no_party_organisation" not in reasons
    assert record["details"]["organisation_form"] == "joint"
    assert record["details"]["has_party_organisation"] is True
    assert record["details"]["instructor"] == "王五"


def test_a_firm_of_three_members_and_no_organisation_is_excluded_with_why(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    _assessed(
        client,
        MIANYANG,
        organisation_form="none",
        has_party_organisation=None,
        party_member_count=3,
    )

    reasons = _reasons(client, MIANYANG, "2026-06-01")
    page = client.get(f"/disclosure/enterprises/{MIANYANG}").get_data(as_text=True)

    assert reasons["no_party_organisation"]["detail"] == (
        "assessment of 2026-02-01: 3 full Party members and no Party "
        "organisation of any form (required from 3)"
    )
    assert "未按要求成立基层党组织" in page


def test_two_members_and_no_organisation_is_not_required_to_form_one(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    _assessed(
        client,
        MIANYANG,
        organisation_form="none",
        has_party_organisation=None,
        party_member_count=2,
    )

    assert "no_party_organisation" not in _reasons(client, MIANYANG, "2026-06-01")


def test_a_form_and_a_boolean_that_disagree_are_refused(client: FlaskClient) -> None:
    register(client, MIANYANG)
    refused = post_record(
        client,
        "party_building",
        MIANYANG,
        organisation_form="none",
        has_party_organisation=True,
    )
    neither = post_record(
        client,
        "party_building",
        MIANYANG,
        document_number="党建-2",
        organisation_form=None,
        has_party_organisation=None,
    )

    assert refused.status_code == neither.status_code == 422
    assert "contradicts" in str(refused.json["errors"])
    assert client.get(f"/enterprises/{MIANYANG}/records").json == []


@pytest.fixture
def henan(
    bureau_with: Callable[..., FlaskClient], services: Services, tmp_path: Path
) -> FlaskClient:
    """A bureau of Zhengzhou, on a service that runs the Henan-style test pack."""
    packs = tmp_path / "packs"
    shutil.copytree(PACKAGED_DIR, packs, ignore=shutil.ignore_patterns("*.py"))
    shutil.copy(Path(__file__).parent / "packs" / "henan-party.yaml", packs)
    bureau = bureau_with(RULE_PACK_DIR=str(packs))
    _, token = issue_key(services.app, "郑州住建", "bureau", "测试住建局", ("41",))
    bureau.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert register(bureau, ZHENGZHOU).status_code == 201
    return bureau


@pytest.mark.parametrize(
    ("filing_date", "day", "late"),
    [
        (None, "2026-03-31", None),  # not late on its last day
        (None, "2026-04-01", "no filing for 2026 by 2026-03-31"),
        ("2026-03-31", "2026-06-01", None),
        ("2026-04-02", "2026-06-01", "filed on 2026-04-02, after 2026-03-31"),
        ("2025-02-20", "2026-06-01", "no filing for 2026 by 2026-03-31"),
    ],
)
def test_a_late_yearly_filing_is_flagged(
    henan: FlaskClient, filing_date: str | None, day: str, late: str | None
) -> None:
    _assessed(
        henan,
        ZHENGZHOU,
        organisation_form="own",
        party_member_count=4,
        filing_date=filing_date,
    )

    reasons = _reasons(henan, ZHENGZHOU, day)

    assert reasons.get("party_filing_late", {}).get("detail") == late
    assert "party_organisation_required" not in reasons
