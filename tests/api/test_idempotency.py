"""Idempotency keys: a retry returns the first answer and writes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import YANTAI, id_number, record_body, register

URL = f"/enterprises/{YANTAI}/records/bad-credit-records"


def _post(client: FlaskClient, key: str, **overrides: Any) -> Any:
    return client.post(
        URL,
        json=record_body("bad_credit", **overrides),
        headers={"Idempotency-Key": key},
    )


def test_a_retry_returns_the_first_answer_and_writes_nothing(
    client: FlaskClient,
) -> None:
    register(client)
    first = _post(client, "req-1")
    head = client.get("/log/head").json

    retry = _post(client, "req-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert client.get("/log/head").json == head


def test_the_same_key_with_another_body_is_409_and_writes_nothing(
    client: FlaskClient,
) -> None:
    register(client)
    _post(client, "req-1")
    head = client.get("/log/head").json

    other = _post(client, "req-1", document_number="another")

    assert other.status_code == 409
    assert other.json["message"] == "this Idempotency-Key was used with another request"
    assert client.get("/log/head").json == head


def test_a_failed_request_frees_its_key_for_a_corrected_retry(
    client: FlaskClient,
) -> None:
    register(client)
    failed = client.post(
        URL, json={"business_date": "never"}, headers={"Idempotency-Key": "req-1"}
    )

    retried = client.post(
        URL, json={"business_date": "never"}, headers={"Idempotency-Key": "req-1"}
    )

    assert failed.status_code == retried.status_code == 422
    assert "Idempotent-Replayed" not in retried.headers


def test_keys_belong_to_the_api_key_that_used_them(
    client: FlaskClient, client_as: Any
) -> None:
    register(client)
    _post(client, "req-1")
    colleague = client_as("bureau", "测试住建局", ("37",))

    second = _post(colleague, "req-1", document_number="另一份")

    assert second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers


def test_a_retried_correction_is_applied_once(client: FlaskClient) -> None:
    register(client)
    record = _post(client, "req-1").json["record_id"]
    correction = {
        "authority": "测试住建局",
        "document_number": "更正-1",
        "reason": "复核",
        "changes": {"points": "6"},
    }

    answers = [
        client.post(
            f"/records/{record}/corrections",
            json=correction,
            headers={"Idempotency-Key": "fix-1"},
        )
        for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert client.get(f"/records/{record}").json["status"]["corrections"] == 1


def _correct(client: FlaskClient, record: str, key: str, points: str) -> Any:
    correction = {
        "authority": "测试住建局",
        "document_number": f"更正-{points}",
        "reason": "复核",
        "changes": {"points": points},
    }
    return client.post(
        f"/records/{record}/corrections",
        json=correction,
        headers={"Idempotency-Key": key},
    )


def _lose_answer(services: Services, key: str) -> None:
    """Leave the key's row as a crash between the commit and the answer
    leaves it: claimed long ago, no answer kept."""
    db = services.view.db
    with db.datastore.transaction(commit=True) as cursor:
        cursor.execute(
            db.dialect.sql(
                "UPDATE {idempotency} SET status = NULL, body = NULL, "
                "claimed_at = '2026-01-01T00:00:00+00:00' "
                "WHERE idempotency_key = ?",
                ("idempotency",),
            ),
            (key,),
        )


def test_a_correction_whose_answer_was_lost_is_answered_not_applied_again(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    record = _post(client, "req-1").json["record_id"]
    first = _correct(client, record, "fix-x", "6")
    _lose_answer(services, "fix-x")
    later = _correct(client, record, "fix-y", "7")

    retry = _correct(client, record, "fix-x", "6")
    again = _correct(client, record, "fix-x", "6")

    assert [a.status_code for a in (first, later, retry)] == [201, 201, 201]
    assert retry.json == first.json  # the record as X left it, points 6
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    now = client.get(f"/records/{record}").json
    assert now["details"]["points"] == "7"
    assert now["status"]["corrections"] == 2  # X and Y, not X, Y, X
    assert first.json["status"]["corrections"] == 1


def test_a_record_whose_answer_was_lost_gets_the_first_answer(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    first = _post(client, "req-1")
    head = client.get("/log/head").json
    _lose_answer(services, "req-1")

    retry = _post(client, "req-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json  # its id, time and position, not "exists"
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert client.get("/log/head").json == head


def test_a_batch_whose_answer_was_lost_gets_the_first_answer(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    _post(client, "req-1", document_number="DOC-before")
    batch = {
        "records": [
            {"kind": "bad_credit", "credit_code": YANTAI}
            | record_body("bad_credit", document_number=number)
            for number in ("DOC-before", "DOC-a", "DOC-b")
        ]
    }
    first = client.post("/records/batch", json=batch, headers={"Idempotency-Key": "b"})
    head = client.get("/log/head").json
    _lose_answer(services, "b")

    retry = client.post("/records/batch", json=batch, headers={"Idempotency-Key": "b"})

    assert first.status_code == retry.status_code == 201
    assert len(first.json["recorded"]) == 2
    assert len(first.json["already_recorded"]) == 1
    assert retry.json == first.json
    assert client.get("/log/head").json == head


def test_a_failed_write_that_wrote_nothing_still_frees_its_key(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    record = _post(client, "req-1").json["record_id"]
    refused = _correct(client, record, "fix-1", "not a number")

    assert refused.status_code == 422
    assert _idempotency_rows(services)[-1]["idempotency_key"] == "req-1"


def test_an_overlong_key_is_422(client: FlaskClient) -> None:
    register(client)

    answer = _post(client, "k" * 101)

    assert answer.status_code == 422
    assert "Idempotency-Key" in answer.json["message"]


def test_a_claim_left_by_a_crash_is_taken_over_after_a_minute(
    services: Services,
) -> None:
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    store = services.idempotency

    first = store.claim("key", "req-1", "hash", start)
    meanwhile = store.claim("key", "req-1", "hash", start + timedelta(seconds=59))
    later = store.claim("key", "req-1", "hash", start + timedelta(seconds=61))

    assert [c.outcome for c in (first, meanwhile, later)] == [
        "run",
        "in_progress",
        "run",
    ]


def test_a_claim_whose_write_committed_is_recovered_at_once(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    _post(client, "req-1")
    _lose_answer(services, "req-1")
    key_id = _idempotency_rows(services)[0]["key_id"]
    hashed = _idempotency_rows(services)[0]["request_hash"]

    claim = services.idempotency.claim(key_id, "req-1", hashed, datetime.now(UTC))

    assert claim.outcome == "recover"
    assert claim.positions == [client.get("/log/head").json["position"]]


def test_neither_an_id_number_nor_a_plain_hash_of_it_is_kept(
    client: FlaskClient, services: Services
) -> None:
    number = id_number(9)
    body = {
        "name": "李四",
        "id_number": number,
        "jurisdiction": "510703",
        "authority": "测试住建局",
    }
    sent = json.dumps(body).encode()

    first = client.post(
        "/project-managers",
        data=sent,
        content_type="application/json",
        headers={"Idempotency-Key": "pm-1"},
    )
    retry = client.post(
        "/project-managers",
        data=sent,
        content_type="application/json",
        headers={"Idempotency-Key": "pm-1"},
    )

    rows = _idempotency_rows(services)
    plain = hashlib.sha256(b"POST /project-managers\n" + sent).hexdigest()
    assert first.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert [row["idempotency_key"] for row in rows] == ["pm-1"]
    assert rows[0]["request_hash"] != plain
    assert number not in json.dumps(rows, default=str)


def _idempotency_rows(services: Services) -> list[dict[str, Any]]:
    db = services.view.db
    with db.datastore.transaction(commit=False) as cursor:
        cursor.execute(f"SELECT * FROM {db.dialect.table('idempotency')}")
        return [dict(row) for row in cursor.fetchall()]


OLD_TABLE = (  # as `init` made it before keyed writes noted their positions
    "CREATE TABLE {idempotency} (key_id TEXT NOT NULL, "
    "idempotency_key TEXT NOT NULL, request_hash TEXT NOT NULL, "
    "status INTEGER, body TEXT, claimed_at TEXT NOT NULL, "
    "PRIMARY KEY (key_id, idempotency_key))"
)


def test_keyed_writes_wait_for_init_to_upgrade_the_table(
    app: Flask, services: Services, bureau_with: Callable[..., FlaskClient]
) -> None:
    db = services.view.db
    with db.datastore.transaction(commit=True) as cursor:
        cursor.execute(db.dialect.sql("DROP TABLE {idempotency}", ("idempotency",)))
        cursor.execute(db.dialect.sql(OLD_TABLE, ("idempotency",)))
    try:
        old = bureau_with()  # a new process, as after an upgrade without init
        register(old)
        head = old.get("/log/head").json
        refused = _post(old, "req-1")
        unchanged = old.get("/log/head").json
        initialised = app.test_cli_runner().invoke(main, ["init"])
        accepted = _post(bureau_with(), "req-1")
    finally:
        services.idempotency.create_table()  # whatever failed: as init leaves it

    assert refused.status_code == 503
    assert "credit-svc init" in refused.json["message"]
    assert unchanged == head
    assert initialised.exit_code == 0, initialised.output
    assert accepted.status_code == 201
