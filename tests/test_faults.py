"""Faults with real processes: kill -9 mid-stream, racing writers, racing starts.

Each runs on SQLite and on PostgreSQL through gunicorn on loopback.
"""

from __future__ import annotations

import http.client
import subprocess
import threading
import urllib.error
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from credit_svc.adapters.persistence import create_postgres_schema
from tests.conftest import drop_schema
from tests.factories import YANTAI, record_body
from tests.processes import BIN, ROOT, Service, environment, run_cli, start_service

pytestmark = pytest.mark.slow  # child processes: the full suite only

RECORDS = f"/enterprises/{YANTAI}/records/good-credit-records"
FAILED_CALL = (urllib.error.URLError, http.client.HTTPException, OSError)
ENTERPRISE = {
    "credit_code": YANTAI,
    "name": "故障测试物业",
    "jurisdiction": "370602",
    "authority": "测试住建局",
    "projects": [{"code": "P-0", "name": "零号小区"}],
}


@pytest.fixture
def service(config: dict[str, Any], tmp_path: Path) -> Iterator[Service]:
    """Gunicorn with two workers on the test's database, an enterprise in it."""
    running = start_service(config, tmp_path / "gunicorn.log")
    assert running.call("POST", "/enterprises", ENTERPRISE)[0] == 201
    yield running
    running.kill()


def _write_until_stopped(
    service: Service, writer: int, acknowledged: set[str], stop: threading.Event
) -> None:
    for number in range(500):
        if stop.is_set():
            return
        document = f"W{writer}-{number}"
        body = record_body("good_credit", document_number=document)
        try:
            status, _ = service.call("POST", RECORDS, body, Idempotency_Key=document)
        except FAILED_CALL:
            return  # the service died under this request: not acknowledged
        if status == 201:
            acknowledged.add(document)


def _documents(service: Service) -> list[str]:
    run_cli(service.env, "project")  # apply what was committed but not projected
    status, records = service.call("GET", f"/enterprises/{YANTAI}/records")
    assert status == 200
    return [r["document_number"] for r in records if r["kind"] == "good_credit"]


def test_every_acknowledged_write_survives_kill_9_mid_stream_exactly_once(
    service: Service,
) -> None:
    acknowledged: set[str] = set()
    stop = threading.Event()
    writers = [
        threading.Thread(
            target=_write_until_stopped, args=(service, n, acknowledged, stop)
        )
        for n in range(4)
    ]
    for thread in writers:
        thread.start()
    while len(acknowledged) < 40 and any(t.is_alive() for t in writers):
        threading.Event().wait(0.01)

    service.kill()  # master and workers, SIGKILL, requests in flight
    stop.set()
    for thread in writers:
        thread.join()
    service.start()
    documents = _documents(service)

    assert len(acknowledged) >= 40
    assert acknowledged <= set(documents)  # nothing acknowledged is lost
    assert len(documents) == len(set(documents))  # and nothing is doubled
    export = service.call("GET", "/log/verify")[1]
    assert export["intact"] is True


def test_a_retry_after_the_restart_finds_each_write_once(service: Service) -> None:
    body = record_body("good_credit", document_number="retried")
    first = service.call("POST", RECORDS, body, Idempotency_Key="retried")
    service.kill()
    service.start()

    again = service.call("POST", RECORDS, body, Idempotency_Key="retried")

    assert (first[0], again[0]) == (201, 201)
    assert again[1] == first[1]
    assert _documents(service).count("retried") == 1


def test_concurrent_writers_to_one_enterprise_lose_nothing(service: Service) -> None:
    def add_project(number: int) -> int:
        body = {"code": f"P-{number}", "name": f"{number}号小区"}
        return service.call(
            "POST",
            f"/enterprises/{YANTAI}/projects",
            body | {"authority": "测试住建局"},
        )[0]

    def post_record(number: int) -> int:
        body = record_body("good_credit", document_number=f"C-{number}")
        return service.call("POST", RECORDS, body)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        projects = list(pool.map(add_project, range(1, 17)))
        records = list(pool.map(post_record, range(16)))

    assert projects == [201] * 16  # racing appends to one aggregate retry
    assert records == [201] * 16
    enterprise = service.call("GET", f"/enterprises/{YANTAI}")[1]
    assert len(enterprise["projects"]) == 17
    assert len(_documents(service)) == 16


@pytest.fixture
def empty_config(config: dict[str, Any], tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Settings of a database with no tables at all."""
    if config["PERSISTENCE"] == "sqlite":
        yield config | {"SQLITE_PATH": str(tmp_path / "empty.sqlite3")}
        return
    empty = config | {"POSTGRES_SCHEMA": f"test_{uuid.uuid4().hex[:12]}"}
    create_postgres_schema(empty)
    yield empty
    drop_schema(empty["POSTGRES_SCHEMA"])


def test_several_inits_and_workers_starting_at_once_on_an_empty_database(
    empty_config: dict[str, Any], tmp_path: Path
) -> None:
    env = environment(empty_config)
    inits = [
        subprocess.Popen(
            [str(BIN / "credit-svc"), "init"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=60)[0].decode() for process in inits]
    service = start_service(
        empty_config, tmp_path / "gunicorn.log", workers=4, initialised=True
    )
    try:
        assert [p.returncode for p in inits] == [0] * 4, outputs
        assert service.call("POST", "/enterprises", ENTERPRISE)[0] == 201
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(
                pool.map(
                    lambda n: service.call(
                        "POST",
                        RECORDS,
                        record_body("good_credit", document_number=f"S-{n}"),
                    )[0],
                    range(16),
                )
            )
        assert statuses == [201] * 16
    finally:
        service.kill()
