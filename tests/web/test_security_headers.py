"""Pages send a CSP they meet, and may not be framed; every answer says not
to sniff it; the dashboard's cookie is Secure where the service is https
(issue 35, item 12)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from credit_svc import create_app
from tests.factories import register
from tests.web.test_dashboard import issue_token, sign_in


def test_a_page_forbids_inline_code_framing_and_sniffing(
    anonymous: FlaskClient, client: FlaskClient
) -> None:
    register(client)

    page = anonymous.get("/disclosure/")

    policy = page.headers["Content-Security-Policy"]
    assert page.status_code == 200
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'none'" in policy
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"


def test_pages_hold_no_inline_style_or_script(anonymous: FlaskClient) -> None:
    page = anonymous.get("/disclosure/").get_data(as_text=True)

    assert "<style" not in page
    assert "<script" not in page
    assert " style=" not in page


def test_the_style_sheet_the_pages_link_is_served(anonymous: FlaskClient) -> None:
    with anonymous.get("/disclosure/static/site.css") as sheet:
        status, mimetype = sheet.status_code, sheet.mimetype
        text = sheet.get_data(as_text=True)

    assert (status, mimetype) == (200, "text/css")
    assert "body {" in text


def test_an_api_answer_says_not_to_sniff_it(anonymous: FlaskClient) -> None:
    answer = anonymous.get("/rule-packs")

    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in answer.headers


def _signed_in_cookie(app: Flask) -> str:
    """Sign an auditor in on the app; return the session cookie it set."""
    browser = app.test_client()
    signed_in = sign_in(browser, issue_token(app, "auditor"))
    return str(signed_in.headers["Set-Cookie"])


def test_the_session_cookie_is_secure_only_behind_https(
    app: Flask, config: dict[str, Any]
) -> None:
    behind_https = create_app(config | {"PUBLIC_URL": "https://credit.example.cn"})
    try:
        plain, secure = _signed_in_cookie(app), _signed_in_cookie(behind_https)
    finally:
        behind_https.extensions["credit_svc"].close()

    assert "; Secure" not in plain
    assert "; Secure" in secure
    assert "HttpOnly" in secure
