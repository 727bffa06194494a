"""Grades through HTTP: the Yantai pack's arithmetic on each date, checked by hand.

Yantai: base 60; a provincial honour +10 (good); stated bad points subtract;
bands AAA 85, AA 80, A 70, B 60, else C; below 60 with no bad record is B.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask.testing import FlaskClient

from tests.factories import BEIJING, MIANYANG, YANTAI, post_record, register


@pytest.fixture
def graded(client: FlaskClient) -> FlaskClient:
    """An enterprise with an honour (2025-03-01) and 8 bad points (2025-09-01)."""
    register(client)
    post_record(client, "good_credit", business_date="2025-03-01")
    post_record(client, "bad_credit", business_date="2025-09-01", flags=[])
    return client


@pytest.mark.parametrize(
    ("as_of", "score", "grade"),
    [
        ("2025-02-28", "60", "B"),  # nothing counts yet
        ("2025-03-01", "70", "A"),  # honour +10
        ("2025-08-31", "70", "A"),
        ("2025-09-01", "62", "B"),  # bad -8
        ("2026-02-28", "62", "B"),  # last day of the honour
        ("2026-03-01", "52", "C"),  # honour expired; below 60 with a bad record
        ("2026-08-31", "52", "C"),
        ("2026-09-01", "60", "B"),  # bad record expired too
    ],
)
def test_grade_on_each_date_follows_the_pack(
    graded: FlaskClient, as_of: str, score: str, grade: str
) -> None:
    response = graded.get(f"/enterprises/{YANTAI}/grade?as_of={as_of}")

    assert response.status_code == 200
    assert (response.json["score"], response.json["grade"]) == (score, grade)
    assert response.json["pack"] == {"id": "shandong-yantai", "version": "2022.1"}
    assert response.json["as_of"] == as_of


def test_grade_answer_carries_label_board_and_tender_points(
    graded: FlaskClient,
) -> None:
    response = graded.get(f"/enterprises/{YANTAI}/grade?as_of=2026-03-01")

    assert response.json == {
        "as_of": "2026-03-01",
        "blacklisted": False,
        "board": "black",
        "credit_code": YANTAI,
        "effective_from": "2026-03-01",
        "effective_until": "2026-09-01",
        "eligible": False,
        "grade": "C",
        "grade_label": "C 信用较差",
        "name": f"测试物业{YANTAI[-4:]}",
        "pack": {"id": "shandong-yantai", "version": "2022.1"},
        "recorded_at": None,
        "score": "52",
        "tender_points": "0",
    }


def test_grade_without_as_of_is_todays(graded: FlaskClient) -> None:
    today = datetime.now(timezone(timedelta(hours=8))).date().isoformat()

    current = graded.get(f"/enterprises/{YANTAI}/grade").json
    dated = graded.get(f"/enterprises/{YANTAI}/grade?as_of={today}").json

    assert current == dated


def test_history_lists_each_change_with_its_effective_date(graded: FlaskClient) -> None:
    response = graded.get(f"/enterprises/{YANTAI}/grade/history")

    assert [
        (s["effective_from"], s["effective_until"], s["score"], s["grade"])
        for s in response.json
    ] == [
        ("2022-01-01", "2025-03-01", "60", "B"),
        ("2025-03-01", "2025-09-01", "70", "A"),
        ("2025-09-01", "2026-03-01", "62", "B"),
        ("2026-03-01", "2026-09-01", "52", "C"),
        ("2026-09-01", None, "60", "B"),
    ]


def test_explanation_lists_every_record_its_points_and_why_others_did_not_count(
    graded: FlaskClient,
) -> None:
    records = {
        r["kind"]: r["record_id"]
        for r in graded.get(f"/enterprises/{YANTAI}/records").json
    }

    body = graded.get(f"/enterprises/{YANTAI}/grade/explanation?as_of=2026-03-01").json

    assert body["counted"] == [
        {
            "record_id": records["bad_credit"],
            "kind": "bad_credit",
            "business_date": "2025-09-01",
            "expires_on": "2026-09-01",
            "rule": 15,
            "category": "bad",
            "points": "-8",
        }
    ]
    assert body["not_counted"] == [
        {
            "record_id": records["good_credit"],
            "kind": "good_credit",
            "business_date": "2025-03-01",
            "reason": "expired on 2026-03-01",
        }
    ]
    assert body["categories"] == [
        {"name": "basic", "raw": "0", "applied": "0", "limited": False},
        {"name": "good", "raw": "0", "applied": "0", "limited": False},
        {"name": "bad", "raw": "-8", "applied": "-8", "limited": False},
    ]
    assert (
        body["base_score"],
        body["score"],
        body["band_grade"],
        body["grade"],
        body["overrides"],
    ) == ("60", "52", "C", "C", [])


def test_veto_override_shows_in_the_explanation(graded: FlaskClient) -> None:
    post_record(
        graded,
        "bad_credit",
        business_date="2025-04-01",
        document_number="V-1",
        points="1",
        veto=True,
        flags=[],
    )

    body = graded.get(f"/enterprises/{YANTAI}/grade/explanation?as_of=2025-04-01").json

    assert (body["score"], body["band_grade"], body["grade"]) == ("69", "B", "B")
    assert body["overrides"] == [{"condition": "veto", "grade": "B", "applied": True}]


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
        has_party_organisation=False,
        party_member_count=1,
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
