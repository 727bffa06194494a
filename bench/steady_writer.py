"""A bureau writing records at a steady rate while another load runs.

Every projected write changes the view's version; a grade load measured with
no writes at all shows only what a quiet day reads like.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from bench.dataset import AUTHORITY
from bench.workspace import json_auth


@contextmanager
def steady_writes(
    url: str, token: str, codes: list[str], rate: float
) -> Iterator[None]:
    """Post one good-credit record `rate` times a second, about the codes in
    turn, from a thread, until the `with` block ends."""
    stop = threading.Event()
    writer = threading.Thread(
        target=_write, args=(url, token, codes, rate, stop), daemon=True
    )
    writer.start()
    try:
        yield
    finally:
        stop.set()
        writer.join(timeout=30)


def _write(
    url: str, token: str, codes: list[str], rate: float, stop: threading.Event
) -> None:
    written, next_at = 0, time.monotonic()
    while not stop.is_set():
        body = {
            "business_date": "2026-05-01",
            "authority": AUTHORITY,
            "document_number": f"STEADY-{time.time_ns()}",
            "category": "honour",
            "level": "city",
            "title": "t",
        }
        code = codes[(written * 37) % len(codes)]  # spread over the firms
        request = urllib.request.Request(
            f"{url}/enterprises/{code}/records/good-credit-records",
            data=json.dumps(body).encode(),
            headers=json_auth(token),
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
        written += 1
        next_at += 1 / rate
        stop.wait(max(0.0, next_at - time.monotonic()))
