"""gunicorn's own refusals (a request line or header too large, a request it
cannot parse) in the service's JSON envelope instead of its HTML page.

gunicorn answers those before the app sees the request, through
`gunicorn.util.write_error`; wsgi.py puts this writer in its place in each
worker, so a client reads one error format whoever refused it.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any


def write_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """Write gunicorn's error answer as the envelope (what gunicorn's own does)."""
    from gunicorn.util import write_nonblock  # type: ignore[import-untyped]

    try:
        phrase = HTTPStatus(status_int).phrase
    except ValueError:
        phrase = reason
    body = json.dumps(
        {"code": status_int, "status": phrase, "message": mesg or reason},
        ensure_ascii=False,
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    write_nonblock(sock, head.encode("latin-1") + body)


def answer_server_errors_in_envelope() -> None:
    """Make this process's gunicorn write its refusals as the envelope."""
    import gunicorn.util  # type: ignore[import-untyped]

    gunicorn.util.write_error = write_error
