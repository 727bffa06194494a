"""`credit-svc serve`: the package alone serves (credit_svc.wsgi:app), from
any directory, with gunicorn's own refusals in the envelope, JSON log lines,
and metrics added up over its workers."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.processes import BIN, environment, free_port, run_cli

pytestmark = pytest.mark.slow  # child processes: the full suite only


@pytest.fixture
def served(config: dict[str, Any], tmp_path: Path) -> Any:
    """`credit-svc serve -w 2` started outside the checkout; its port, an
    admin token and its metrics directory (a stale file left in it)."""
    env = environment(config)
    run_cli(env, "init")
    admin = run_cli(env, "keys", "create", "--name", "运维", "--role", "admin")
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    (metrics / "counter_999999.db").write_bytes(b"stale")
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
    port = free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [str(BIN / "credit-svc"), "serve", "-b", f"127.0.0.1:{port}", "-w", "2"],
            cwd=tmp_path,  # no wsgi.py here: the package's own entry serves
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        yield port, admin.splitlines()[-1], metrics
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_serve_answers_from_outside_the_checkout(served: Any, tmp_path: Path) -> None:
    port, _, _ = served
    health = _wait_for(f"http://127.0.0.1:{port}/healthz")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/readyz?x=" + "9" * 5000)
    refused = connection.getresponse()
    refusal = (refused.status, json.loads(refused.read())["code"])
    connection.close()

    logged = [
        json.loads(line)
        for line in (tmp_path / "serve.log").read_text().splitlines()
        if line.startswith("{")
    ]
    requests = [r for r in logged if r["logger"] == "credit_svc.requests"]
    assert health == {"status": "ok"}
    assert refusal == (414, 414)
    assert {"path": "/healthz", "status": 200, "method": "GET"}.items() <= (
        requests[-1].items()
    )
    assert {"time", "request_id", "duration_ms", "key_id"} <= requests[-1].keys()


def test_metrics_add_up_every_worker(served: Any) -> None:
    port, token, metrics = served
    before = _health_requests(port, token)
    health = f"http://127.0.0.1:{port}/healthz"
    with ThreadPoolExecutor(max_workers=16) as pool:  # both workers busy
        list(pool.map(lambda _: _wait_for(health), range(200)))
    after = _health_requests(port, token)
    workers = {f.stem.rsplit("_", 1)[-1] for f in metrics.glob("counter_*.db")}

    assert after - before == 200
    assert "999999" not in workers  # emptied at start
    assert len(workers) == 2  # both workers counted, and the sum is theirs


def _health_requests(port: int, token: str) -> float:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/metrics",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read().decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "credit_svc_requests_total"
        and sample.labels == {"endpoint": "health.Health", "status": "200"}
    )


def _wait_for(url: str) -> Any:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return json.loads(answer.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    pytest.fail(f"{url} never answered")
