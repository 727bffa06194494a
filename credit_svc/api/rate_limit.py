"""Per-key rate limits: so one client cannot starve the others.

Counted per worker process in fixed one-minute windows, per API key (or per
client address for the public). With W workers a client gets at most W times
the limit; a deployment that needs one shared count puts the limit in front
of the service (the load balancer), as docs/security.md says.
"""

from __future__ import annotations

import time
from http import HTTPStatus

from flask import current_app, g, request

from credit_svc.api.access import AccessError

WINDOW_SECONDS = 60


class RateLimitedError(AccessError):
    """A 429 with the envelope and a Retry-After header."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            HTTPStatus.TOO_MANY_REQUESTS,
            f"too many requests; retry after {retry_after} seconds",
        )
        self.retry_after = retry_after

    def get_headers(
        self,
        *_: object,
        **__: object,
    ) -> list[tuple[str, str]]:
        """Add Retry-After to the response headers."""
        return [("Retry-After", str(self.retry_after))]


class RateLimiter:
    """Counts requests per caller in the current one-minute window."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.counts: dict[str, tuple[int, int]] = {}  # caller -> (window, count)

    def hit(self, caller: str, now: float) -> int | None:
        """Count a request; return seconds to wait when over the limit, else None."""
        window = int(now // WINDOW_SECONDS)
        seen, count = self.counts.get(caller, (window, 0))
        count = count + 1 if seen == window else 1
        if len(self.counts) > 100_000:  # forget old callers rather than grow
            self.counts.clear()
        self.counts[caller] = (window, count)
        if count > self.per_minute:
            return WINDOW_SECONDS * (window + 1) - int(now)
        return None


def limit_rate() -> None:
    """Refuse the request with 429 when its caller is over the limit."""
    limiter: RateLimiter | None = current_app.extensions.get("credit_svc_rate")
    if limiter is None:
        return
    actor = g.get("actor")
    caller = f"key:{actor.key_id}" if actor else f"ip:{request.remote_addr}"
    wait = limiter.hit(caller, time.time())
    if wait is not None:
        raise RateLimitedError(wait)
