"""Project managers over HTTP: their records, rebuilt rows and the personal-data key."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.services import Services
from tests.api.managers import (
    AUTHORITY,
    assign,
    blacklist,
    penalty,
    registration,
    running,
    standing_on,
)
from tests.factories import (
    MIANYANG,
    YANTAI,
    events_written,
    register,
    register_manager,
)


def test_a_managers_records_do_not_grade_the_enterprise(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    before = client.get(
        f"/enterprises/{MIANYANG}/grade", query_string={"as_of": "2026-04-01"}
    ).json

    blacklist(client, manager)
    penalty(client, manager, severity="serious")

    after = client.get(
        f"/enterprises/{MIANYANG}/grade", query_string={"as_of": "2026-04-01"}
    ).json
    assert (after["grade"], after["score"], after["blacklisted"]) == (
        before["grade"],
        before["score"],
        False,
    )


def test_a_managers_records_are_listed_under_the_manager(client: FlaskClient) -> None:
    register(client, MIANYANG)
    register(client, YANTAI)
    manager, other = register_manager(client, 1), register_manager(client, 2)
    running(client, manager)
    running(client, other, YANTAI)
    penalty(client, manager)
    blacklist(client, other, credit_code=YANTAI)

    records = client.get(f"/project-managers/{manager}/records").json

    assert [r["kind"] for r in records] == ["manager_bad_credit"]
    assert records[0]["details"]["manager_id"] == manager
    assert records[0]["status"]["state"] == "active"


def test_a_record_about_an_unregistered_manager_is_404_and_writes_nothing(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    head = client.get("/log/head").json

    answer = penalty(client, "00000000-0000-0000-0000-000000000000")

    assert answer.status_code == 404
    assert client.get("/log/head").json == head


def test_a_manager_penalty_refuses_enterprise_only_fields(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)

    answer = penalty(client, manager, veto=True)

    assert answer.status_code == 422
    assert "veto" in answer.json["errors"]["json"]


def test_a_retracted_penalty_stops_counting(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    running(client, manager)
    record = penalty(client, manager).json["record_id"]

    client.post(
        f"/records/{record}/retraction",
        json={"authority": AUTHORITY, "document_number": "R-1", "reason": "错录"},
    )

    assert standing_on(client, manager, "2026-04-01")["points"] == "100"


def test_an_unknown_manager_is_404(client: FlaskClient) -> None:
    unknown = "00000000-0000-0000-0000-000000000000"

    assert client.get(f"/project-managers/{unknown}").status_code == 404
    assert client.get(f"/project-managers/{unknown}/standing").status_code == 404


def test_a_rebuild_from_the_log_gives_the_same_manager_rows(
    app: Flask, client: FlaskClient
) -> None:
    register(client)
    manager = register_manager(client)
    assign(client, manager, "2026-02-01")
    blacklist(client, manager, credit_code=YANTAI)

    result = app.test_cli_runner().invoke(main, ["rebuild"])

    assert result.exit_code == 0, result.output
    for table in ("manager", "assignment", "manager_record"):
        assert f"{table}: 1 rebuilt rows, 0 only in live, 0 only in rebuilt" in (
            result.output
        )


def test_without_the_personal_data_key_registration_is_503_and_writes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    app.extensions["credit_svc"].personal_data_key_file.unlink()
    head = client.get("/log/head").json

    answer = client.post(
        "/project-managers",
        json=registration(),
    )

    assert answer.status_code == 503
    assert answer.json["message"] == (
        "ID-number pseudonymisation is not set up on this service"
    )
    assert client.get("/log/head").json == head


def test_no_record_about_a_manager_for_conduct_at_another_firm(
    client: FlaskClient, services: Services
) -> None:
    register(client, MIANYANG)
    register(client, YANTAI)
    manager = register_manager(client)
    running(client, manager, YANTAI)  # runs a Yantai project, none of Mianyang's
    before = events_written(services)

    answer = blacklist(client, manager)  # about MIANYANG

    assert answer.status_code == 422, answer.json
    assert "did not run a project of" in answer.json["message"]
    assert events_written(services) == before


def test_no_record_about_a_manager_before_or_after_their_spell(
    client: FlaskClient, services: Services
) -> None:
    register(client, MIANYANG)
    manager, successor = register_manager(client, 1), register_manager(client, 2)
    running(client, manager, since="2026-02-01")
    running(client, successor, since="2026-05-01")
    before = events_written(services)

    early = penalty(client, manager, business_date="2026-01-15")
    late = penalty(client, manager, business_date="2026-05-15")
    during = penalty(client, manager, business_date="2026-03-01")

    assert (early.status_code, late.status_code) == (422, 422)
    assert during.status_code == 201, during.json
    assert events_written(services) == before + 1
