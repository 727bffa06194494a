"""The chain checked by the CLI, exported and verified offline, and written with
the events it links."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.adapters.chain import verify
from credit_svc.adapters.export import read_lines
from credit_svc.adapters.ledger import Ledger
from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import post_record, register
from tests.integrity.tampering import log_of_six, sql


def test_cli_verify_exits_1_at_the_first_break(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    log_of_six(client)
    runner = app.test_cli_runner()
    intact = runner.invoke(main, ["verify"])

    sql(services, "DELETE FROM {events} WHERE {pos} = ?", (2,))
    broken = runner.invoke(main, ["verify"])

    assert intact.exit_code == 0
    assert intact.output.startswith("INTACT: 7 events checked; head 7 ")
    assert broken.exit_code == 1
    assert broken.output == (
        "BROKEN at position 2: event is missing (1 events intact before it)\n"
    )


def test_export_is_one_line_per_event_and_verifies_offline(
    app: Flask, client: FlaskClient
) -> None:
    log_of_six(client)

    response = client.get("/log/export")
    lines = response.get_data(as_text=True).splitlines()
    events, links = read_lines(lines)
    cli_lines = app.test_cli_runner().invoke(main, ["export", "-"]).stdout.splitlines()

    assert response.mimetype == "application/x-ndjson"
    assert [json.loads(line)["position"] for line in lines] == list(range(1, 8))
    assert verify(events, links).intact
    assert links[-1] == (7, client.get("/log/head").json["hash"])
    assert cli_lines == lines


def test_an_export_edited_offline_fails_verification(client: FlaskClient) -> None:
    log_of_six(client)
    lines = client.get("/log/export").get_data(as_text=True).splitlines()
    fourth = json.loads(lines[3])
    fourth["state"] = fourth["state"].replace("2026", "2025", 1)
    lines[3] = json.dumps(fourth)

    verdict = verify(*read_lines(lines))

    assert (verdict.broken_at, verdict.checked) == (4, 3)


def test_links_are_written_in_the_same_transaction_as_events(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    refused = post_record(client, "inspection", document_number="D-1")
    duplicate = post_record(client, "inspection", document_number="D-1")

    ledger = Ledger(services.app.recorder)
    positions = [e.position for e in ledger.events()]

    assert (refused.status_code, duplicate.status_code) == (201, 409)
    assert [p for p, _ in ledger.links()] == positions
