"""Signed grade receipts over HTTP: issued, checked months later, and caught
when the receipt or the log was altered, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.adapters.receipts import canonical
from credit_svc.services import Services
from tests.factories import YANTAI, post_record
from tests.integrity.receipts import AS_OF, an_a_grade, receipt_of


def test_a_receipt_states_the_grade_and_the_log_head(client: FlaskClient) -> None:
    an_a_grade(client)

    signed = receipt_of(client)
    receipt = signed["receipt"]

    assert signed["algorithm"] == "Ed25519"
    assert {k: receipt[k] for k in ("grade", "score", "tender_points")} == {
        "grade": "A",
        "score": "75",
        "tender_points": "1",
    }
    assert receipt["eligible"] is True
    assert receipt["blacklisted"] is False
    assert receipt["pack"] == {"id": "shandong-yantai", "version": "2022.1"}
    assert receipt["log_head"] == client.get("/log/head").json


def test_anyone_can_check_the_signature_with_the_public_key(
    client: FlaskClient,
) -> None:
    an_a_grade(client)
    signed = receipt_of(client)

    key = client.get("/receipts/public-key").json
    public_key = load_pem_public_key(key["public_key_pem"].encode())
    assert isinstance(public_key, Ed25519PublicKey)

    # Offline, with nothing of the service's code but the canonical encoding:
    message = json.dumps(
        signed["receipt"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    public_key.verify(base64.b64decode(signed["signature"]), message)
    assert message == canonical(signed["receipt"])
    assert key["key_id"] == signed["receipt"]["key_id"]


def test_a_receipt_still_proves_its_grade_after_later_records(
    client: FlaskClient,
) -> None:
    an_a_grade(client)
    signed = receipt_of(client)

    post_record(client, "bad_credit", business_date="2026-04-01", points="20")
    now = client.get(f"/enterprises/{YANTAI}/grade?as_of={AS_OF}").json
    check = client.post("/receipts/verify", json=signed).json

    assert now["grade"] == "C"  # the grade today is different ...
    assert check == {  # ... but the receipt was right when it was issued
        "valid": True,
        "signature_valid": True,
        "log_matches": True,
        "grade_confirmed": True,
        "recomputed": {
            "grade": "A",
            "score": "75",
            "tender_points": "1",
            "blacklisted": False,
            "eligible": True,
            "pack": {"id": "shandong-yantai", "version": "2022.1"},
        },
        "problems": [],
    }


def test_an_altered_receipt_fails_the_signature_and_the_recomputation(
    client: FlaskClient,
) -> None:
    an_a_grade(client)
    signed = receipt_of(client)
    signed["receipt"]["grade"] = "AAA"

    check = client.post("/receipts/verify", json=signed).json

    assert check["valid"] is False
    assert check["signature_valid"] is False
    assert check["grade_confirmed"] is False
    assert check["recomputed"]["grade"] == "A"


def test_a_log_head_beyond_64_bits_is_refused_not_a_500(
    client: FlaskClient,
) -> None:
    an_a_grade(client)
    signed = receipt_of(client)
    signed["receipt"]["log_head"]["position"] = 2**63  # found by the fuzz test

    check = client.post("/receipts/verify", json=signed)

    assert check.status_code == 422
    assert "log_head" in json.dumps(check.json["errors"])


def test_a_receipt_over_a_cut_log_does_not_match(
    client: FlaskClient, services: Services
) -> None:
    an_a_grade(client)
    signed = receipt_of(client)
    ledger = services.ledger
    with ledger.datastore.transaction(commit=True) as cursor:
        cursor.execute(
            f"DELETE FROM {ledger.chain_table} WHERE position >= {ledger.param}",
            (signed["receipt"]["log_head"]["position"],),
        )

    check = client.post("/receipts/verify", json=signed).json

    assert check["signature_valid"] is True
    assert check["log_matches"] is False
    assert check["valid"] is False
    assert "altered or cut" in check["problems"][0]


def test_a_malformed_receipt_is_422_and_nothing_is_written(
    client: FlaskClient,
) -> None:
    an_a_grade(client)
    signed = receipt_of(client)
    head = client.get("/log/head").json
    del signed["receipt"]["log_head"]

    response = client.post("/receipts/verify", json=signed)

    assert response.status_code == 422
    assert "log_head" in response.json["errors"]["json"]["receipt"]
    assert client.get("/log/head").json == head


def test_no_signing_key_is_503_in_the_envelope(app: Flask, client: FlaskClient) -> None:
    an_a_grade(client)
    app.extensions["credit_svc"].signing_key_file.unlink()

    response = client.get("/receipts/public-key")

    assert response.status_code == 503
    assert response.json["message"] == "receipt signing is not set up on this service"
