"""An auditor proves an old receipt from the exported log, or finds where the
log behind it was altered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import post_record
from tests.integrity.receipts import an_a_grade, receipt_of


def _audit(
    app: Flask, client: FlaskClient, head: dict[str, Any], tmp_path: Path
) -> tuple[Any, Any]:
    """Do what an auditor does: export, replay, verify against the saved head."""
    exported = tmp_path / "log.jsonl"
    app.test_cli_runner().invoke(main, ["export", str(exported)])
    replayed = app.test_cli_runner().invoke(main, ["replay", str(exported)])
    chain = client.get(
        "/log/verify",
        query_string={"head_position": head["position"], "head_hash": head["hash"]},
    ).json
    return replayed, chain


def test_an_auditor_proves_an_old_receipt_from_the_exported_log(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    an_a_grade(client)
    signed = receipt_of(client)
    post_record(client, "bad_credit", business_date="2026-04-01", points="20")
    head = signed["receipt"]["log_head"]

    replayed, chain = _audit(app, client, head, tmp_path)
    check = client.post("/receipts/verify", json=signed).json

    assert replayed.output.endswith("result: IDENTICAL\n")
    assert chain["intact"] is True
    assert check["valid"] is True


def test_an_auditor_finds_where_the_log_behind_a_receipt_was_altered(
    app: Flask, client: FlaskClient, services: Services, tmp_path: Path
) -> None:
    an_a_grade(client)
    signed = receipt_of(client)
    head = signed["receipt"]["log_head"]
    ledger = services.ledger
    honour = next(ledger.events(after=4, upto=5))  # the honour that lifted it to A
    with ledger.datastore.transaction(commit=True) as cursor:
        cursor.execute(
            f"UPDATE {ledger.events_table} SET state = {ledger.param} "
            f"WHERE {ledger.position_column} = {ledger.param}",
            (honour.state.replace(b"provincial", b"municipal"), 5),
        )

    replayed, chain = _audit(app, client, head, tmp_path)

    assert chain["broken_at"] == 5
    assert replayed.exit_code == 1
    assert "export chain BROKEN at position 5" in replayed.output
