"""Rate limits shared by every worker: Flask-Limiter over one storage.

Each caller (its API key, or its address for the public) may make
RATE_LIMIT_PER_MINUTE requests a minute across all endpoints and workers;
repeated failed authentications from one address are slowed down
(FAILED_AUTH_PER_MINUTE, then 429 for any key it presents until the minute
is over). The counts live where RATE_LIMIT_STORAGE_URI says: Redis in
production (`redis://127.0.0.1:6379`), by default a SQLite file of their own
beside the data (adapters/rate_limit_store.py), never the event database.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from flask_limiter import Limiter, RequestLimit
from limits import RateLimitItem, parse
from limits.strategies import RateLimiter

from credit_svc.adapters.rate_limit_store import SCHEME
from credit_svc.api.access import AccessError
from credit_svc.api.errors import envelope


class RateLimitedError(AccessError):
    """A 429 with the envelope and a Retry-After header."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            HTTPStatus.TOO_MANY_REQUESTS,
            f"too many requests; retry after {retry_after} seconds",
        )
        self.retry_after = retry_after

    def get_headers(self, *_: object, **__: object) -> list[tuple[str, str]]:
        """Add Retry-After to the response headers."""
        return [("Retry-After", str(self.retry_after))]


def storage_uri(config: Mapping[str, Any]) -> str:
    """Return where the counts live: the configured URI, or a file of their
    own beside the SQLite database (or in the working directory's var/)."""
    if config["RATE_LIMIT_STORAGE_URI"]:
        return str(config["RATE_LIMIT_STORAGE_URI"])
    path = str(config["SQLITE_PATH"])
    in_memory = ":memory:" in path or "mode=memory" in path
    beside = Path("var") if in_memory else Path(path).parent
    return f"{SCHEME}://{(beside / 'rate-limits.sqlite3').resolve()}"


def init_rate_limits(app: Flask) -> None:
    """Count every request after its caller is known (call where that hook
    goes: Flask runs request hooks in the order they were added)."""
    per_minute = int(app.config["RATE_LIMIT_PER_MINUTE"])
    if per_minute <= 0:
        return
    limiter = Limiter(
        key_func=_caller,
        application_limits=[f"{per_minute} per minute"],
        storage_uri=storage_uri(app.config),
        strategy="fixed-window",
        key_prefix=app.config["RATE_LIMIT_KEY_PREFIX"],
        on_breach=_refused,
    )
    limiter.init_app(app)
    failures = int(app.config["FAILED_AUTH_PER_MINUTE"])
    if failures > 0:
        app.extensions["credit_svc_failed_auth"] = FailedAuthentications(
            limiter.limiter,
            parse(f"{failures} per minute"),
            f"{app.config['RATE_LIMIT_KEY_PREFIX']}/failed_auth",
        )


def _caller() -> str:
    actor = g.get("actor")
    return f"key:{actor.key_id}" if actor else f"ip:{request.remote_addr}"


def _refused(limit: RequestLimit) -> Response:
    wait = _seconds_until(limit.window[0])  # reset_at is a second past it
    message = f"too many requests; retry after {wait} seconds"
    response, _ = envelope(HTTPStatus.TOO_MANY_REQUESTS, message)
    response.status_code = HTTPStatus.TOO_MANY_REQUESTS
    response.headers["Retry-After"] = str(wait)
    return response


def _seconds_until(moment: float) -> int:
    return max(1, math.ceil(moment - time.time()))


class FailedAuthentications:
    """Failed authentications per client address, in the limiter's storage."""

    def __init__(
        self, counter: RateLimiter, limit: RateLimitItem, namespace: str
    ) -> None:
        self.counter = counter
        self.limit = limit
        self.namespace = namespace

    def refuse_if_over(self, address: str) -> None:
        """Refuse (429) an address that failed too often this minute."""
        if not self.counter.test(self.limit, self.namespace, address):
            reset_at, _ = self.counter.get_window_stats(
                self.limit, self.namespace, address
            )
            raise RateLimitedError(_seconds_until(reset_at))

    def failed(self, address: str) -> None:
        """Count one failed authentication from the address."""
        self.counter.hit(self.limit, self.namespace, address)
