"""The baseline: a trivial Flask JSON endpoint, on the same gunicorn settings."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> dict[str, bool]:
    """Answer the smallest JSON there is."""
    return {"ok": True}
