"""People-facing pages: public disclosure and the auditor dashboard.

Flask templates rendered on the server; no build step, no JavaScript needed.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from credit_svc.adapters.personal_data import (
    PersonalDataKeyMissingError,
    load_pseudonymiser,
)
from credit_svc.web import dashboard, disclosure


def init_web(app: Flask) -> None:
    """Register the pages and the signed session the dashboard signs in with."""
    app.register_blueprint(disclosure.bp)
    app.register_blueprint(dashboard.bp)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict")
    app.secret_key = session_secret(Path(app.config["PERSONAL_DATA_KEY_FILE"]))
    app.session_interface = CookieOnlySessions()


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
