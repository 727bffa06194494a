"""A worker whose first use of PostgreSQL after the server dropped its
connections is a write answers it, as the library's own recorder does
(issue 35, item 11: its retry test, ported to the chained recorder)."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc import create_app
from credit_svc.adapters.persistence import connect_postgres
from credit_svc.cli import main
from tests.conftest import POSTGRES
from tests.factories import YANTAI, events_written, post_record, register

pytestmark = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def _terminate_pool(datastore: Any) -> int:
    """End, from the server's side, the connections the datastore's pool
    keeps open (as a restart of PostgreSQL does); return how many."""
    pool = datastore.pool
    with ExitStack() as stack:
        connections = [
            stack.enter_context(pool.connection())
            for _ in range(pool.get_stats()["pool_size"])
        ]
        pids = [c.info.backend_pid for c in connections]
    with connect_postgres(POSTGRES, autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    return len(pids)


def test_a_key_issued_first_thing_after_the_connections_dropped_is_saved(
    config: dict[str, Any],
) -> None:
    worker = create_app(config)  # a process whose first statement is a write
    services = worker.extensions["credit_svc"]
    try:
        before = events_written(services)
        dropped = _terminate_pool(services.app.recorder.datastore)

        created = worker.test_cli_runner().invoke(
            main, ["keys", "create", "--name", "审计组", "--role", "auditor"]
        )
        after = events_written(services)
    finally:
        services.close()

    assert dropped >= 1
    assert created.exit_code == 0, created.output
    assert after == before + 1


def test_the_first_write_after_the_connections_dropped_is_answered(
    client: FlaskClient, config: dict[str, Any]
) -> None:
    register(client)
    worker = create_app(config)  # a worker that has not appended yet
    bureau = worker.test_client()
    bureau.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {config['TEST_BUREAU_TOKEN']}"
    services = worker.extensions["credit_svc"]
    try:
        before = events_written(services)
        dropped = _terminate_pool(services.app.recorder.datastore)

        answer = post_record(bureau, "good_credit", YANTAI)
        after = events_written(services)
    finally:
        services.close()

    assert dropped >= 1
    assert answer.status_code == 201, answer.json
    assert after == before + 1
