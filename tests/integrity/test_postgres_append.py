"""On PostgreSQL, events and their links are appended by one function in the
server: the chain it writes is the one chain.link() computes, under
concurrent writers too, and a database made before the function existed
appends the old way until `credit-svc init` creates it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from flask import Flask
from flask.testing import FlaskClient

from credit_svc import create_app
from credit_svc.adapters.chain import verify
from credit_svc.adapters.ledger import Ledger
from credit_svc.adapters.postgres_recorder import ChainedPostgresRecorder
from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import post_record, register

pytestmark = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture
def no_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the library's own (pipelined) append fail, so that only the
    server's function can append."""

    def refused(*_: Any, **__: Any) -> None:
        raise AssertionError("appended by the library's pipeline")

    monkeypatch.setattr(PostgresApplicationRecorder, "insert_events", refused)


@pytest.fixture
def old_database(config: dict[str, Any], services: Services) -> Iterator[Flask]:
    """Return an app on a database whose append function was never made."""
    recorder = services.app.recorder
    assert isinstance(recorder, ChainedPostgresRecorder)
    function = recorder.append_function
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(f'DROP FUNCTION "{function.schema}"."{function.name}"')
    old = create_app(config)
    yield old
    old.extensions["credit_svc"].close()


def intact(services: Services) -> bool:
    """Tell whether the whole log verifies, one link per event."""
    ledger = Ledger(services.app.recorder)
    positions = [event.position for event in ledger.events()]
    links = [position for position, _ in ledger.links()]
    return positions == links and verify(ledger.events(), ledger.links()).intact


@pytest.mark.usefixtures("no_pipeline")
def test_the_servers_function_appends_events_with_their_links(
    client: FlaskClient, services: Services
) -> None:
    registered = register(client)  # the enterprise and its project: two events
    recorded = post_record(client, "inspection")
    repeated = post_record(client, "inspection")

    assert (registered.status_code, recorded.status_code) == (201, 201)
    assert repeated.status_code == 409  # the same natural key: nothing appended
    assert intact(services)


@pytest.mark.usefixtures("no_pipeline")
def test_concurrent_writers_keep_one_unbroken_chain(services: Services) -> None:
    # Straight to the recorder, each append its own transaction, so that the
    # writers' calls overlap in the server (requests spend most of their time
    # in Python): without the table lock, two read the same last link.
    recorder = services.app.recorder
    before = len(list(Ledger(recorder).links()))  # the test key's own event

    def append_fifty(writer: int) -> int:
        for number in range(50):
            event = StoredEvent(
                uuid4(), 1, "tests:Written", f"{writer}-{number}".encode()
            )
            recorder.insert_events([event])
        return writer

    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(append_fifty, range(4)))

    assert done == [0, 1, 2, 3]
    assert intact(services)
    assert len(list(Ledger(recorder).links())) == before + 200


def test_a_database_made_before_the_function_appends_the_old_way_until_init(
    old_database: Flask,
    config: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bureau = old_database.test_client()
    bureau.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {config['TEST_BUREAU_TOKEN']}"
    with caplog.at_level(logging.WARNING):
        before_init = register(bureau).status_code
    initialised = old_database.test_cli_runner().invoke(main, ["init"])
    monkeypatch.setattr(PostgresApplicationRecorder, "insert_events", None)
    upgraded = create_app(config)  # a worker started after the upgrade
    after = upgraded.test_client()
    after.environ_base["HTTP_AUTHORIZATION"] = bureau.environ_base["HTTP_AUTHORIZATION"]

    after_init = post_record(after, "inspection").status_code

    assert before_init == 201
    assert "an operator must run `credit-svc init`" in caplog.text
    assert initialised.exit_code == 0, initialised.output
    assert after_init == 201  # by the function: the library's append is gone
    assert intact(upgraded.extensions["credit_svc"])
    upgraded.extensions["credit_svc"].close()
