"""Refuse oversized chunked bodies with 413, as sized bodies already are.

Werkzeug checks Content-Length against MAX_CONTENT_LENGTH, but a chunked body
has none: it would be cut at the limit and answered as "invalid JSON". Read it
here, at most one byte past the limit, and hand the rest of the app a sized
body.
"""

from __future__ import annotations

import io

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge


def refuse_oversized_chunked_body() -> None:
    """Answer 413 when a body without Content-Length exceeds the limit."""
    environ = request.environ
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if not chunked or environ.get("CONTENT_LENGTH"):
        return
    limit = int(current_app.config["MAX_CONTENT_LENGTH"])
    data = environ["wsgi.input"].read(limit + 1)
    if len(data) > limit:
        raise RequestEntityTooLarge()
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
