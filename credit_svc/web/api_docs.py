"""The API's documentation for people: Swagger UI at /docs, served by the service.

Swagger UI's files come from the `flask-swagger-ui` package (the service often
runs without internet, so no CDN). The package's own page starts Swagger UI
with an inline script; this page loads a script file of the service's
instead, so the pages' policy needs no 'unsafe-inline'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import flask_swagger_ui
from flask import Blueprint, Response, render_template, send_from_directory

from credit_svc.web.errors import answer_errors_as_pages

SWAGGER_UI: Final = Path(flask_swagger_ui.__file__).parent / "dist"

bp = Blueprint("api_docs", __name__, url_prefix="/docs")

# Swagger UI runs scripts and fetches the document from the service itself.
# Its bundle inserts one fixed <style> element: allowed by its hash, not by
# 'unsafe-inline' (a new Swagger UI whose style differs is reported by
# tests/test_browser.py).
SWAGGER_STYLE: Final = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"
DOCS_POLICY: Final = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {SWAGGER_STYLE}; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
answer_errors_as_pages(bp)  # a page's errors are pages too


@bp.get("/")
def page() -> str:
    """Swagger UI on the service's OpenAPI document."""
    return render_template("api_docs.html")


@bp.get("/swagger-ui/<path:filename>")
def swagger_ui(filename: str) -> Response:
    """Swagger UI's own files, as the installed package ships them."""
    return send_from_directory(SWAGGER_UI, filename, max_age=86400)
