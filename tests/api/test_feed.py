"""The change feed over HTTP: records and grade changes, paged by seq."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import (
    BEIJING,
    MIANYANG,
    YANTAI,
    overwrite_grades,
    post_record,
    register,
)


def _follow(client: FlaskClient, limit: int, **query: Any) -> list[dict[str, Any]]:
    """Read the whole feed page by page, as a tender platform would."""
    items: list[dict[str, Any]] = []
    after = 0
    while True:
        page = client.get(
            "/feed", query_string={"after": after, "limit": limit} | query
        )
        assert page.status_code == 200, page.json
        if not page.json["items"]:
            return items
        items.extend(page.json["items"])
        after = page.json["next_after"]


def _kinds(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["type"], i["credit_code"]) for i in items]


def test_a_new_record_and_the_grade_change_it_causes_are_announced(
    client: FlaskClient,
) -> None:
    register(client)
    posted = post_record(client, "bad_credit", business_date="2026-01-10").json

    items = client.get("/feed").json["items"]

    assert _kinds(items) == [("grade", YANTAI), ("record", YANTAI), ("grade", YANTAI)]
    assert [i["seq"] for i in items] == [1, 2, 3]
    assert items[1]["record"] == {k: v for k, v in posted.items() if k != "status"}
    assert items[1]["position"] == posted["position"] == items[2]["position"]
    history = client.get(f"/enterprises/{YANTAI}/grade/history").json
    assert items[2]["grades"] == history
    assert items[0]["grades"] != history  # the registration's timeline, before it
    assert items[1]["grades"] is None
    assert items[2]["record"] is None


def test_a_record_that_changes_no_grade_is_announced_alone(
    client: FlaskClient,
) -> None:
    register(client, BEIJING)  # no rule pack covers Beijing: it has no grades

    post_record(client, "good_credit", BEIJING)

    assert _kinds(client.get("/feed").json["items"]) == [("record", BEIJING)]


def test_pages_resume_after_the_seq_given_and_end_empty(client: FlaskClient) -> None:
    register(client)
    for day in ("2026-01-10", "2026-02-10", "2026-03-10"):
        post_record(client, "bad_credit", business_date=day, points="1")
    everything = client.get("/feed", query_string={"limit": 1000}).json

    paged = _follow(client, limit=2)
    last = client.get("/feed", query_string={"after": everything["next_after"]}).json

    assert len(everything["items"]) == 7
    assert paged == everything["items"]
    assert last == {
        "items": [],
        "next_after": everything["next_after"],
        "view_position": client.get("/log/head").json["position"],
        "checkpoint": None,  # 6 events, fewer than CHECKPOINT_EVERY
    }


def test_a_seq_beyond_64_bits_is_refused_and_the_largest_one_is_not(
    client: FlaskClient,
) -> None:
    too_big = client.get("/feed", query_string={"after": 2**63})
    largest = client.get("/feed", query_string={"after": 2**63 - 1})

    assert too_big.status_code == 422
    assert "after" in too_big.json["errors"]["query"]
    assert (largest.status_code, largest.json["items"]) == (200, [])


def test_a_copy_kept_from_the_feed_equals_every_grade_history(
    client: FlaskClient,
) -> None:
    for code in (YANTAI, MIANYANG):
        register(client, code)
        post_record(client, "good_credit", code, business_date="2026-03-01")
        post_record(client, "bad_credit", code, business_date="2026-05-01")

    copy = {i["credit_code"]: i["grades"] for i in _follow(client, 3) if i["grades"]}

    assert copy == {
        code: client.get(f"/enterprises/{code}/grade/history").json
        for code in (YANTAI, MIANYANG)
    }


def test_the_feed_can_be_narrowed_to_a_jurisdiction(client: FlaskClient) -> None:
    register(client, YANTAI)
    register(client, MIANYANG)
    post_record(client, "good_credit", YANTAI)
    post_record(client, "good_credit", MIANYANG)

    sichuan = _follow(client, 10, jurisdiction="51")

    assert {i["credit_code"] for i in sichuan} == {MIANYANG}
    assert {i["jurisdiction"] for i in sichuan} == {"510703"}
    assert [i["type"] for i in sichuan] == ["grade", "record", "grade"]


def test_bad_feed_queries_are_422(client: FlaskClient) -> None:
    for query in ({"limit": 0}, {"limit": 1001}, {"after": -1}, {"jurisdiction": "3"}):
        answer = client.get("/feed", query_string=query)

        assert answer.status_code == 422, query
        assert answer.json["code"] == 422
        assert list(answer.json["errors"]["query"]) == list(query)


def test_a_rebuild_that_repairs_grades_announces_them(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    register(client)
    post_record(client, "good_credit")
    overwrite_grades(services, "C")
    before = client.get("/feed").json["next_after"]

    app.test_cli_runner().invoke(main, ["rebuild", "--apply"])
    announced = client.get("/feed", query_string={"after": before}).json["items"]

    assert _kinds(announced) == [("grade", YANTAI)]
    assert (
        announced[0]["grades"]
        == client.get(f"/enterprises/{YANTAI}/grade/history").json
    )
    assert "C" not in {s["grade"] for s in announced[0]["grades"]}
