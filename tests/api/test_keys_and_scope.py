"""API keys (bad, wrong, revoked, rate-limited, issued by the CLI) and the
bureau's scope: its jurisdictions and its own authority."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc import create_app
from credit_svc.adapters import postgres_listener
from credit_svc.adapters.persistence import create_postgres_schema
from credit_svc.cli import main
from credit_svc.config import DEFAULTS
from credit_svc.services import open_services
from credit_svc.usecases.api_keys import issue_key, revoke_key
from tests.conftest import drop_schema
from tests.factories import (
    MIANYANG,
    YANTAI,
    events_written,
    post_record,
    record_body,
    register,
)

NOTICE_WAIT = 0.5  # seconds: a commit elsewhere is announced (PostgreSQL)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer csk_00000000000000000000000000000000_" + "a" * 43,  # no such key
        "Bearer not-a-token",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_a_bad_key_is_401_even_on_public_reads(app: Flask, header: str) -> None:
    answer = app.test_client().get("/rule-packs", headers={"Authorization": header})

    assert answer.status_code == 401
    assert answer.json["message"] == "API 密钥无效 · the API key is not valid"


def test_a_wrong_secret_for_a_real_key_is_401(app: Flask) -> None:
    token = app.config["TEST_BUREAU_TOKEN"]
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    answer = app.test_client().get(
        f"/enterprises/{YANTAI}", headers={"Authorization": f"Bearer {forged}"}
    )

    assert answer.status_code == 401


def test_a_bureau_cannot_write_about_another_jurisdiction(
    client: FlaskClient, client_as: Any
) -> None:
    register(client)
    mianyang_bureau = client_as("bureau", "测试住建局", ("5107",))
    head = client.get("/log/head").json

    answer = mianyang_bureau.post(
        f"/enterprises/{YANTAI}/records/bad-credit-records",
        json=record_body("bad_credit"),
    )

    assert answer.status_code == 403
    assert answer.json["message"] == (
        "行政区划 370602 不在此密钥的范围内 · jurisdiction 370602 is outside this key's"
    )
    assert client.get("/log/head").json == head


def test_a_bureau_cannot_register_outside_its_jurisdictions(client_as: Any) -> None:
    mianyang_bureau = client_as("bureau", "测试住建局", ("5107",))

    answer = register(mianyang_bureau, YANTAI)
    allowed = register(mianyang_bureau, MIANYANG)

    assert answer.status_code == 403
    assert allowed.status_code == 201


def test_a_bureau_writes_only_under_its_own_authority(client: FlaskClient) -> None:
    register(client)

    answer = post_record(client, "good_credit", authority="烟台市住建局")

    assert answer.status_code == 403
    assert (
        answer.json["message"]
        == "此密钥以「测试住建局」名义记录，不能以「烟台市住建局」名义 · "
        "this key writes as 测试住建局, not as 烟台市住建局"
    )


def test_a_bureau_cannot_change_a_record_of_another_jurisdiction(
    client: FlaskClient, client_as: Any
) -> None:
    register(client)
    record = post_record(client, "bad_credit").json["record_id"]
    elsewhere = client_as("bureau", "测试住建局", ("5107",))

    answer = elsewhere.post(
        f"/records/{record}/retraction",
        json={"authority": "测试住建局", "document_number": "R-1", "reason": "错录"},
    )

    assert answer.status_code == 403


def test_every_event_records_the_acting_key(app: Flask, client: FlaskClient) -> None:
    register(client)
    post_record(client, "bad_credit")
    key_id = app.config["TEST_BUREAU_TOKEN"].split("_")[1]

    events = client.get(f"/enterprises/{YANTAI}/events").json
    export = client.get("/log/export").get_data(as_text=True)

    assert {e["acting_key"].replace("-", "") for e in events} == {key_id}
    assert export.count("acting_key") == len(events)  # the key's own event: CLI-less


def test_a_revoked_key_stops_working(app: Flask, client: FlaskClient) -> None:
    key_id = app.config["TEST_BUREAU_TOKEN"].split("_")[1]
    runner = app.test_cli_runner()

    revoked = runner.invoke(main, ["keys", "revoke", key_id, "--reason", "离职"])

    assert revoked.exit_code == 0, revoked.output
    assert client.get(f"/enterprises/{YANTAI}").status_code == 401


def test_a_key_revoked_by_another_worker_stops_working_once_told(
    app: Flask, client: FlaskClient, config: dict[str, Any]
) -> None:
    """SQLite: at once (each request asks the file whether anything was
    committed). PostgreSQL: once the revocation's notice reaches this worker,
    a moment after its commit (docs/security.md), so the next request may
    still pass; well within NOTICE_WAIT, never as long as the second a kept
    key is trusted without one."""
    assert client.get(f"/enterprises/{YANTAI}").status_code == 404  # key read
    key_id = UUID(app.config["TEST_BUREAU_TOKEN"].split("_")[1])
    other_worker = open_services(dict(DEFAULTS) | config)

    revoke_key(other_worker.app, key_id, "离职")
    other_worker.close()
    deadline = time.monotonic() + NOTICE_WAIT
    first = status = client.get(f"/enterprises/{YANTAI}").status_code
    while status != 401 and time.monotonic() < deadline:
        time.sleep(0.005)
        status = client.get(f"/enterprises/{YANTAI}").status_code

    assert status == 401
    if config["PERSISTENCE"] == "sqlite":
        assert first == 401


@pytest.fixture
def key_reads(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Count the reads of the test bureau's key from the event store."""
    key_id = UUID(app.config["TEST_BUREAU_TOKEN"].split("_")[1])
    repository = app.extensions["credit_svc"].app.repository
    reads: list[UUID] = []
    read = repository.get

    def counted(aggregate_id: UUID, **options: Any) -> Any:
        reads.append(aggregate_id)
        return read(aggregate_id, **options)

    monkeypatch.setattr(repository, "get", counted)
    # PostgreSQL keeps a value at most a second without a notice: on a busy
    # machine a few requests can outlast that (a read then, and a test
    # flaked). What is tested is the notice, not the bound.
    monkeypatch.setattr(postgres_listener, "RECHECK_SECONDS", 60.0)
    return lambda: reads.count(key_id)


def test_a_key_is_read_again_only_after_an_append(
    client: FlaskClient, key_reads: Callable[[], int]
) -> None:
    for _ in range(3):
        client.get("/rule-packs")
    kept = key_reads()
    register(client)  # appends (SQLite: commits; PostgreSQL: notifies)
    client.get("/rule-packs")

    assert kept == 1
    assert key_reads() == 2  # read again after the register's append


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_appends_of_a_service_in_another_schema_keep_the_keys_cached(
    client: FlaskClient, config: dict[str, Any], key_reads: Callable[[], int]
) -> None:
    neighbour = config | {"POSTGRES_SCHEMA": f"test_{uuid4().hex[:12]}"}
    create_postgres_schema(neighbour)
    try:
        other = open_services(dict(DEFAULTS) | neighbour, create_tables=True)
        client.get("/rule-packs")  # the key read and kept
        issue_key(other.app, "邻居的密钥", "auditor")  # an append over there
        time.sleep(NOTICE_WAIT)  # time for a notice, were one sent here
        client.get("/rule-packs")
        other.close()
    finally:
        drop_schema(neighbour["POSTGRES_SCHEMA"])

    assert key_reads() == 1


def test_the_cli_issues_a_working_key_and_lists_it_without_secrets(
    app: Flask,
) -> None:
    runner = app.test_cli_runner()

    created = runner.invoke(
        main, ["keys", "create", "--name", "招标平台", "--role", "platform"]
    )
    listed = runner.invoke(main, ["keys", "list"])

    token = created.output.splitlines()[-1]
    assert created.exit_code == 0, created.output
    answer = app.test_client().get(
        "/feed", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200
    assert "platform active 招标平台" in listed.output
    assert token.split("_", 2)[2] not in listed.output  # the secret may hold "_"


@pytest.mark.parametrize("role", ["platform", "auditor", "admin", "enterprise"])
def test_a_scope_is_refused_for_a_key_that_does_not_write(
    app: Flask, role: str
) -> None:
    runner = app.test_cli_runner()
    before = events_written(app.extensions["credit_svc"])

    created = runner.invoke(
        main,
        [
            "keys",
            "create",
            "--name",
            "招标平台",
            "--role",
            role,
            "--jurisdiction",
            "37",
        ],
    )

    assert created.exit_code == 2
    assert "limits only keys that record facts" in created.output
    assert events_written(app.extensions["credit_svc"]) == before


@pytest.mark.parametrize("scope", ["3706٠٢", "3", "3706021"])
def test_a_bureau_scope_is_two_to_six_ascii_digits(app: Flask, scope: str) -> None:
    created = app.test_cli_runner().invoke(
        main,
        [
            *("keys", "create", "--name", "芝罘区住建局", "--role", "bureau"),
            *("--authority", "芝罘区住建局", "--jurisdiction", scope),
        ],
    )

    assert created.exit_code == 2
    assert "ASCII digits" in created.output


def test_a_key_over_its_rate_limit_gets_429_with_retry_after(
    config: dict[str, Any],
) -> None:
    limited = create_app(config | {"RATE_LIMIT_PER_MINUTE": 3})
    bureau, public = limited.test_client(), limited.test_client()
    bureau.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {config['TEST_BUREAU_TOKEN']}"

    answers = [bureau.get("/rule-packs").status_code for _ in range(4)]
    refused = bureau.get("/rule-packs")
    others = public.get("/rule-packs")  # another caller has its own count

    assert answers == [200, 200, 200, 429]
    assert refused.json["code"] == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert others.status_code == 200
    limited.extensions["credit_svc"].close()
