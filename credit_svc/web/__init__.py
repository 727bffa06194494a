"""People-facing pages: public disclosure and the auditor dashboard.

Flask templates rendered on the server; no build step, no JavaScript needed
(but for Swagger UI at /docs, which is the API's documentation).
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Final

from flask import Flask, Request, Response, redirect, request, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.wrappers import Response as WerkzeugResponse

from credit_svc.adapters.personal_data import (
    PersonalDataKeyMissingError,
    load_pseudonymiser,
)
from credit_svc.web import (
    api_docs,
    board_pages,
    dashboard,
    disclosure,
    draw_pages,
    exchange_pages,
    list_import_pages,
    reports,
    statistics_pages,
    subscription_pages,
    workbench,
)


def init_web(app: Flask) -> None:
    """Register the pages and the signed session the dashboard signs in with."""
    pages_of = (
        disclosure,
        dashboard,
        api_docs,
        reports,
        workbench,
        statistics_pages,
        board_pages,
        draw_pages,
        exchange_pages,
        list_import_pages,
        subscription_pages,
    )
    for pages in (module.bp for module in pages_of):
        app.register_blueprint(pages)
    app.add_url_rule("/", "home", home)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        # Sent over https only where the service is reached over https (or
        # where an operator says so, as before PUBLIC_URL was a setting).
        SESSION_COOKIE_SECURE=bool(app.config.get("SESSION_COOKIE_SECURE"))
        or str(app.config["PUBLIC_URL"]).startswith("https://"),
    )
    app.after_request(add_security_headers)
    app.secret_key = session_secret(Path(app.config["PERSONAL_DATA_KEY_FILE"]))
    app.session_interface = CookieOnlySessions()


def home() -> WerkzeugResponse:
    """Send the service's root to the public disclosure pages."""
    return redirect(url_for("disclosure.search"))


class CookieOnlySessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, opened only for requests with the cookie.

    Flask builds the signing serializer before it looks for the cookie, on every
    request; API calls never carry one, and a grade query spent a tenth of its
    time there. Without a secret, Flask's own refusal (a null session) stands.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return an empty session when the request carries no session cookie."""
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def session_secret(key_file: Path) -> bytes | None:
    """Derive the session-signing secret from the personal-data key, if installed.

    One secret file fewer to manage; without it the dashboard cannot sign in.
    """
    try:
        key = load_pseudonymiser(key_file).key
    except PersonalDataKeyMissingError:
        return None
    return hmac.new(key, b"credit_svc dashboard sessions", hashlib.sha256).digest()


# The pages run no script and load one style sheet from the service: a CSP
# without 'unsafe-inline' (the chart is inline SVG, which needs none).
PAGE_POLICY: Final = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def add_security_headers(response: Response) -> Response:
    """Add the headers every answer carries, and a page's policy to HTML."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.mimetype == "text/html":
        docs = request.blueprint == api_docs.bp.name
        response.headers["Content-Security-Policy"] = (
            api_docs.DOCS_POLICY if docs else PAGE_POLICY
        )
        response.headers["X-Frame-Options"] = "DENY"
    return response
