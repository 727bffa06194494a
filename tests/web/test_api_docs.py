"""Swagger UI at /docs, from the installed package's files, under a CSP with
no 'unsafe-inline' (issue 36, item 7; tests/test_browser.py renders it)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def test_the_docs_page_loads_swagger_ui_from_the_service_itself(
    anonymous: FlaskClient,
) -> None:
    page = anonymous.get("/docs/")
    html = page.get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)

    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert all(s.startswith("/") for s in sources)  # no CDN
    assert 'data-spec="/openapi.json"' in html
    assert "<script>" not in html  # every script is a file
    for source in sources:
        with anonymous.get(source) as asset:  # files: closed when read
            assert asset.status_code == 200, source
            assert asset.headers["X-Content-Type-Options"] == "nosniff"
    with anonymous.get("/docs/swagger-ui/swagger-ui-bundle.js") as bundle:
        assert bundle.mimetype in ("text/javascript", "application/javascript")
        assert b"SwaggerUIBundle" in bundle.get_data()


def test_the_docs_page_may_run_its_own_scripts_only(anonymous: FlaskClient) -> None:
    policy = anonymous.get("/docs/").headers["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_no_file_outside_swagger_ui_s_is_served(anonymous: FlaskClient) -> None:
    answer = anonymous.get("/docs/swagger-ui/../flask_swagger_ui.py")

    assert answer.status_code == 404
