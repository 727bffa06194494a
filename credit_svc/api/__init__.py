"""HTTP API: flask-smorest blueprints and the error envelope."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from credit_svc.api import audit, enterprises, feed, grades, records, rulepacks
from credit_svc.api.errors import register_error_handlers


def init_api(app: Flask) -> Api:
    """Register the blueprints and error handlers on the app."""
    api = Api(app)
    for module in (enterprises, records, grades, audit, feed, rulepacks):
        api.register_blueprint(module.blp)
    register_error_handlers(app)
    return api
