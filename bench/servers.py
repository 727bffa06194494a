"""Gunicorn on a free loopback port, for the bench, and its workers' memory."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


class Stopped:
    """A child process that is terminated when its `with` block ends."""

    process: subprocess.Popen[bytes]

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Gunicorn(Stopped):
    """`gunicorn -w N` serving an app until the block ends."""

    def __init__(self, app: str, env: dict[str, str], workers: int) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).parent / "gunicorn"
        # Its log (a JSON line a request) to a file beside the run's data, as
        # in production; not through the pipe bench/pairs.py reads.
        work = Path(env["CREDIT_SVC_SIGNING_KEY_FILE"]).parent
        with (work / "gunicorn.log").open("ab") as log:
            self.process = self._start(gunicorn, workers, app, env, log)
        self.pid = self.process.pid

    def _start(
        self, gunicorn: Path, workers: int, app: str, env: dict[str, str], log: Any
    ) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                str(gunicorn),
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                app,
            ],
            cwd=ROOT,
            env=env,
            stderr=log,
        )

    def __enter__(self) -> Gunicorn:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=1)
                return self
            except OSError as error:
                if getattr(error, "code", None):  # an HTTP answer: it is up
                    return self
                time.sleep(0.2)
        raise SystemExit(f"gunicorn {self.url} did not start")


def peak_worker_memory_mb(master: int) -> float:
    """Return the largest peak resident size (VmHWM) of the master's workers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)


class Projector(Stopped):
    """`credit-svc project --follow`, the one projector of a deployment."""

    def __init__(self, env: dict[str, str]) -> None:
        command = Path(sys.executable).parent / "credit-svc"
        self.process = subprocess.Popen(
            [str(command), "project", "--follow", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )

    def __enter__(self) -> Projector:
        return self
