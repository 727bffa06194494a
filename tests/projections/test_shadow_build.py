"""A rebuild's shadow takes every event's rows first and grades each enterprise
once: on a log in recorded order (enterprises interleaved, later corrections
and retractions of earlier records) it must equal the live view, which was
regraded batch by batch."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.projections import projector, rebuild
from credit_svc.projections.database import chunks
from credit_svc.projections.view import open_view
from credit_svc.projections.view_schema import REBUILD_PREFIX
from credit_svc.services import Services
from tests.factories import overwrite_grades
from tests.projections.logs import (
    interleaved_log,
)


@pytest.mark.parametrize("batch_size", [1, 4, 500])
def test_a_rebuild_of_an_interleaved_log_is_identical_to_the_live_view(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    batch_size: int,
) -> None:
    monkeypatch.setattr(projector, "BATCH_SIZE", batch_size)
    codes = interleaved_log(client)
    histories = [client.get(f"/enterprises/{c}/grade/history").json for c in codes]

    result = app.test_cli_runner().invoke(main, ["rebuild"])

    assert result.exit_code == 0, result.output
    assert result.output.endswith("result: IDENTICAL\n")
    assert all(len(history) >= 3 for history in histories)  # grades moved
    assert "segment: 0 rebuilt rows" not in result.output


def test_the_shadow_is_graded_and_emptied_afterwards(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    interleaved_log(client)
    shadow = open_view(services.env, prefix=REBUILD_PREFIX)

    app.test_cli_runner().invoke(main, ["rebuild"])

    with shadow.db.datastore.transaction(commit=False) as cursor:
        left = shadow.maintenance.count_rows_in(cursor)
    shadow.db.datastore.close()
    assert set(left.values()) == {0}


def test_rebuild_apply_replaces_a_view_far_behind_without_catching_it_up(
    app: Flask, bureau_with: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A projector that was down while a long history was imported: the live
    # view has not seen the log. `rebuild --apply` replaces it as rebuilt, and
    # announces each enterprise's grades (in chunks: two here, 1,000 live).
    monkeypatch.setattr(rebuild, "chunks", lambda codes: chunks(codes, 2))
    lagging = bureau_with(PROJECT_IN_REQUEST=False)
    codes = interleaved_log(lagging, lifecycle=False)
    runner = app.test_cli_runner()

    applied = runner.invoke(main, ["rebuild", "--apply"])
    checked = runner.invoke(main, ["rebuild"])

    assert "live view behind, at position 0\n" in applied.output
    assert applied.output.endswith("result: DIFFERENT; live view replaced\n")
    assert checked.output.endswith("result: IDENTICAL\n")
    assert "behind" not in checked.output
    announced = lagging.get("/feed").json["items"]
    for code in codes:
        assert len(lagging.get(f"/enterprises/{code}/records").json) == 4
        history = lagging.get(f"/enterprises/{code}/grade/history").json
        assert len(history) >= 3
        assert [i["grades"] for i in announced if i["credit_code"] == code] == [history]
    assert len(announced) == len(codes)  # grade items only: see operations.md


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_rebuild_may_grade_longer_than_an_idle_transaction_may_last(
    client: FlaskClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL ends a session idle in a transaction after the library's
    # timeout (5 s; 1 s here). A national rebuild grades 500 enterprises, or
    # lists every enterprise's timeline, between two statements.
    interleaved_log(client, lifecycle=False)
    monkeypatch.setitem(
        services.env, "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT", "1"
    )
    grade = projector.GradeProjector.regrade

    def slow_regrade(self: Any, *args: Any) -> Any:
        time.sleep(1.5)
        return grade(self, *args)

    monkeypatch.setattr(projector.GradeProjector, "regrade", slow_regrade)

    report = rebuild.rebuild(services)

    assert report.identical, report.differences


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_rebuild_apply_leaves_the_live_view_vacuumed_and_analysed(
    app: Flask, client: FlaskClient, services: Services, config: dict[str, Any]
) -> None:
    # A national rebuild --apply left the planner with the statistics of the
    # view it replaced: grade reads by code ran 20 times slower until ANALYZE;
    # and the replaced rows stay dead where autovacuum is off.
    interleaved_log(client, lifecycle=False)
    overwrite_grades(services, "AAA")
    schema = config["POSTGRES_SCHEMA"]

    app.test_cli_runner().invoke(main, ["rebuild", "--apply"])

    with services.view.db.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT relname, last_analyze, last_vacuum FROM pg_stat_user_tables "
            "WHERE schemaname = %s AND relname IN ('cs_segment', 'cs_record')",
            (schema,),
        )
        rows = cursor.fetchall()
    assert {row["relname"] for row in rows} == {"cs_segment", "cs_record"}
    assert all(row["last_analyze"] and row["last_vacuum"] for row in rows)


def test_rebuild_apply_writes_each_enterprises_rows_together(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    # Records come in turns (a, b, c, a, b, c...), as a bureau's log has them,
    # so the live view holds them in that order; the replaced view holds each
    # enterprise's together, as reads ask for them.
    interleaved_log(client)
    overwrite_grades(services, "AAA")  # so that the rebuilt view differs
    view = services.view
    physical = "ctid" if view.db.dialect.schema else "rowid"  # where each row lies

    def codes_as_stored() -> list[str]:
        with view.db.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                view.db.q(f"SELECT credit_code FROM {{record}} ORDER BY {physical}")
            )
            return [dict(row)["credit_code"] for row in cursor.fetchall()]

    before = codes_as_stored()
    applied = app.test_cli_runner().invoke(main, ["rebuild", "--apply"])

    assert applied.output.endswith("result: DIFFERENT; live view replaced\n")
    assert before != sorted(before)
    assert codes_as_stored() == sorted(before)
