"""Project managers over HTTP: deductions charged, penalties, bars and blacklisting
(see tests/api/managers.py for what each pack charges)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.api.managers import (
    AUTHORITY,
    CHENGDU,
    assign,
    blacklist,
    penalty,
    running,
    standing_on,
)
from tests.factories import (
    MIANYANG,
    YANTAI,
    id_number,
    post_record,
    register,
    register_manager,
)


def test_a_project_deduction_is_charged_in_full_under_the_yantai_pack(
    client: FlaskClient,
) -> None:
    register(client)
    manager = register_manager(client)
    assign(client, manager, "2026-02-01")
    post_record(client, "bad_credit", business_date="2026-03-01", project_code="P-1")

    standing = standing_on(client, manager, "2026-04-01")

    assert [c["points"] for c in standing["charged"]] == ["-8"]  # stated 8 points
    assert standing["charged"][0]["credit_code"] == YANTAI
    assert standing["points"] == "92"
    assert standing["barred"] is False


def test_only_project_deductions_while_the_manager_ran_it_are_charged(
    client: FlaskClient,
) -> None:
    register(client)
    manager = register_manager(client)
    assign(client, manager, "2026-02-01")
    before = {"business_date": "2026-01-15", "project_code": "P-1"}
    post_record(client, "bad_credit", document_number="D-before", **before)
    post_record(client, "bad_credit", business_date="2026-03-01")  # no project

    standing = standing_on(client, manager, "2026-04-01")

    assert standing["charged"] == []
    assert standing["points"] == "100"


@pytest.mark.parametrize(
    ("code", "charged", "points"),
    [(MIANYANG, ["-4"], "96"), (CHENGDU, [], "100")],
)
def test_the_enterprises_pack_sets_the_share_charged(
    client: FlaskClient, code: str, charged: list[str], points: str
) -> None:
    register(client, code)
    manager = register_manager(client)
    assign(client, manager, "2026-02-01", code)
    post_record(
        client, "bad_credit", code, business_date="2026-03-01", project_code="P-1"
    )

    standing = standing_on(client, manager, "2026-04-01")

    assert [c["points"] for c in standing["charged"]] == charged
    assert standing["points"] == points


def test_own_penalties_use_the_stated_points_else_the_packs(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    running(client, manager)
    penalty(client, manager, document_number="PM-1")  # general: 5 by the pack
    penalty(client, manager, document_number="PM-2", points="3")

    standing = standing_on(client, manager, "2026-04-01")

    assert sorted(c["points"] for c in standing["counted"]) == ["-3", "-5"]
    assert standing["points"] == "92"


def test_a_penalty_counts_from_its_business_date(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    running(client, manager)
    penalty(client, manager)

    standing = standing_on(client, manager, "2026-02-01")

    assert standing["points"] == "100"
    assert standing["not_counted"][0]["reason"].startswith("not yet in effect")


def test_too_many_deductions_bar_the_manager(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    running(client, manager)
    for number in range(5):  # 5 serious penalties of 10 points: 50 < 60
        penalty(client, manager, severity="serious", document_number=f"PM-{number}")

    standing = standing_on(client, manager, "2026-04-01")

    assert standing["points"] == "50"
    assert (standing["blacklisted"], standing["barred"]) == (False, True)


def test_a_blacklisted_manager_is_barred_and_publicly_listed_without_id_number(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    running(client, manager)
    blacklist(client, manager)

    standing = standing_on(client, manager, "2026-04-01")
    listed = client.get(
        "/project-managers/blacklist",
        query_string={"jurisdiction": "51", "as_of": "2026-04-01"},
    )

    assert (standing["blacklisted"], standing["barred"]) == (True, True)
    assert [m["manager_id"] for m in listed.json] == [manager]
    assert listed.json[0]["entries"][0]["list_type"] == "blacklist"
    assert id_number(1) not in listed.get_data(as_text=True)


def test_a_blacklist_term_ends_by_itself(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    running(client, manager)
    listed_on = blacklist(client, manager, term_months=3)

    listed = client.get(
        "/project-managers/blacklist",
        query_string={"jurisdiction": "510703", "as_of": "2026-06-01"},
    )

    assert listed_on.status_code == 201, listed_on.json
    assert standing_on(client, manager, "2026-04-01")["blacklisted"] is True
    assert standing_on(client, manager, "2026-06-01")["blacklisted"] is False
    assert listed.json == []


def test_the_listing_authority_lifts_a_managers_blacklisting_early(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    running(client, manager)
    entry = blacklist(client, manager).json["record_id"]

    lifted = client.post(
        f"/records/{entry}/lifting",
        json={
            "lifted_on": "2026-05-01",
            "authority": AUTHORITY,
            "document_number": "LIFT-1",
            "reason": "整改到位",
        },
    )

    assert lifted.status_code == 201, lifted.json
    assert standing_on(client, manager, "2026-04-30")["blacklisted"] is True
    assert standing_on(client, manager, "2026-05-01")["blacklisted"] is False
