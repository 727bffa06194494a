"""Sending one webhook delivery: a signed POST over a kept-alive session.

The signature is HMAC-SHA256 under the subscription's secret over
`<timestamp>.<body>`, so a receiver can refuse a body replayed later with an
old signature (docs/api.md shows the check).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Final

import requests

DELIVERY_HEADER: Final = "X-Credit-Svc-Delivery"
TIMESTAMP_HEADER: Final = "X-Credit-Svc-Timestamp"
SIGNATURE_HEADER: Final = "X-Credit-Svc-Signature"
TIMEOUT_SECONDS: Final = 10


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header's value for a body sent at a Unix time."""
    message = f"{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass
class WebhookSender:
    """Posts deliveries; one session per worker, so connections are reused."""

    session: requests.Session = field(default_factory=requests.Session)

    def send(
        self, url: str, delivery_id: str, body: bytes, secret: str, now: int
    ) -> str | None:
        """Post a delivery; return None when the receiver took it (any 2xx),
        else why not, in a line."""
        headers = {
            "Content-Type": "application/json",
            DELIVERY_HEADER: delivery_id,
            TIMESTAMP_HEADER: str(now),
            SIGNATURE_HEADER: signature(secret, now, body),
        }
        try:
            answer = self.session.post(
                url, data=body, headers=headers, timeout=TIMEOUT_SECONDS
            )
        except requests.RequestException as error:
            return f"{type(error).__name__}: {error}"[:300]
        if 200 <= answer.status_code < 300:
            return None
        return f"HTTP {answer.status_code}"
