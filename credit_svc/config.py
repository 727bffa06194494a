"""Settings: defaults, overridden by CREDIT_SVC_* environment variables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from flask import Flask

DEFAULTS: Final[Mapping[str, Any]] = {
    # sqlite (embedded, zero set-up) or postgres (production).
    "PERSISTENCE": "sqlite",
    "SQLITE_PATH": "var/credit_svc.sqlite3",
    "POSTGRES_DBNAME": "credit_svc",
    "POSTGRES_HOST": "127.0.0.1",
    "POSTGRES_PORT": "5432",
    "POSTGRES_USER": "postgres",
    "POSTGRES_PASSWORD": "",
    "POSTGRES_SCHEMA": "public",
    "POSTGRES_POOL_SIZE": "4",
    # Ed25519 key that signs grade receipts; `credit-svc init` creates it if missing.
    "SIGNING_KEY_FILE": "var/receipt-signing-key.pem",
    # Rule packs: the packaged ones unless a directory is named.
    "RULE_PACK_DIR": "",
    # Business dates are Chinese local dates (UTC+8, no daylight saving).
    "UTC_OFFSET_HOURS": 8,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "MAX_FORM_MEMORY_SIZE": 64 * 1024,
    "API_TITLE": "credit_svc",
    "API_VERSION": "0.1.0",
    "OPENAPI_VERSION": "3.0.3",
    "JSON_SORT_KEYS": False,
}


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Apply defaults, then CREDIT_SVC_* variables, then explicit overrides."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("CREDIT_SVC")
    if overrides:
        app.config.from_mapping(overrides)
