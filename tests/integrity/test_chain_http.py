"""The hash chain over HTTP: intact logs verify, every kind of tampering is found
at its first broken position, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.services import Services
from tests.integrity.tampering import log_of_six, relink, sql, state_at


def test_an_untouched_log_verifies_with_its_head(client: FlaskClient) -> None:
    log_of_six(client)

    head = client.get("/log/head").json
    verdict = client.get(
        "/log/verify",
        query_string={"head_position": head["position"], "head_hash": head["hash"]},
    ).json

    assert head["position"] == 7  # the test key's event, then the six
    assert verdict == {
        "intact": True,
        "checked": 7,
        "head": head,
        "broken_at": None,
        "problem": None,
    }


def test_an_empty_log_is_intact(app: Flask, services: Services) -> None:
    sql(services, "DELETE FROM {events}", ())  # even the test key's event
    sql(services, "DELETE FROM {chain}", ())

    verified = app.test_cli_runner().invoke(main, ["verify"])

    assert services.ledger.head() is None  # /log/head answers the genesis link
    assert verified.output == "INTACT: 0 events checked\n"


def test_an_edited_event_breaks_the_chain_at_its_position(
    client: FlaskClient, services: Services
) -> None:
    log_of_six(client)
    edited = state_at(services, 4).replace(b"2026", b"2025", 1)

    sql(services, "UPDATE {events} SET state = ? WHERE {pos} = ?", (edited, 4))
    verdict = client.get("/log/verify").json

    assert verdict["intact"] is False
    assert verdict["broken_at"] == 4
    assert verdict["problem"] == "event or link does not match"
    assert verdict["checked"] == 3


def test_a_deleted_event_is_reported_missing(
    client: FlaskClient, services: Services
) -> None:
    log_of_six(client)

    sql(services, "DELETE FROM {events} WHERE {pos} = ?", (3,))
    verdict = client.get("/log/verify").json

    assert (verdict["broken_at"], verdict["problem"]) == (3, "event is missing")


def test_a_deleted_event_and_its_link_are_found(
    client: FlaskClient, services: Services, config: dict[str, Any]
) -> None:
    log_of_six(client)

    sql(services, "DELETE FROM {events} WHERE {pos} = ?", (3,))
    sql(services, "DELETE FROM {chain} WHERE position = ?", (3,))
    verdict = client.get("/log/verify").json

    found = (verdict["broken_at"], verdict["problem"])
    if config["PERSISTENCE"] == "sqlite":  # numbers its events without gaps
        assert found == (3, "position 3 missing from a gapless log")
    else:  # a sequence may skip: the next link, which covered it, breaks
        assert found == (4, "event or link does not match")


def test_a_hole_with_every_link_written_again_is_found_on_sqlite(
    client: FlaskClient, services: Services, config: dict[str, Any]
) -> None:
    log_of_six(client)

    sql(services, "DELETE FROM {events} WHERE {pos} = ?", (3,))
    relink(services)  # the chain recomputed around the hole: links all hold
    verdict = client.get("/log/verify").json

    if config["PERSISTENCE"] == "sqlite":
        assert verdict["broken_at"] == 3
        assert verdict["problem"] == "position 3 missing from a gapless log"
    else:  # without a saved head or checkpoint, nothing to tell it by
        assert verdict["intact"] is True


def test_reordered_events_break_the_chain_at_the_first_moved_one(
    client: FlaskClient, services: Services
) -> None:
    log_of_six(client)
    third, fifth = state_at(services, 3), state_at(services, 5)

    sql(services, "UPDATE {events} SET state = ? WHERE {pos} = ?", (fifth, 3))
    sql(services, "UPDATE {events} SET state = ? WHERE {pos} = ?", (third, 5))
    verdict = client.get("/log/verify").json

    assert verdict["broken_at"] == 3


def test_an_event_written_around_the_chain_is_found(
    client: FlaskClient, services: Services, backend: str
) -> None:
    log_of_six(client)
    forged_id = uuid.uuid4()

    sql(
        services,
        "INSERT INTO {events} (originator_id, originator_version, topic, state) "
        "VALUES (?, 1, 'forged', ?)",
        (forged_id if backend == "postgres" else forged_id.hex, b"{}"),
    )
    verdict = client.get("/log/verify").json

    assert verdict["problem"] == "event has no chain link"
    assert verdict["broken_at"] > 6


def test_a_cut_tail_is_found_only_against_a_saved_head(
    client: FlaskClient, services: Services
) -> None:
    log_of_six(client)
    saved = client.get("/log/head").json

    sql(services, "DELETE FROM {events} WHERE {pos} > ?", (4,))
    sql(services, "DELETE FROM {chain} WHERE position > ?", (4,))
    without_head = client.get("/log/verify").json
    with_head = client.get(
        "/log/verify",
        query_string={"head_position": saved["position"], "head_hash": saved["hash"]},
    ).json

    assert without_head["intact"] is True  # a cut tail is self-consistent ...
    assert with_head["intact"] is False  # ... but not with what the auditor saved
    assert with_head["broken_at"] == 5
    assert with_head["problem"] == "log ends at 4, before the saved head 7"


def test_a_rewritten_chain_is_found_against_a_saved_head(
    client: FlaskClient, services: Services
) -> None:
    log_of_six(client)
    saved = client.get("/log/head").json

    sql(services, "UPDATE {chain} SET hash = ? WHERE position = ?", ("ab" * 32, 6))
    verdict = client.get(
        "/log/verify",
        query_string={"head_position": 6, "head_hash": saved["hash"]},
    ).json

    assert verdict["intact"] is False
    assert verdict["broken_at"] == 6


def test_a_bad_saved_head_is_422_in_the_envelope(client: FlaskClient) -> None:
    response = client.get("/log/verify", query_string={"head_hash": "nothex"})

    assert response.status_code == 422
    assert "head_hash" in response.json["errors"]["query"]


def test_a_saved_head_beyond_64_bits_is_refused(client: FlaskClient) -> None:
    head = {"head_position": 2**63, "head_hash": "ab" * 32}

    response = client.get("/log/verify", query_string=head)

    assert response.status_code == 422
    assert "head_position" in response.json["errors"]["query"]
