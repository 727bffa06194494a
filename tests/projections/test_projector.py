"""The grade projector: resumes, takes turns, rebuilds to the same view."""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bench.dataset import enterprise, records_of
from credit_svc.api.record_schemas import REQUEST_SCHEMAS
from credit_svc.cli import main
from credit_svc.config import DEFAULTS
from credit_svc.projections import projector
from credit_svc.projections.rebuild import rebuild
from credit_svc.services import Services, open_services
from tests.factories import YANTAI, overwrite_grades, record_body, register
from tests.projections.logs import (
    append_without_projecting,
    records_listed,
)


def test_view_catches_up_after_writes_it_missed(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    register(client)
    append_without_projecting(app, services, 3)
    assert records_listed(client) == 0

    result = app.test_cli_runner().invoke(main, ["project"])

    assert result.exit_code == 0, result.output
    assert result.output == "applied 3 events\n"
    assert records_listed(client) == 3
    assert services.view.db.tracking.max_tracking_id(services.app.name) == (
        services.app.recorder.max_notification_id()
    )


def test_a_restarted_process_resumes_from_the_tracked_position(
    app: Flask, client: FlaskClient, services: Services, config: dict[str, Any]
) -> None:
    register(client)
    append_without_projecting(app, services, 2)
    services.catch_up()
    append_without_projecting(app, services, 1, first=2)  # the stop came here

    restarted = open_services(dict(DEFAULTS) | config)
    try:
        applied = restarted.catch_up()
    finally:
        restarted.close()

    assert applied == 1
    assert records_listed(client) == 3


def test_concurrent_projectors_take_turns_and_apply_everything_once(
    app: Flask, client: FlaskClient, services: Services, config: dict[str, Any]
) -> None:
    register(client)
    append_without_projecting(app, services, 40)
    workers = [open_services(dict(DEFAULTS) | config) for _ in range(3)]
    applied: list[int] = []
    threads = [
        threading.Thread(
            target=lambda w=w: applied.append(w.projector.catch_up(w.view))
        )
        for w in workers
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in workers:
        worker.close()

    assert sum(applied) == 40
    assert records_listed(client) == 40


def test_a_writer_whose_event_another_writers_batch_holds_projects_nothing(
    app: Flask, client: FlaskClient, services: Services, config: dict[str, Any]
) -> None:
    """Each worker projects its own write before answering; under concurrent
    writes the first to get the lock projects every write so far in one
    batch, and the others find theirs there without asking for the lock."""
    register(client)
    append_without_projecting(app, services, 3)  # three workers' writes
    log = services.app.recorder
    last = log.max_notification_id() or 0
    other = open_services(dict(DEFAULTS) | config)
    try:
        projected_by_other = other.catch_up(upto=last)  # the last writer's
    finally:
        other.close()

    assert projected_by_other == 3  # its own and the two before, one batch
    assert services.catch_up(upto=last - 2) == 0  # the first writer's: held
    assert records_listed(client) == 3


def test_a_projector_told_its_position_is_held_applies_nothing_more(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    register(client)
    append_without_projecting(app, services, 1)
    held = services.app.recorder.max_notification_id() or 0
    services.catch_up()
    append_without_projecting(app, services, 2, first=1)  # others' writes since
    name = services.app.name

    # Asked under the lock too (the view may reach it while the writer waits).
    assert services.projector.apply_next(services.view, name, upto=held) == (0, False)
    assert services.projector.apply_locked(services.view, name, upto=held) == (0, False)
    assert records_listed(client) == 1
    assert services.catch_up(upto=held + 1) == 2  # not held: the whole batch
    assert records_listed(client) == 3


def _registered_with_a_record(client: FlaskClient) -> None:
    register(client)
    client.post(
        f"/enterprises/{YANTAI}/records/good-credit-records",
        json=record_body("good_credit"),
    )


def test_rebuild_of_an_untouched_view_is_identical(
    app: Flask, client: FlaskClient
) -> None:
    _registered_with_a_record(client)

    result = app.test_cli_runner().invoke(main, ["rebuild"])

    assert result.exit_code == 0, result.output
    assert "segment: 3 rebuilt rows, 0 only in live, 0 only in rebuilt" in result.output
    assert result.output.endswith("result: IDENTICAL\n")


def test_rebuild_tells_rows_forged_into_the_view_from_rows_taken_out(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    _registered_with_a_record(client)
    with services.view.db.datastore.transaction(commit=True) as cursor:
        event, record = (services.view.db.dialect.table(t) for t in ("event", "record"))
        cursor.execute(
            f"DELETE FROM {event} WHERE position = (SELECT MIN(position) FROM {event})"
        )
        cursor.execute(
            f"INSERT INTO {record} SELECT 'forged', credit_code, kind, business_date, "
            f"recorded_at, position, facts FROM {record}"
        )

    found = app.test_cli_runner().invoke(main, ["rebuild"])

    assert found.exit_code == 1
    assert "event: 3 rebuilt rows, 0 only in live, 1 only in rebuilt" in found.output
    assert "record: 1 rebuilt rows, 1 only in live, 0 only in rebuilt" in found.output


def test_rebuild_finds_a_tampered_view_and_apply_repairs_it(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    _registered_with_a_record(client)
    overwrite_grades(services, "AAA")
    runner = app.test_cli_runner()

    found = runner.invoke(main, ["rebuild"])
    repaired = runner.invoke(main, ["rebuild", "--apply"])
    again = runner.invoke(main, ["rebuild"])

    assert found.exit_code == 1
    assert "segment: 3 rebuilt rows, 3 only in live, 3 only in rebuilt" in found.output
    assert repaired.output.endswith("result: DIFFERENT; live view replaced\n")
    assert again.output.endswith("result: IDENTICAL\n")
    assert {
        s["grade"] for s in client.get(f"/enterprises/{YANTAI}/grade/history").json
    } == {"B", "A"}


def test_one_event_per_batch_and_whole_batches_project_the_same_view(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whole batches hold an enterprise's registration, projects and records
    # together: rows are queued and sent at once, projects amend a queued row.
    # One event per batch takes the statement-by-statement path.
    companies = [enterprise(serial) for serial in range(1, 5)]
    rng = random.Random(7)
    records = [r for c in companies for r in records_of(c.credit_code, 40, rng)]
    services.app.save(*companies, *records)
    monkeypatch.setattr(projector, "BATCH_SIZE", 1)
    monkeypatch.setattr(projector, "ANALYSE_EVERY_BATCHES", 50)
    one_by_one = services.catch_up()
    monkeypatch.undo()

    report = rebuild(services)

    assert one_by_one == 4 * 3 + 160
    assert report.row_counts["record"] == 160
    assert report.row_counts["segment"] > 4
    assert report.identical, report.differences
    projects = services.view.grades.get_enterprise(companies[0].credit_code)
    assert projects is not None
    assert projects["projects"] == {"P-1": "1号P-1小区", "P-2": "1号P-2小区"}


def test_a_count_beyond_64_bits_recorded_before_the_bound_reads_back_exactly(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    # The API now refuses such counts; the log keeps those it took before.
    register(client)
    body = record_body("party_building", party_member_count=10**30)
    with app.app_context():
        schema = REQUEST_SCHEMAS["party_building"]()
        schema.fields["party_member_count"].validators = []  # as before the bound
        facts = schema.load(body) | {"credit_code": YANTAI}
    record, _ = services.app.record("party_building", facts)
    services.projector.catch_up(services.view)

    read = client.get(f"/records/{record.id}")

    assert read.json["details"]["party_member_count"] == 10**30
