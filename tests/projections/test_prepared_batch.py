"""On SQLite, new records are graded before the projector takes the write lock.

Catch-ups here call the projector itself: Services.catch_up logs a failure
and answers 0, which would hide one.
"""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bench.dataset import code_of, enterprise, generate, record_of
from credit_svc.cli import main
from credit_svc.domain.lifecycle_rules import retract
from credit_svc.projections import prepared_batch, projector, regrading
from credit_svc.services import Services
from tests.factories import register
from tests.projections.logs import (
    append_without_projecting,
    records_listed,
)


@pytest.fixture
def backend() -> str:
    """SQLite only: PostgreSQL's projector lock never stops an append."""
    return "sqlite"


def test_records_are_appended_while_the_projector_grades(
    app: Flask, client: FlaskClient, services: Services, monkeypatch: Any
) -> None:
    register(client)
    append_without_projecting(app, services, 2)
    appended_meanwhile: list[bool] = []
    grade = regrading.segment_histories

    def grading_while_another_appends(*args: Any, **kwargs: Any) -> Any:
        # Another thread of this process appends; it would wait for the write
        # turn until the grading ends if the projector held it now.
        other = threading.Thread(
            target=append_without_projecting, args=(app, services, 1, 2)
        )
        other.start()
        other.join(timeout=10)
        appended_meanwhile.append(not other.is_alive())
        return grade(*args, **kwargs)

    monkeypatch.setattr(
        prepared_batch, "segment_histories", grading_while_another_appends
    )

    first = services.projector.catch_up(services.view)
    monkeypatch.undo()

    assert appended_meanwhile == [True]
    assert first == 2  # the batch as read before the other append
    assert services.projector.catch_up(services.view) == 1
    assert records_listed(client) == 3


def test_a_batch_prepared_on_a_view_that_moved_is_applied_under_the_lock(
    app: Flask, client: FlaskClient, services: Services, monkeypatch: Any
) -> None:
    register(client)
    append_without_projecting(app, services, 3)
    prepare = prepared_batch.prepare

    def another_projector_goes_first(*args: Any) -> Any:
        prepared = prepare(*args)
        if prepared is not None:  # it applies the same events meanwhile
            monkeypatch.setattr(prepared_batch, "prepare", prepare)
            append_without_projecting(app, services, 2, first=3)
            assert services.projector.catch_up(services.view) == 5
        return prepared

    monkeypatch.setattr(prepared_batch, "prepare", another_projector_goes_first)
    applied = services.projector.catch_up(services.view)

    assert applied == 0  # the prepared three were discarded, nothing was left
    assert records_listed(client) == 5
    assert services.view.db.tracking.max_tracking_id(services.app.name) == (
        services.app.recorder.max_notification_id()
    )


def test_a_catch_up_goes_on_past_events_that_are_not_new_records(
    app: Flask, client: FlaskClient, services: Services, monkeypatch: Any
) -> None:
    register(client)
    append_without_projecting(app, services, 2)
    services.app.save(enterprise(7))  # a registration and two projects
    append_without_projecting(app, services, 2, first=2)
    prepared_sizes = _counting_prepared(monkeypatch)

    applied = services.projector.catch_up(services.view)

    assert applied == 7
    assert prepared_sizes == [2, 0]  # the rest went the locked way, in one batch
    assert records_listed(client) == 4
    assert services.view.grades.get_enterprise(code_of(7)) is not None


def test_prepared_batches_project_what_a_rebuild_computes(
    app: Flask, services: Services, monkeypatch: Any
) -> None:
    # Small batches, so runs of new records are cut by registrations and a
    # retraction at many places, and both ways of applying a batch are taken.
    monkeypatch.setattr(projector, "BATCH_SIZE", 7)
    sizes = _counting_prepared(monkeypatch)
    sum(generate(services, 12, 4))
    withdrawn = record_of(code_of(3), 900, random.Random(3))
    services.app.save(withdrawn)
    authority = withdrawn.facts["authority"]
    retract(withdrawn, authority=authority, document_number="R-1", reason="录入错误")
    services.app.save(withdrawn)
    services.app.save(  # six more records each, after the retraction
        *(
            record_of(code_of(serial), 100 + index, random.Random(serial * index))
            for index in range(6)
            for serial in range(1, 13)
        )
    )

    applied = services.projector.catch_up(services.view)
    result = app.test_cli_runner().invoke(main, ["rebuild"])

    last = services.app.recorder.max_notification_id()
    assert services.view.db.tracking.max_tracking_id(services.app.name) == last
    assert applied > 150
    assert sum(sizes) > 100  # prepared batches, and locked ones too:
    assert 0 in sizes
    assert result.exit_code == 0, result.output
    assert result.output.endswith("result: IDENTICAL\n")


def _counting_prepared(monkeypatch: Any) -> list[int]:
    """Return the sizes of the batches prepared from now on (0: none was)."""
    sizes: list[int] = []
    prepare = prepared_batch.prepare

    def counted(*args: Any) -> Any:
        prepared = prepare(*args)
        sizes.append(len(prepared.events) if prepared else 0)
        return prepared

    monkeypatch.setattr(prepared_batch, "prepare", counted)
    return sizes
