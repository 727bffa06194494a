"""The Flask application: the API and web pages over the services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from credit_svc.api import init_api
from credit_svc.api.json import JSONProvider
from credit_svc.config import check_config, load_config
from credit_svc.services import open_services
from credit_svc.web import init_web


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask app; it opens the database but never creates tables."""
    app = Flask("credit_svc")
    app.json = JSONProvider(app)  # ISO dates and exact decimals
    load_config(app, config)
    check_config(app.config)  # ConfigError: one line naming the variable
    app.extensions["credit_svc"] = open_services(app.config)
    init_api(app)
    init_web(app)
    return app
