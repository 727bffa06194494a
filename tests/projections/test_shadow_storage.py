"""How a rebuild's shadow is stored on PostgreSQL: out of the write-ahead log,
indexed again once built, analysed from quick samples while it grows."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.projections.view_schema import LIVE_PREFIX, REBUILD_PREFIX, WHOLE_VIEW
from credit_svc.services import Services
from tests.projections.logs import (
    interleaved_log,
    rebuilt_interleaved_log,
)


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_shadow_on_postgresql_is_kept_out_of_the_write_ahead_log(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    rebuilt_interleaved_log(app, client)

    with services.view.db.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT relname, relpersistence FROM pg_class "
            "WHERE relnamespace = %s::regnamespace AND relkind = 'r'",
            (services.view.db.dialect.schema,),
        )
        persistence = {row["relname"]: row["relpersistence"] for row in cursor}
    shadow = {persistence[f"{REBUILD_PREFIX}{table}"] for table in WHOLE_VIEW}
    live = {persistence[f"{LIVE_PREFIX}{table}"] for table in WHOLE_VIEW}
    assert (shadow, live) == ({"u"}, {"p"})


def test_a_shadow_has_its_indexes_again_once_built(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    # The rows pass drops them, to build them once at its end.
    rebuilt_interleaved_log(app, client)

    with services.view.db.datastore.transaction(commit=False) as cursor:
        if services.view.db.dialect.schema:
            cursor.execute(
                "SELECT indexname AS name FROM pg_indexes WHERE schemaname = %s",
                (services.view.db.dialect.schema,),
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        names = {str(dict(row)["name"]) for row in cursor.fetchall()}
    live = {n.removeprefix(LIVE_PREFIX) for n in names if n.startswith(LIVE_PREFIX)}
    shadow = {
        n.removeprefix(REBUILD_PREFIX) for n in names if n.startswith(REBUILD_PREFIX)
    }
    assert {"record_by_enterprise", "event_by_enterprise"} <= shadow
    # The idempotency table sits beside the live view's tables, not in the
    # view; only the live view keeps a webhook outbox.
    outbox = {"delivery_due", "delivery_by_subscription"}
    outbox |= {"delivery_pkey", "subscription_pkey"}  # PostgreSQL's keys
    assert shadow == live - {"idempotency_pkey"} - outbox


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_quick_analysis_samples_a_tenth_of_what_the_default_does(
    client: FlaskClient, services: Services
) -> None:
    # A build refreshes statistics as it grows, at a tenth of the default
    # sample: 12 distinct positions make a histogram of 12 bounds by default,
    # of 11 with 10 buckets.
    interleaved_log(client, lifecycle=False)

    services.view.maintenance.analyse(("record",), quick=True)
    quick = _position_histogram_bounds(services)
    services.view.maintenance.analyse(("record",))

    assert (quick, _position_histogram_bounds(services)) == (11, 12)


def _position_histogram_bounds(services: Services) -> int:
    with services.view.db.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT array_length(histogram_bounds, 1) AS n FROM pg_stats "
            "WHERE schemaname = %s AND tablename = %s AND attname = 'position'",
            (services.view.db.dialect.schema, f"{LIVE_PREFIX}record"),
        )
        return int(cursor.fetchone()["n"])
