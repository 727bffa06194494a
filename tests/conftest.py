"""Fixtures: the app on SQLite and on PostgreSQL, a client and a CLI runner.

PostgreSQL tests use a fresh schema per test. Without a reachable server they
are skipped with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc import create_app
from credit_svc.adapters.persistence import connect_postgres, create_postgres_schema
from credit_svc.adapters.personal_data import create_personal_data_key
from credit_svc.adapters.receipts import create_key_file
from credit_svc.config import DEFAULTS
from credit_svc.services import Services, open_services
from credit_svc.usecases.api_keys import issue_key

POSTGRES: dict[str, str] = {
    "POSTGRES_DBNAME": os.environ.get("CREDIT_SVC_TEST_POSTGRES_DBNAME", "test"),
    "POSTGRES_HOST": os.environ.get("CREDIT_SVC_TEST_POSTGRES_HOST", "127.0.0.1"),
    "POSTGRES_PORT": os.environ.get("CREDIT_SVC_TEST_POSTGRES_PORT", "5432"),
    "POSTGRES_USER": os.environ.get("CREDIT_SVC_TEST_POSTGRES_USER", "postgres"),
    "POSTGRES_PASSWORD": os.environ.get("CREDIT_SVC_TEST_POSTGRES_PASSWORD", ""),
}


@cache
def postgres_problem() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it can."""
    try:
        with connect_postgres(POSTGRES, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return (
            f"PostgreSQL at {POSTGRES['POSTGRES_HOST']}:{POSTGRES['POSTGRES_PORT']} "
            f"unreachable: {error}".strip()
        )


def require_postgres() -> None:
    """Skip (developer) or fail (CI=true) when PostgreSQL is unreachable."""
    problem = postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true requires PostgreSQL: {problem}")
    pytest.skip(problem)


def drop_schema(schema: str) -> None:
    """Remove a test schema and everything in it."""
    with connect_postgres(POSTGRES, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


AUTHORITY = "测试住建局"  # the factories' recording authority
JURISDICTIONS = ("11", "37", "51")  # the factories' enterprises are all in these


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    if request.param == "postgres":
        require_postgres()
    return str(request.param)


@pytest.fixture
def config(backend: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Return settings for an initialised, empty database of the backend."""
    if backend == "sqlite":
        settings: dict[str, Any] = {
            "PERSISTENCE": "sqlite",
            "SQLITE_PATH": str(tmp_path / "credit.sqlite3"),
        }
    else:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        settings = {"PERSISTENCE": "postgres", "POSTGRES_SCHEMA": schema, **POSTGRES}
        create_postgres_schema(settings)
    key_file = tmp_path / "receipt-signing-key.pem"
    create_key_file(key_file)
    personal_key = tmp_path / "personal-data-key"
    create_personal_data_key(personal_key)
    settings |= {
        "TESTING": True,
        "SIGNING_KEY_FILE": str(key_file),
        "PERSONAL_DATA_KEY_FILE": str(personal_key),
    }
    opened = open_services(dict(DEFAULTS) | settings, create_tables=True)
    _, token = issue_key(opened.app, "test bureau", "bureau", AUTHORITY, JURISDICTIONS)
    opened.close()
    yield settings | {"TEST_BUREAU_TOKEN": token}
    if backend == "postgres":
        drop_schema(settings["POSTGRES_SCHEMA"])


@pytest.fixture
def uninitialised_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """Return the app on a database where `credit-svc init` never ran."""
    settings: dict[str, Any] = {"TESTING": True}
    if backend == "sqlite":
        settings |= {"PERSISTENCE": "sqlite", "SQLITE_PATH": str(tmp_path / "n.db")}
    else:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        settings |= {"PERSISTENCE": "postgres", "POSTGRES_SCHEMA": schema, **POSTGRES}
        create_postgres_schema(settings)
    flask_app = create_app(settings)
    yield flask_app
    flask_app.extensions["credit_svc"].close()
    if backend == "postgres":
        drop_schema(settings["POSTGRES_SCHEMA"])


@pytest.fixture
def app(config: dict[str, Any]) -> Iterator[Flask]:
    """Return the app on an initialised, empty database."""
    flask_app = create_app(config)
    yield flask_app
    flask_app.extensions["credit_svc"].close()


@pytest.fixture
def bureau_with(config: dict[str, Any]) -> Iterator[Callable[..., FlaskClient]]:
    """Return a factory of test-bureau clients of new apps on the test's database,
    with settings changed (a fixed TODAY, another RULE_PACK_DIR...)."""
    apps: list[Flask] = []

    def make(**settings: Any) -> FlaskClient:
        apps.append(create_app(config | settings))
        bureau = apps[-1].test_client()
        bureau.environ_base["HTTP_AUTHORIZATION"] = (
            f"Bearer {config['TEST_BUREAU_TOKEN']}"
        )
        return bureau

    yield make
    for flask_app in apps:
        flask_app.extensions["credit_svc"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client that calls as the test bureau (the first event)."""
    bureau = app.test_client()
    bureau.environ_base["HTTP_AUTHORIZATION"] = (
        f"Bearer {app.config['TEST_BUREAU_TOKEN']}"
    )
    return bureau


@pytest.fixture
def client_as(app: Flask) -> Callable[..., FlaskClient]:
    """Return a factory of clients calling with a new key of the given role."""

    def make(
        role: str, authority: str = "", jurisdictions: tuple[str, ...] = ()
    ) -> FlaskClient:
        opened: Services = app.extensions["credit_svc"]
        _, token = issue_key(opened.app, f"test {role}", role, authority, jurisdictions)
        caller = app.test_client()
        caller.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return caller

    return make


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    """Return a test client without a key: the public."""
    return app.test_client()


@pytest.fixture
def services(app: Flask) -> Services:
    """Return the app's services (event store, view, projector)."""
    opened: Services = app.extensions["credit_svc"]
    return opened
