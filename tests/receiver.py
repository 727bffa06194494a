"""A webhook receiver for tests: a real HTTP server on loopback that checks
each delivery's signature as docs/api.md tells receivers to."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """Counts deliveries by id; keeps every body whose signature checks."""

    def __init__(self, secret: str, port: int = 0) -> None:
        self.secret = secret
        self.seen: Counter[str] = Counter()
        self.bodies: list[dict[str, Any]] = []
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers["X-Credit-Svc-Timestamp"]
                message = stamp.encode() + b"." + body
                good = (
                    "v1="
                    + hmac.new(
                        receiver.secret.encode(), message, hashlib.sha256
                    ).hexdigest()
                )
                ok = hmac.compare_digest(good, self.headers["X-Credit-Svc-Signature"])
                with receiver.lock:
                    if ok:
                        delivery = self.headers["X-Credit-Svc-Delivery"]
                        receiver.seen[delivery] += 1
                        receiver.bodies.append(json.loads(body))
                    else:
                        receiver.bad_signatures += 1
                self.send_response(204 if ok else 401)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Return where it listens."""
        return f"http://127.0.0.1:{self.port}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
