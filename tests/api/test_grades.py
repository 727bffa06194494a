"""Grades through HTTP: the Yantai pack's arithmetic on each date, checked by hand.

Yantai: base 60; a provincial honour +10 (good); stated bad points subtract;
bands AAA 85, AA 80, A 70, B 60, else C; below 60 with no bad record is B.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask.testing import FlaskClient

from tests.factories import YANTAI, post_record


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
