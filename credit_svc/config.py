"""Settings: defaults, overridden by CREDIT_SVC_* environment variables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final

from flask import Flask

DEFAULTS: Final[Mapping[str, Any]] = {
    # sqlite (embedded, zero set-up) or postgres (production).
    "PERSISTENCE": "sqlite",
    # Where the database and keys live when their settings are relative paths;
    # empty: Flask's instance folder (the checkout's instance/ in development,
    # <venv>/var/credit_svc-instance when installed), whatever the directory
    # the service or a command is started from.
    "DATA_DIR": "",
    "SQLITE_PATH": "credit_svc.sqlite3",
    "POSTGRES_DBNAME": "credit_svc",
    "POSTGRES_HOST": "127.0.0.1",
    "POSTGRES_PORT": "5432",
    "POSTGRES_USER": "postgres",
    "POSTGRES_PASSWORD": "",
    "POSTGRES_SCHEMA": "public",
    "POSTGRES_POOL_SIZE": "4",
    # Ed25519 key that signs grade receipts; `credit-svc init` creates it if missing.
    "SIGNING_KEY_FILE": "receipt-signing-key.pem",
    # A signed checkpoint of the hash chain at every N-th event (/log/checkpoints).
    "CHECKPOINT_EVERY": 100,
    # Secret that turns ID numbers into pseudonyms; `init` creates it if missing.
    "PERSONAL_DATA_KEY_FILE": "personal-data-key",
    # Seals webhook subscriptions' secrets (Fernet); `init` creates it if missing.
    "SERVER_KEY_FILE": "server-key",
    # Webhook deliveries (`credit-svc deliver`): attempts in all before a
    # delivery becomes a dead letter; the wait before the second attempt,
    # doubled after each failure up to the longest; how long a worker holds
    # the deliveries it took (a killed worker's are sent again after it);
    # how many days the outbox keeps a received delivery's row.
    "DELIVERY_ATTEMPTS": 8,
    "DELIVERY_RETRY_SECONDS": 30,
    "DELIVERY_RETRY_MAX_SECONDS": 3600,
    "DELIVERY_LEASE_SECONDS": 120,
    "DELIVERY_KEEP_DAYS": 30,
    # Rule packs: the packaged ones unless a directory is named.
    "RULE_PACK_DIR": "",
    # Moves the service's clock to a fixed day (YYYY-MM-DD) for rehearsals of
    # deadlines; refused unless REHEARSAL is true (or in tests).
    "TODAY": "",
    "REHEARSAL": False,
    # Business dates are Chinese local dates (UTC+8, no daylight saving).
    "UTC_OFFSET_HOURS": 8,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    # Where the public reaches the service (e.g. https://credit.example.gov.cn):
    # an https one marks the dashboard's session cookie Secure.
    "PUBLIC_URL": "",
    # Project each write before answering it (read-your-writes). Turn off when
    # one `credit-svc project --follow` process projects for all workers.
    "PROJECT_IN_REQUEST": True,
    # /readyz answers 503 while the grade view is more events behind the log.
    "READY_MAX_LAG": 1000,
    # Requests per minute per API key (or client address), all workers; 0: none.
    "RATE_LIMIT_PER_MINUTE": 600,
    # Failed authentications per minute per client address before 429.
    "FAILED_AUTH_PER_MINUTE": 20,
    # Where the counts live: redis://host:port in production; empty: a SQLite
    # file of their own beside the database (never the event database).
    "RATE_LIMIT_STORAGE_URI": "",
    # Names this deployment's counts apart from others in a shared Redis.
    "RATE_LIMIT_KEY_PREFIX": "credit_svc",
    # Grade answers cached per worker while the view is unchanged; 0: none.
    "ANSWER_CACHE_SIZE": 20_000,
    "MAX_FORM_MEMORY_SIZE": 64 * 1024,
    "API_TITLE": "credit_svc",
    "API_VERSION": "0.1.0",
    "OPENAPI_VERSION": "3.0.3",
    # The OpenAPI document is served at /openapi.json for integrators.
    "OPENAPI_URL_PREFIX": "/",
    "JSON_SORT_KEYS": False,
    # Bearer API keys; public reads need none (see credit_svc/api/access.py).
    "API_SPEC_OPTIONS": {
        "components": {
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "csk_… token from `credit-svc keys create`",
                }
            }
        },
        # Each operation says its own (api/openapi_access.py): none, or a key.
        "security": [{"apiKey": []}],
    },
}


# File settings that a relative path puts in the data directory.
DATA_FILES: Final = (
    *("SQLITE_PATH", "SIGNING_KEY_FILE", "PERSONAL_DATA_KEY_FILE"),
    "SERVER_KEY_FILE",
)


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Apply defaults, then CREDIT_SVC_* variables, then explicit overrides;
    then put relative data files in the data directory."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("CREDIT_SVC")
    if overrides:
        app.config.from_mapping(overrides)
    data_dir = Path(str(app.config["DATA_DIR"] or app.instance_path)).absolute()
    app.config["DATA_DIR"] = str(data_dir)
    for key in DATA_FILES:
        value = str(app.config[key])
        if not (value.startswith(("file:", ":memory:")) or Path(value).is_absolute()):
            app.config[key] = str(data_dir / value)


class ConfigError(ValueError):
    """A setting the service cannot start with: one line naming the variable."""


# Settings that must be at least 1 (the others of whole numbers at least 0).
AT_LEAST_ONE: Final = frozenset(
    {"CHECKPOINT_EVERY", "POSTGRES_POOL_SIZE", "DELIVERY_ATTEMPTS"}
)


def check_config(config: Mapping[str, Any]) -> None:
    """Refuse settings of the wrong kind before anything opens, naming the
    CREDIT_SVC_ variable (environment values arrive parsed as JSON)."""
    for key, default in DEFAULTS.items():
        value = config.get(key, default)
        name = f"CREDIT_SVC_{key}"
        if isinstance(default, bool):
            if not isinstance(value, bool):
                msg = f"{name} must be true or false, not {value!r}"
                raise ConfigError(msg)
        elif isinstance(default, int) or key in AT_LEAST_ONE:
            _check_whole(name, value, 1 if key in AT_LEAST_ONE else 0)
    if config.get("PERSISTENCE") not in ("sqlite", "postgres"):
        chosen = config.get("PERSISTENCE")
        msg = f"CREDIT_SVC_PERSISTENCE must be sqlite or postgres, not {chosen!r}"
        raise ConfigError(msg)
    _check_today(config)


def _check_whole(name: str, value: Any, least: int) -> None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        msg = f"{name} must be a whole number, {least} or more, not {value!r}"
        raise ConfigError(msg)


def _check_today(config: Mapping[str, Any]) -> None:
    """TODAY moves the service's clock: only for tests and rehearsals."""
    today = config.get("TODAY")
    if not today:
        return
    if not (config.get("TESTING") or config.get("REHEARSAL") is True):
        msg = (
            "CREDIT_SVC_TODAY moves the service's clock: refused unless "
            "CREDIT_SVC_REHEARSAL=true (tests and rehearsals only)"
        )
        raise ConfigError(msg)
    try:
        date.fromisoformat(str(today))
    except ValueError:
        msg = f"CREDIT_SVC_TODAY must be a date (YYYY-MM-DD), not {today!r}"
        raise ConfigError(msg) from None
