"""Boards, the blacklist tier, award eligibility and packs through HTTP
(the Yantai arithmetic of the `graded` fixture: see test_grades.py)."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.factories import BEIJING, MIANYANG, YANTAI, post_record, register


def test_blacklist_entry_puts_the_firm_on_the_blacklist_tier_for_its_term(
    graded: FlaskClient,
) -> None:
    post_record(
        graded,
        "list_entry",
        business_date="2025-05-01",
        list_type="blacklist",
        term_months=6,
    )

    during = graded.get(f"/enterprises/{YANTAI}/grade?as_of=2025-10-31").json
    after = graded.get(f"/enterprises/{YANTAI}/grade?as_of=2025-11-01").json

    assert (during["grade"], during["blacklisted"]) == ("BL", True)
    assert (after["grade"], after["blacklisted"]) == ("B", False)


def test_eligibility_lists_every_mianyang_reason(client: FlaskClient) -> None:
    register(client, MIANYANG)
    post_record(
        client,
        "bad_credit",
        MIANYANG,
        business_date="2025-08-10",
        severity="serious",
        points="30",
    )
    post_record(
        client,
        "party_building",
        MIANYANG,
        business_date="2025-09-01",
        organisation_form="none",
        has_party_organisation=False,
        party_member_count=3,  # required to form one, and has none
        level="fail",
    )

    body = client.get(f"/enterprises/{MIANYANG}/eligibility?as_of=2026-01-01").json

    assert body["eligible"] is False
    assert body["grade"] == "B"  # base 90 - 30 = 60: B's floor, and B is "B or below"
    assert [r["reason"] for r in body["reasons"]] == [
        "grade_b_or_below",
        "no_party_organisation",
        "major_safety_accident",
    ]
    assert body["pack"] == {"id": "sichuan-mianyang", "version": "2025.1"}


def test_clean_enterprise_is_eligible(client: FlaskClient) -> None:
    register(client, MIANYANG)
    post_record(client, "party_building", MIANYANG, business_date="2025-09-01")
    post_record(client, "good_credit", MIANYANG, business_date="2025-10-01")

    body = client.get(f"/enterprises/{MIANYANG}/eligibility?as_of=2026-01-01").json

    assert (body["eligible"], body["reasons"], body["grade"]) == (True, [], "AAA")


def test_boards_list_firms_of_a_jurisdiction_on_a_date(graded: FlaskClient) -> None:
    register(graded, MIANYANG)
    post_record(
        graded,
        "list_entry",
        MIANYANG,
        business_date="2025-05-01",
        list_type="blacklist",
        term_months=12,
    )

    black_2026 = graded.get("/boards/black?jurisdiction=3706&as_of=2026-03-01").json
    black_2025 = graded.get("/boards/black?jurisdiction=3706&as_of=2025-03-01").json
    blacklist = graded.get("/boards/blacklist?jurisdiction=51&as_of=2025-06-01").json
    red_sichuan = graded.get("/boards/red?jurisdiction=510703&as_of=2025-06-01").json

    assert [(e["credit_code"], e["grade"]) for e in black_2026] == [(YANTAI, "C")]
    assert black_2025 == []
    assert [(e["credit_code"], e["blacklisted"]) for e in blacklist] == [
        (MIANYANG, True)
    ]
    assert red_sichuan == []


def test_board_needs_a_jurisdiction(client: FlaskClient) -> None:
    response = client.get("/boards/red?jurisdiction=37060")

    assert response.status_code == 422
    assert "jurisdiction" in response.json["errors"]["query"]


def test_jurisdiction_without_a_pack_has_no_grade(client: FlaskClient) -> None:
    register(client, BEIJING)

    response = client.get(f"/enterprises/{BEIJING}/grade?as_of=2026-01-01")

    assert response.status_code == 404
    assert (
        response.json["message"]
        == "no rule pack covers jurisdiction 110105 on 2026-01-01"
    )


def test_bad_as_of_is_422(graded: FlaskClient) -> None:
    response = graded.get(f"/enterprises/{YANTAI}/grade?as_of=yesterday")

    assert response.status_code == 422
    assert "as_of" in response.json["errors"]["query"]


def test_rule_packs_are_listed(client: FlaskClient) -> None:
    packs = client.get("/rule-packs").json

    yantai = next(p for p in packs if p["id"] == "shandong-yantai")
    assert yantai["bands"][0] == {"grade": "AAA", "floor": "85"}
    assert yantai["bands"][-1] == {"grade": "C", "floor": None}
    assert yantai["jurisdictions"] == ["3706"]
