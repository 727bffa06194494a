"""The Flask application: the API and web pages over the services."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask

from credit_svc.api import init_api
from credit_svc.api.json import JSONProvider
from credit_svc.config import load_config
from credit_svc.services import open_services
from credit_svc.web import init_web


class CreditApp(Flask):
    """Flask with ISO dates and exact decimals in JSON."""

    json_provider_class = JSONProvider

    def __init__(self, import_name: str) -> None:
        super().__init__(import_name)
        self._known_sync: set[Callable[..., Any]] = set()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Return the function as Flask would, asking whether it is async once
        per function: Flask asks for every hook and view on every request,
        which was a twentieth of the time of a cached grade answer."""
        plain = getattr(func, "__func__", func)  # a bound method: its function
        if plain in self._known_sync:
            return func
        wrapped = super().ensure_sync(func)
        if wrapped is func:
            self._known_sync.add(plain)
        return wrapped


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask app; it opens the database but never creates tables."""
    app = CreditApp("credit_svc")
    load_config(app, config)
    app.extensions["credit_svc"] = open_services(app.config)
    init_api(app)
    init_web(app)
    return app
