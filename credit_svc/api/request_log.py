"""One structured log line and the metrics per request, and the request's id.

Each request gets an id: the caller's `X-Request-ID` when it sends a
sensible one (to follow a call across services), else a new one; the answer
echoes it. When the answer is sent, the `credit_svc.requests` logger gets
one record with the method, the path's template (never the values in it,
which may be ID-related), the status, the duration and the API key's id
(never its secret). How records are written (one JSON line each) is the
process's business: logs.py, set up by wsgi.py and the command line.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Final

from flask import Response, g, request

from credit_svc.adapters.metrics import LATENCY, REQUESTS
from credit_svc.logs import REQUEST_LINES

HEADER: Final = "X-Request-ID"
MAX_ID_LENGTH: Final = 128
LOG = logging.getLogger("credit_svc.requests")


def start_request() -> None:
    """Note when the request began and which id it goes by."""
    g.started = time.perf_counter()
    sent = request.headers.get(HEADER, "")
    usable = 0 < len(sent) <= MAX_ID_LENGTH and sent.isascii() and sent.isprintable()
    g.request_id = sent if usable else os.urandom(16).hex()


def log_request(response: Response) -> Response:
    """Echo the request's id and log the request's outcome."""
    request_id = g.get("request_id") or os.urandom(16).hex()
    response.headers[HEADER] = request_id
    seconds = time.perf_counter() - g.get("started", time.perf_counter())
    endpoint = request.endpoint or "(no route)"
    REQUESTS.labels(endpoint, str(response.status_code)).inc()
    LATENCY.labels(endpoint).observe(seconds)
    if LOG.isEnabledFor(logging.INFO):
        actor = g.get("actor")
        rule = request.url_rule
        REQUEST_LINES.write(
            LOG,
            {
                "request_id": request_id,
                "method": request.method,
                "path": rule.rule if rule is not None else "(no route)",
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 2),
                "key_id": actor.key_id if actor else None,
            },
        )
    return response
