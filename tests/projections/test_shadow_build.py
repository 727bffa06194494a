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
from credit_svc.projections.code_batches import chunks
from credit_svc.projections.view_schema import WHOLE_VIEW
from credit_svc.projections.views import LIVE_PREFIX, REBUILD_PREFIX, open_view
from credit_svc.services import Services
from tests.factories import credit_code, overwrite_grades, post_record, register

KINDS = ("bad_credit", "good_credit", "party_building", "appraisal")


def _decision(number: str, **more: Any) -> dict[str, Any]:
    return {
        "authority": "测试住建局",
        "document_number": number,
        "reason": "复核",
    } | more


def _interleaved_log(client: FlaskClient, lifecycle: bool = True) -> list[str]:
    """Three enterprises, records about them in turn over two years, then (with
    `lifecycle`) a correction and a retraction of early records; return the
    codes."""
    codes = [credit_code(serial) for serial in (1, 2, 3)]
    for code in codes:
        assert register(client, code).status_code == 201
    first_ids = []
    for n in range(12):
        code, kind = codes[n % 3], KINDS[n % 4]
        day = f"{2025 + n // 6}-{1 + n % 6 * 2:02d}-10"
        posted = post_record(
            client, kind, code, business_date=day, document_number=f"D-{n}"
        )
        assert posted.status_code == 201, posted.json
        first_ids.append(posted.json["record_id"])
    if not lifecycle:  # their answers are read from the view: they project
        return codes
    corrected = client.post(
        f"/records/{first_ids[0]}/corrections",
        json=_decision("更-1", changes={"points": "12"}),
    )
    retracted = client.post(f"/records/{first_ids[4]}/retraction", json=_decision("撤"))
    assert (corrected.status_code, retracted.status_code) == (201, 201)
    return codes


@pytest.mark.parametrize("batch_size", [1, 4, 500])
def test_a_rebuild_of_an_interleaved_log_is_identical_to_the_live_view(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    batch_size: int,
) -> None:
    monkeypatch.setattr(projector, "BATCH_SIZE", batch_size)
    codes = _interleaved_log(client)
    histories = [client.get(f"/enterprises/{c}/grade/history").json for c in codes]

    result = app.test_cli_runner().invoke(main, ["rebuild"])

    assert result.exit_code == 0, result.output
    assert result.output.endswith("result: IDENTICAL\n")
    assert all(len(history) >= 3 for history in histories)  # grades moved
    assert "segment: 0 rebuilt rows" not in result.output


def test_the_shadow_is_graded_and_emptied_afterwards(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    _interleaved_log(client)
    shadow = open_view(services.env, prefix=REBUILD_PREFIX)

    app.test_cli_runner().invoke(main, ["rebuild"])

    with shadow.datastore.transaction(commit=False) as cursor:
        left = shadow.count_rows_in(cursor)
    shadow.datastore.close()
    assert set(left.values()) == {0}


def test_rebuild_apply_replaces_a_view_far_behind_without_catching_it_up(
    app: Flask, bureau_with: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A projector that was down while a long history was imported: the live
    # view has not seen the log. `rebuild --apply` replaces it as rebuilt, and
    # announces each enterprise's grades (in chunks: two here, 1,000 live).
    monkeypatch.setattr(rebuild, "chunks", lambda codes: chunks(codes, 2))
    lagging = bureau_with(PROJECT_IN_REQUEST=False)
    codes = _interleaved_log(lagging, lifecycle=False)
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
    _interleaved_log(client, lifecycle=False)
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
    _interleaved_log(client, lifecycle=False)
    overwrite_grades(services, "AAA")
    schema = config["POSTGRES_SCHEMA"]

    app.test_cli_runner().invoke(main, ["rebuild", "--apply"])

    with services.view.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT relname, last_analyze, last_vacuum FROM pg_stat_user_tables "
            "WHERE schemaname = %s AND relname IN ('cs_segment', 'cs_record')",
            (schema,),
        )
        rows = cursor.fetchall()
    assert {row["relname"] for row in rows} == {"cs_segment", "cs_record"}
    assert all(row["last_analyze"] and row["last_vacuum"] for row in rows)


def _rebuilt_interleaved_log(app: Flask, client: FlaskClient) -> None:
    """Record an interleaved log and run `credit-svc rebuild` over it."""
    _interleaved_log(client, lifecycle=False)
    result = app.test_cli_runner().invoke(main, ["rebuild"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_shadow_on_postgresql_is_kept_out_of_the_write_ahead_log(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    _rebuilt_interleaved_log(app, client)

    with services.view.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT relname, relpersistence FROM pg_class "
            "WHERE relnamespace = %s::regnamespace AND relkind = 'r'",
            (services.view.dialect.schema,),
        )
        persistence = {row["relname"]: row["relpersistence"] for row in cursor}
    shadow = {persistence[f"{REBUILD_PREFIX}{table}"] for table in WHOLE_VIEW}
    live = {persistence[f"{LIVE_PREFIX}{table}"] for table in WHOLE_VIEW}
    assert (shadow, live) == ({"u"}, {"p"})


def test_a_shadow_has_its_indexes_again_once_built(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    # The rows pass drops them, to build them once at its end.
    _rebuilt_interleaved_log(app, client)

    with services.view.datastore.transaction(commit=False) as cursor:
        if services.view.dialect.schema:
            cursor.execute(
                "SELECT indexname AS name FROM pg_indexes WHERE schemaname = %s",
                (services.view.dialect.schema,),
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        names = {str(dict(row)["name"]) for row in cursor.fetchall()}
    live = {n.removeprefix(LIVE_PREFIX) for n in names if n.startswith(LIVE_PREFIX)}
    shadow = {
        n.removeprefix(REBUILD_PREFIX) for n in names if n.startswith(REBUILD_PREFIX)
    }
    assert {"record_by_enterprise", "event_by_enterprise"} <= shadow
    assert shadow == live


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_quick_analysis_samples_a_tenth_of_what_the_default_does(
    client: FlaskClient, services: Services
) -> None:
    # A build refreshes statistics as it grows, at a tenth of the default
    # sample: 12 distinct positions make a histogram of 12 bounds by default,
    # of 11 with 10 buckets.
    _interleaved_log(client, lifecycle=False)

    services.view.analyse(("record",), quick=True)
    quick = _position_histogram_bounds(services)
    services.view.analyse(("record",))

    assert (quick, _position_histogram_bounds(services)) == (11, 12)


def _position_histogram_bounds(services: Services) -> int:
    with services.view.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT array_length(histogram_bounds, 1) AS n FROM pg_stats "
            "WHERE schemaname = %s AND tablename = %s AND attname = 'position'",
            (services.view.dialect.schema, f"{LIVE_PREFIX}record"),
        )
        return int(cursor.fetchone()["n"])
