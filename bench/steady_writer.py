"""A bureau writing records at a steady rate while another load runs.

Every projected write changes the view's version; a grade load measured with
no writes at all shows only what a quiet day reads like.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from types import TracebackType

from bench.dataset import AUTHORITY
from bench.workspace import json_auth


class SteadyWriter:
    """Posts one good-credit record `rate` times a second, about the codes in
    turn, from a thread, until its `with` block ends."""

    def __init__(self, url: str, token: str, codes: list[str], rate: float) -> None:
        self.url, self.token, self.codes, self.rate = url, token, codes, rate
        self.written = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._write, daemon=True)

    def __enter__(self) -> SteadyWriter:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _write(self) -> None:
        interval = 1 / self.rate
        next_at = time.monotonic()
        while not self._stop.is_set():
            code = self.codes[(self.written * 37) % len(self.codes)]
            body = {
                "business_date": "2026-05-01",
                "authority": AUTHORITY,
                "document_number": f"STEADY-{time.time_ns()}",
                "category": "honour",
                "level": "city",
                "title": "t",
            }
            request = urllib.request.Request(
                f"{self.url}/enterprises/{code}/records/good-credit-records",
                data=json.dumps(body).encode(),
                headers=json_auth(self.token),
            )
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()
            self.written += 1
            next_at += interval
            self._stop.wait(max(0.0, next_at - time.monotonic()))
