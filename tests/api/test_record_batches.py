"""Posting many records in one request: all or none, and once each."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from credit_svc.services import Services
from tests.factories import (
    BODIES,
    MIANYANG,
    YANTAI,
    events_written,
    post_record,
    record_body,
    register,
)


def item(kind: str, code: str = YANTAI, **overrides: Any) -> dict[str, Any]:
    """Return a batch item: the kind's POST body with its kind and enterprise."""
    return {"kind": kind, "credit_code": code} | record_body(kind, **overrides)


def post_batch(client: FlaskClient, *items: dict[str, Any]) -> Any:
    """Post the items as one batch."""
    return client.post("/records/batch", json={"records": list(items)})


def test_a_batch_records_every_kind_as_single_posts_would(
    client: FlaskClient,
) -> None:
    register(client)
    register(client, MIANYANG)

    answer = post_batch(
        client, *(item(kind) for kind in BODIES), item("good_credit", MIANYANG)
    )

    assert answer.status_code == 201, answer.json
    recorded = answer.json["recorded"]
    assert [r["kind"] for r in recorded] == [*BODIES, "good_credit"]
    assert answer.json["already_recorded"] == []
    positions = [r["position"] for r in recorded]
    assert positions == sorted(set(positions))  # each its own, in the batch's order
    listed = client.get(f"/enterprises/{YANTAI}/records").json
    assert sorted(listed, key=lambda r: r["position"]) == recorded[:-1]


def test_a_batch_is_graded_before_it_is_answered(client: FlaskClient) -> None:
    register(client)
    before = client.get(f"/enterprises/{YANTAI}/grade?as_of=2026-02-01").json

    post_batch(
        client,
        item("bad_credit", business_date="2026-01-10", flags=[]),
        item("bad_credit", business_date="2026-01-11", flags=[], document_number="B2"),
    )
    after = client.get(f"/enterprises/{YANTAI}/grade?as_of=2026-02-01").json

    assert after["score"] < before["score"]


def test_a_batch_sent_again_records_nothing_more(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    items = [item("good_credit"), item("inspection")]
    first = post_batch(client, *items)
    written = events_written(services)

    again = post_batch(client, *items)

    assert again.status_code == 201
    assert again.json["recorded"] == []
    assert again.json["already_recorded"] == [
        r["record_id"] for r in first.json["recorded"]
    ]
    assert events_written(services) == written


def test_records_already_posted_one_by_one_are_left_out(client: FlaskClient) -> None:
    register(client)
    single = post_record(client, "good_credit").json

    answer = post_batch(client, item("good_credit"), item("appraisal"))

    assert answer.status_code == 201
    assert [r["kind"] for r in answer.json["recorded"]] == ["appraisal"]
    assert answer.json["already_recorded"] == [single["record_id"]]


def test_one_bad_item_refuses_the_batch_and_nothing_is_written(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    written = events_written(services)

    answer = post_batch(
        client,
        item("good_credit"),
        item("inspection", score=101),
        item("appraisal", MIANYANG),  # not registered
        item("good_credit", project_code="P-9"),
        item("good_credit", document_number="G-2") | {"kind": "honour"},
        item("good_credit"),  # the first item again
    )

    assert answer.status_code == 422
    errors = answer.json["errors"]["json"]["records"]
    assert set(errors) == {"1", "2", "3", "4", "5"}
    assert "score" in errors["1"]
    assert errors["2"] == {"credit_code": [f"enterprise {MIANYANG} is not registered"]}
    assert errors["3"] == {
        "project_code": [f"project P-9 is not a project of {YANTAI}"]
    }
    assert "kind" in errors["4"]
    assert errors["5"] == {"document_number": ["the same record as records[0]"]}
    assert events_written(services) == written


def test_a_batch_holds_one_to_a_hundred_records(client: FlaskClient) -> None:
    register(client)
    many = [item("good_credit", document_number=f"G-{n}") for n in range(101)]

    empty = post_batch(client)
    too_many = post_batch(client, *many)
    hundred = post_batch(client, *many[:100])

    assert (empty.status_code, too_many.status_code) == (422, 422)
    assert hundred.status_code == 201
    assert len(hundred.json["recorded"]) == 100


def test_every_item_is_within_the_bureaus_scope(
    client: FlaskClient, client_as: Any, services: Services
) -> None:
    register(client)
    register(client, MIANYANG)
    mianyang_bureau = client_as("bureau", "测试住建局", ("5107",))
    written = events_written(services)

    outside = post_batch(
        mianyang_bureau, item("good_credit", MIANYANG), item("good_credit")
    )
    other_authority = post_batch(
        client, item("good_credit"), item("appraisal", authority="烟台市住建局")
    )

    assert outside.status_code == 403
    assert (
        outside.json["message"] == "records[1]: 行政区划 370602 不在此密钥的范围内 · "
        "jurisdiction 370602 is outside this key's"
    )
    assert other_authority.status_code == 403
    assert other_authority.json["message"] == (
        "records[1]: 此密钥以「测试住建局」名义记录，不能以「烟台市住建局」名义 · "
        "this key writes as 测试住建局, not as 烟台市住建局"
    )
    assert events_written(services) == written


def test_a_platform_key_cannot_post_a_batch(
    client: FlaskClient, client_as: Any
) -> None:
    register(client)
    platform = client_as("platform")

    answer = post_batch(platform, item("good_credit"))

    assert answer.status_code == 403


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(
    client: FlaskClient,
) -> None:
    register(client)
    body = {"records": [item("good_credit"), item("appraisal")]}
    key = {"Idempotency-Key": "batch-1"}
    first = client.post("/records/batch", json=body, headers=key)

    retry = client.post("/records/batch", json=body, headers=key)

    assert retry.status_code == 201
    assert retry.json == first.json
    assert retry.headers["Idempotent-Replayed"] == "true"
