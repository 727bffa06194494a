"""Rate limits shared by every worker, counted with the `limits` library.

Each caller (its API key, or its address for the public) may make
RATE_LIMIT_PER_MINUTE requests a minute across all endpoints and workers;
repeated failed authentications from one address are slowed down
(FAILED_AUTH_PER_MINUTE, then 429 for any key it presents until the minute
is over). The counts live where RATE_LIMIT_STORAGE_URI says: Redis in
production (`redis://127.0.0.1:6379`), by default a SQLite file of their own
beside the data (adapters/rate_limit_store.py), never the event database.

`limits` is the core of Flask-Limiter, used here in one request hook: the
extension's per-request resolution of limits cost reads more than the count
itself (docs/performance.md, ADR 0010).

A busy caller's requests are counted ahead: a worker takes several counts in
one call to the storage and spends them over the next second, doubling what
it takes while they run out, never more than 1/64 of what is left of the
caller's minute. The total never passes the limit (counts are taken before
they are spent); near the limit, or for a caller seen seldom, every request
is counted alone. One storage call in up to 32 requests keeps the limits'
cost on reads within budget (ADR 0010).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any, Final

from cachetools import TTLCache
from flask import Flask, current_app, g, request
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from credit_svc.adapters.metrics import RATE_LIMITED
from credit_svc.adapters.rate_limit_store import SCHEME
from credit_svc.api.access import AccessError

PROBES: Final = frozenset({"health.Health", "health.Readiness"})  # never limited
AHEAD_SECONDS: Final = 1.0  # how long counts taken ahead may be spent
MOST_AHEAD: Final = 32  # counts taken in one storage call, at most
SHARE_OF_REST: Final = 64  # and at most 1/64 of what the caller has left
CALLERS_AHEAD: Final = 10_000  # callers a worker keeps counts for


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
    own beside the SQLite database (or in the data directory)."""
    if config["RATE_LIMIT_STORAGE_URI"]:
        return str(config["RATE_LIMIT_STORAGE_URI"])
    path = str(config["SQLITE_PATH"])
    in_memory = ":memory:" in path or "mode=memory" in path
    beside = Path(config["DATA_DIR"]) if in_memory else Path(path).parent
    return f"{SCHEME}://{(beside / 'rate-limits.sqlite3').resolve()}"


@dataclass
class Ahead:
    """Counts this worker took for a caller and has not spent yet."""

    left: int
    next_take: int  # how many to take when they run out


@dataclass(frozen=True)
class Limit:
    """One limit per caller and minute, counted in the shared storage."""

    counter: FixedWindowRateLimiter
    item: RateLimitItem
    namespace: str
    ahead: TTLCache[str, Ahead] = field(
        default_factory=lambda: TTLCache(CALLERS_AHEAD, AHEAD_SECONDS)
    )
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, caller: str, reason: str) -> None:
        """Count one more for the caller; 429 once over the limit."""
        with self.lock:
            held = self.ahead.get(caller)
            if held is not None and held.left > 0:
                held.left -= 1
                return
        wanted = 1 if held is None else held.next_take
        key = self.item.key_for(self.namespace, caller)
        count = self.counter.storage.incr(key, self.item.get_expiry(), amount=wanted)
        granted = min(wanted, self.item.amount - (count - wanted))
        if granted <= 0:
            self.refuse(caller, reason)
        rest = self.item.amount - count
        grow = min(2 * wanted, MOST_AHEAD, max(1, rest // SHARE_OF_REST))
        with self.lock:  # a new entry: its second starts now
            self.ahead[caller] = Ahead(granted - 1, grow)

    def refuse_if_over(self, caller: str, reason: str) -> None:
        """Refuse (429) a caller already over the limit, counting nothing."""
        if not self.counter.test(self.item, self.namespace, caller):
            self.refuse(caller, reason)

    def count(self, caller: str) -> None:
        """Count one more for the caller, whatever the total."""
        self.counter.hit(self.item, self.namespace, caller)

    def refuse(self, caller: str, reason: str) -> None:
        """Answer 429 with the seconds until the caller's window ends."""
        RATE_LIMITED.labels(reason).inc()
        ends, _ = self.counter.get_window_stats(self.item, self.namespace, caller)
        raise RateLimitedError(max(1, math.ceil(ends - time.time())))


def init_rate_limits(app: Flask) -> None:
    """Count every request after its caller is known (call where that hook
    goes: Flask runs request hooks in the order they were added)."""
    per_minute = int(app.config["RATE_LIMIT_PER_MINUTE"])
    failures = int(app.config["FAILED_AUTH_PER_MINUTE"])
    if per_minute <= 0 and failures <= 0:
        return
    counter = FixedWindowRateLimiter(storage_from_string(storage_uri(app.config)))
    prefix = str(app.config["RATE_LIMIT_KEY_PREFIX"])
    if per_minute > 0:
        app.extensions["credit_svc_rate"] = Limit(
            counter, parse(f"{per_minute} per minute"), f"{prefix}/requests"
        )
        app.before_request(limit_rate)
    if failures > 0:
        app.extensions["credit_svc_failed_auth"] = FailedAuthentications(
            Limit(counter, parse(f"{failures} per minute"), f"{prefix}/failed_auth")
        )


def limit_rate() -> None:
    """Refuse the request with 429 when its caller is over the limit."""
    if request.endpoint in PROBES:
        return
    limit: Limit = current_app.extensions["credit_svc_rate"]
    actor = g.get("actor")
    limit.take(
        f"key:{actor.key_id}" if actor else f"ip:{request.remote_addr}", "requests"
    )


@dataclass(frozen=True)
class FailedAuthentications:
    """Failed authentications per client address (used by api/access.py).

    An address whose valid key this worker let in during the last second is
    not asked about again for its next valid keys: the shared count is read
    once a second for it, not on every request. Every wrong key is still
    checked against the count, and a new address before its first key.
    """

    limit: Limit
    let_in: TTLCache[str, bool] = field(
        default_factory=lambda: TTLCache(CALLERS_AHEAD, AHEAD_SECONDS)
    )
    lock: threading.Lock = field(default_factory=threading.Lock)  # threaded workers

    def recently_let_in(self, address: str) -> bool:
        """Tell whether a valid key from the address passed the check lately."""
        with self.lock:
            return address in self.let_in

    def refuse_if_over(self, address: str) -> None:
        """Refuse (429) an address that failed too often this minute."""
        self.limit.refuse_if_over(address, "failed_keys")

    def passed(self, address: str) -> None:
        """Note that a valid key from the address passed the check."""
        with self.lock:
            self.let_in[address] = True

    def failed(self, address: str) -> None:
        """Count one failed authentication from the address."""
        self.limit.count(address)
