"""credit_svc: credit grades of property-service enterprises from an event store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask app; it opens the database but never creates tables."""
    # Imported here, not above: every module of the package runs this file
    # first, and a rebuild's worker processes need neither Flask nor the API
    # (importing them took half of a worker's start).
    from credit_svc.flask_app import create_app as create

    return create(config)
