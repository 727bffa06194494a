"""Real processes for tests: gunicorn on loopback, killed and restarted at will."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

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
    """A gunicorn master with its workers on a loopback port."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        workers: int = 2,
        *options: str,
        host: str = "127.0.0.1",  # any of 127.0.0.0/8: one "host" each
    ) -> None:
        self.env, self.port, self.log, self.host = env, free_port(), log, host
        self.workers = workers
        self.options = list(options)  # more of gunicorn's command-line options
        self.process: subprocess.Popen[bytes] | None = None
        self.token = ""  # an API key's token, once issued

    def start(self) -> None:
        """Start gunicorn and wait until it answers."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "-w",
                    str(self.workers),
                    "-b",
                    f"{self.host}:{self.port}",
                    *self.options,
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                # Its own process group, whose id is the master's PID: the
                # workers are killed with it, and nothing else is.
                start_new_session=True,
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
        with contextlib.suppress(ProcessLookupError):  # all gone already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def call(
        self, method: str, path: str, body: Any = None, **headers: str
    ) -> tuple[int, Any]:
        """Send a JSON request; return the status and the decoded body.

        Keyword arguments are extra headers, underscores for dashes.
        """
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://{self.host}:{self.port}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {self.token}"} if self.token else {})
            | {name.replace("_", "-"): value for name, value in headers.items()},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


def start_service(
    config: dict[str, Any], log: Path, workers: int = 2, *, initialised: bool = False
) -> Service:
    """Initialise the database with the CLI, issue a bureau key, start gunicorn."""
    env = environment(config)
    if not initialised:
        run_cli(env, "init")
    issued = subprocess.run(
        [
            *(str(BIN / "credit-svc"), "keys", "create", "--name", "测试住建局"),
            *("--role", "bureau", "--authority", "测试住建局", "--jurisdiction", "37"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    running = Service(env, log, workers)
    running.token = issued.stdout.splitlines()[-1]
    running.start()
    return running


def run_cli(env: dict[str, str], *args: str) -> str:
    """Run `credit-svc` with the arguments; return what it printed."""
    done = subprocess.run(
        [str(BIN / "credit-svc"), *args],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (args, done.returncode, done.stderr[-2000:])
    return done.stdout


def fresh_sqlite(tmp_path: Path, *commands: str) -> dict[str, str]:
    """Return the environment of a SQLite deployment in `tmp_path` (its file
    and key files; nothing else set), after running each `credit-svc`
    command in it (e.g. init, demo)."""
    env = {
        "CREDIT_SVC_SQLITE_PATH": str(tmp_path / "credit.sqlite3"),
        "CREDIT_SVC_SIGNING_KEY_FILE": str(tmp_path / "signing.pem"),
        "CREDIT_SVC_PERSONAL_DATA_KEY_FILE": str(tmp_path / "personal"),
        "CREDIT_SVC_SERVER_KEY_FILE": str(tmp_path / "server-key"),
    }
    for command in commands:
        run_cli(env, command)
    return env


def run_python(env: dict[str, str], code: str) -> str:
    """Run the code in a fresh interpreter from the checkout; return what it
    printed (its error output is the assertion's message if it fails)."""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
