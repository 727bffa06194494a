"""The deployment of docs/operations.md in small: two service hosts and one
projector process on one database. Each "host" is gunicorn on its own
loopback address; neither projects in its requests; the projector does, and
each host hears of it (issue 36, item 6)."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import YANTAI, enterprise_body, record_body
from tests.processes import BIN, ROOT, Service, environment, run_cli

pytestmark = pytest.mark.slow  # five processes: the full suite only

REDIS = "redis://127.0.0.1:6379/0"  # counts shared by hosts (docs/operations.md)


@pytest.fixture
def hosts(config: dict[str, Any], tmp_path: Path) -> Iterator[list[Service]]:
    """Two hosts (127.0.0.2 and 127.0.0.3) and `credit-svc project --follow`."""
    shared = config | {
        "PROJECT_IN_REQUEST": "false",  # as the environment says it
        "RATE_LIMIT_STORAGE_URI": REDIS,
        "RATE_LIMIT_KEY_PREFIX": f"test_{uuid.uuid4().hex}",
    }
    env = environment(shared)
    run_cli(env, "init")
    token = run_cli(
        env,
        *("keys", "create", "--name", "测试住建局", "--role", "bureau"),
        *("--authority", "测试住建局", "--jurisdiction", "37"),
    ).splitlines()[-1]
    with (tmp_path / "projector.log").open("ab") as log:
        projector = subprocess.Popen(
            [str(BIN / "credit-svc"), "project", "--follow", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
    started: list[Service] = []
    try:
        for number, host in enumerate(("127.0.0.2", "127.0.0.3")):
            service = Service(env, tmp_path / f"host{number}.log", host=host)
            service.token = token
            service.start()
            started.append(service)
        yield started
    finally:
        for service in started:
            service.kill()
        projector.kill()  # by its PID, which this fixture started
        projector.wait()


def _eventually(read: Any, done: Any, seconds: float = 15) -> Any:
    """Call `read` until `done` holds for what it returns (the projector's lag)."""
    deadline = time.monotonic() + seconds
    while not done(got := read()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return got


def test_a_write_to_one_host_is_read_from_the_other(hosts: list[Service]) -> None:
    first, second = hosts

    registered, _ = first.call("POST", "/enterprises", enterprise_body())
    grade = f"/enterprises/{YANTAI}/grade?as_of=2026-06-01"
    graded, before = _eventually(lambda: second.call("GET", grade), _is_200)
    posted, _ = second.call(
        "POST",
        f"/enterprises/{YANTAI}/records/bad-credit-records",
        record_body("bad_credit", business_date="2026-02-01"),
    )
    _, after = _eventually(
        lambda: first.call("GET", grade), lambda a: a[1]["score"] != before["score"]
    )

    assert (first.host, second.host) == ("127.0.0.2", "127.0.0.3")
    assert registered == 201
    assert graded == 200  # written on one host, projected, read on the other
    assert posted == 201
    assert before["score"] == "60"  # a new firm's base score (Yantai pack)
    assert after["score"] == "52"  # the bad record's stated 8 points, seen back


def _is_200(answer: tuple[int, Any]) -> bool:
    return answer[0] == 200
