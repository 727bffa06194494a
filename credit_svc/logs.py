"""How this process writes its logs: one JSON object a line, on stderr.

Set up at the process's entry (credit_svc/wsgi.py, the `credit-svc` script),
not by the app factory, so tests and embedders keep their own logging.
CREDIT_SVC_LOG_LEVEL sets the level (INFO by default; WARNING leaves out the
line per request).

The line per request is written straight to stderr, in the same shape as
the handler writes records: through `logging` it cost a cached read a
tenth of its CPU (a record, a formatter, a handler for every request;
docs/performance.md). Where this module did not set up the process
(tests, an embedding application), request lines stay logging records.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import UTC, datetime
from typing import IO, Any

import orjson
from pythonjsonlogger.json import JsonFormatter

FIELDS = "{levelname}{name}{message}"


def _dumps(record: Any, **_: Any) -> str:
    return orjson.dumps(record, default=str).decode()


def write_json_logs() -> None:
    """Send the service's records to stderr as JSON lines (once a process)."""
    root = logging.getLogger("credit_svc")
    if any(getattr(h, "credit_svc_json", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            FIELDS,
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",  # ISO 8601, UTC
            json_serializer=_dumps,  # orjson: a line per request costs half
        )
    )
    handler.credit_svc_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(os.environ.get("CREDIT_SVC_LOG_LEVEL", "INFO").upper())
    root.propagate = False  # not twice through gunicorn's or the root's handlers
    REQUEST_LINES.stream = sys.stderr.buffer


class RequestLines:
    """Writes a request's line as the JSON handler would write its record."""

    def __init__(self) -> None:
        self.stream: IO[bytes] | None = None  # set by write_json_logs

    def write(self, logger: logging.Logger, fields: dict[str, Any]) -> None:
        """Write the line to the stream, or log a record where there is none."""
        if self.stream is None:
            logger.info("request", extra=fields)
            return
        line = {"level": "INFO", "logger": logger.name, "message": "request"}
        line |= fields
        line["time"] = datetime.now(UTC).isoformat()
        self.stream.write(orjson.dumps(line, default=str) + b"\n")
        self.stream.flush()


REQUEST_LINES = RequestLines()
