"""The newcomer's path through real processes: init, gunicorn, restart, read."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import BODIES, PATHS, YANTAI, record_body
from tests.processes import Service, start_service

pytestmark = pytest.mark.slow  # child processes: the full suite only


@pytest.fixture
def service(config: dict[str, Any], tmp_path: Path) -> Iterator[Service]:
    """A gunicorn service on the test's database (initialised by the CLI)."""
    running = start_service(config, tmp_path / "gunicorn.log")
    yield running
    running.kill()


def register_over_http(service: Service, name: str) -> None:
    """Register the test enterprise in Yantai through the running service."""
    status, _ = service.call(
        "POST",
        "/enterprises",
        {
            "credit_code": YANTAI,
            "name": name,
            "jurisdiction": "370602",
            "authority": "测试住建局",
            "projects": [{"code": "P-1", "name": "测试小区"}],
        },
    )
    assert status == 201


def test_every_record_kind_survives_a_kill_and_restart(service: Service) -> None:
    register_over_http(service, "重启测试物业")
    posted = []
    for kind in BODIES:
        status, body = service.call(
            "POST", f"/enterprises/{YANTAI}/records/{PATHS[kind]}", record_body(kind)
        )
        assert status == 201, body
        posted.append(body)
    grade_before = service.call("GET", f"/enterprises/{YANTAI}/grade?as_of=2026-02-01")

    service.kill()
    service.start()

    status, listed = service.call("GET", f"/enterprises/{YANTAI}/records")
    assert status == 200
    assert sorted(listed, key=lambda r: r["position"]) == posted
    assert service.call("GET", f"/enterprises/{YANTAI}/grade?as_of=2026-02-01") == (
        grade_before
    )


def post_chunked(service: Service, path: str, body: Any) -> tuple[int, Any]:
    """POST a JSON body in 4 KiB chunks, without Content-Length."""
    data = json.dumps(body).encode()
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    connection.request(
        "POST",
        path,
        body=(data[i : i + 4096] for i in range(0, len(data), 4096)),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {service.token}",
        },
        encode_chunked=True,
    )
    answer = connection.getresponse()
    return answer.status, json.loads(answer.read())


def test_an_oversized_chunked_body_is_413_and_writes_nothing(
    service: Service,
) -> None:
    head = service.call("GET", "/log/head")
    body = record_body("inspection", findings=["x" * 400] * 200)

    status, answer = post_chunked(
        service, f"/enterprises/{YANTAI}/records/inspections", body
    )

    assert (status, answer["code"]) == (413, 413)
    assert service.call("GET", "/log/head") == head


def test_gunicorns_own_refusals_come_in_the_envelope(service: Service) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    connection.request("GET", f"/enterprises/{YANTAI}/grade?x=" + "9" * 5000)
    long_line = connection.getresponse()
    too_long = (long_line.status, long_line.getheader("Content-Type"))
    answer = json.loads(long_line.read())
    connection.close()

    assert too_long == (414, "application/json")
    assert answer["code"] == 414
    assert answer["status"] == "Request-URI Too Long"
    assert "too large" in answer["message"]


def test_a_chunked_body_within_the_limit_is_accepted(service: Service) -> None:
    body = {
        "credit_code": YANTAI,
        "name": "分块测试物业",
        "jurisdiction": "370602",
        "authority": "测试住建局",
    }

    status, answer = post_chunked(service, "/enterprises", body)

    assert status == 201, answer
    assert answer["name"] == "分块测试物业"


def test_every_worker_answers_each_write_at_once(
    service: Service, config: dict[str, Any]
) -> None:
    """Workers keep grade answers; a write through one must show in all: at
    once on SQLite, and on PostgreSQL once the commit's notice has reached the
    other workers, microseconds later (50 ms allowed, against a loaded CI
    machine's scheduling; docs/adr/0004)."""
    notice = 0.05 if config["PERSISTENCE"] == "postgres" else 0.0
    register_over_http(service, "多进程测试物业")
    grade = f"/enterprises/{YANTAI}/grade"
    scores = [{service.call("GET", grade)[1]["score"] for _ in range(12)}]
    for n in range(3):
        body = record_body("bad_credit", document_number=f"WORKERS-{n}", points="1")
        status, _ = service.call(
            "POST", f"/enterprises/{YANTAI}/records/bad-credit-records", body
        )
        assert status == 201
        time.sleep(notice)
        scores.append({service.call("GET", grade)[1]["score"] for _ in range(12)})

    assert all(len(seen) == 1 for seen in scores), scores  # every worker agrees
    firsts = [float(next(iter(seen))) for seen in scores]
    assert firsts == sorted(firsts, reverse=True)
    assert len(set(firsts)) == 4  # each write lowered the score at once
