"""The newcomer's path through real processes: init, gunicorn, restart, read."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import BODIES, PATHS, YANTAI, record_body

ROOT = Path(__file__).parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(config: dict[str, Any]) -> dict[str, str]:
    """Return CREDIT_SVC_* variables for the test's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_SVC_")}
    for key, value in config.items():
        if key != "TESTING":
            env[f"CREDIT_SVC_{key}"] = str(value)
    return env


class Service:
    """A gunicorn master with two workers on a loopback port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.port, self.log = env, free_port(), log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start gunicorn and wait until it answers."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "-w",
                    "2",
                    "-b",
                    f"127.0.0.1:{self.port}",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.call("GET", "/rule-packs")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        pytest.fail(f"gunicorn did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """Kill the master and its workers without a chance to clean up."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        subprocess.run(["pkill", "-9", "-f", f"127.0.0.1:{self.port}"], check=False)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Send a JSON request; return the status and the decoded body."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


@pytest.fixture
def service(config: dict[str, Any], tmp_path: Path) -> Iterator[Service]:
    """A gunicorn service on the test's database (initialised by the CLI)."""
    env = environment(config)
    subprocess.run(
        [str(BIN / "credit-svc"), "init"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    running = Service(env, tmp_path / "gunicorn.log")
    running.start()
    yield running
    running.kill()


def test_every_record_kind_survives_a_kill_and_restart(service: Service) -> None:
    status, _ = service.call(
        "POST",
        "/enterprises",
        {
            "credit_code": YANTAI,
            "name": "重启测试物业",
            "jurisdiction": "370602",
            "authority": "测试住建局",
            "projects": [{"code": "P-1", "name": "测试小区"}],
        },
    )
    assert status == 201
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
