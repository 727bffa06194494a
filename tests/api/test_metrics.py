"""`/metrics`: requests, appended events, cache hits and the view's lag, in
the Prometheus format, for keys that read everything."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import YANTAI, post_record, register

GRADE = f"/enterprises/{YANTAI}/grade"


def _samples(client: FlaskClient) -> dict[tuple[str, tuple[Any, ...]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.data[:300]
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.get_data(as_text=True))
        for s in family.samples
    }


def _delta(
    before: dict[tuple[str, tuple[Any, ...]], float],
    after: dict[tuple[str, tuple[Any, ...]], float],
    name: str,
    **labels: str,
) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_requests_events_and_cache_hits_are_counted(
    client: FlaskClient, client_as: Callable[[str], FlaskClient]
) -> None:
    admin = client_as("admin")
    register(client)
    before = _samples(admin)

    post_record(client, "bad_credit")
    answers = [client.get(GRADE).status_code for _ in range(3)]
    after = _samples(admin)

    requests = "credit_svc_requests_total"
    assert answers == [200, 200, 200]
    assert _delta(before, after, requests, endpoint="grades.Grade", status="200") == 3
    assert (
        _delta(
            before, after, "credit_svc_events_appended_total", kind="BadCreditRecorded"
        )
        == 1
    )
    assert _delta(before, after, "credit_svc_answer_cache_total", result="hit") == 2
    assert _delta(before, after, "credit_svc_answer_cache_total", result="miss") == 1
    latency = "credit_svc_request_duration_seconds_count"
    assert _delta(before, after, latency, endpoint="grades.Grade") == 3
    assert _delta(before, after, "credit_svc_log_position") == 1
    assert after[("credit_svc_projection_lag_events", ())] == 0


def test_metrics_need_a_key_that_reads_everything(
    anonymous: FlaskClient, client_as: Callable[[str], FlaskClient]
) -> None:
    assert anonymous.get("/metrics").status_code == 401
    assert client_as("platform").get("/metrics").status_code == 403
    assert client_as("auditor").get("/metrics").status_code == 200
