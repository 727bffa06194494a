"""How this process writes its logs: one JSON object a line, on stderr.

Set up at the process's entry (credit_svc/wsgi.py, the `credit-svc` script),
not by the app factory, so tests and embedders keep their own logging.
CREDIT_SVC_LOG_LEVEL sets the level (INFO by default; WARNING leaves out the
line per request).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

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
