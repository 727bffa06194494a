"""The baselines, on the same gunicorn settings as the service.

`GET /` is the trivial Flask JSON endpoint the grade query is compared with.
`POST /notes` is the library's raw append behind the same HTTP: it parses a
JSON body and saves one `Note` with the library as it comes (bench/raw.py), so
it is the ceiling of single-record ingestion over HTTP on this machine.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Flask, request

from bench.raw import Note, RawLibrary, open_raw_library
from credit_svc.config import DEFAULTS

app = Flask(__name__)
app.config.from_mapping(DEFAULTS)
app.config.from_prefixed_env("CREDIT_SVC")


@app.get("/")
def hello() -> dict[str, bool]:
    """Answer the smallest JSON there is."""
    return {"ok": True}


@app.post("/notes")
def note() -> tuple[dict[str, Any], int]:
    """Append the body's document number as one event, one transaction."""
    saved = Note(text=request.get_json()["document_number"])
    _library().save(saved)
    return {"id": str(saved.id)}, 201


@cache
def _library() -> RawLibrary:
    """Opened on a worker's first write (never in gunicorn's master); the
    tables are made by raw_append_rate before the server starts."""
    return open_raw_library(dict(app.config), create_tables=False)
