"""HTTP API: flask-smorest blueprints and the error envelope."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from credit_svc.api import (
    audit,
    enterprises,
    feed,
    grades,
    record_changes,
    records,
    rulepacks,
)
from credit_svc.api.errors import register_error_handlers


def init_api(app: Flask) -> Api:
    """Register the blueprints and error handlers on the app."""
    api = Api(app)
    modules = (enterprises, records, record_changes, grades, audit, feed, rulepacks)
    for module in modules:
        api.register_blueprint(module.blp)
    register_error_handlers(app)
    return api
