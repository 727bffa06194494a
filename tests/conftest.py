"""Fixtures: the app on SQLite and on PostgreSQL, a client and a CLI runner.

PostgreSQL tests use a fresh schema per test. Without a reachable server they
are skipped with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
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
from credit_svc.adapters.postgres_listener import NOTICE_TRIGGER
from credit_svc.adapters.rate_limit_store import SCHEME
from credit_svc.adapters.receipts import create_key_file
from credit_svc.adapters.secret_box import create_server_key
from credit_svc.config import DEFAULTS
from credit_svc.domain.rulepack import RulePack
from credit_svc.rulepacks.load import PACKAGED_DIR, load_packs
from credit_svc.services import Services, open_services
from credit_svc.usecases.api_keys import issue_key
from tests.processes import Service, run_cli, start_service

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


# Schemas whose tables a test made and emptied again, for the next test of
# this process: creating the tables cost more than the rest of a test's setup.
_EMPTIED_SCHEMAS: list[str] = []
_TRACKING = "notification_tracking"  # keeps the library's migration row


def _schema_for_a_test() -> tuple[str, bool]:
    """Return a schema to test in, and whether its tables exist already."""
    if _EMPTIED_SCHEMAS:
        return _EMPTIED_SCHEMAS.pop(), True
    schema = f"test_{uuid.uuid4().hex[:12]}"
    create_postgres_schema({"POSTGRES_SCHEMA": schema, **POSTGRES})
    return schema, False


def _empty_for_the_next_test(schema: str) -> None:
    """Empty every table of the schema for the next test, or drop the schema
    when the test changed more than rows (a trigger dropped, a lock held)."""
    with connect_postgres(POSTGRES, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '2s'")
        triggers = conn.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND t.tgname = %s",
            (schema, NOTICE_TRIGGER),
        ).fetchone()
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)
            )
        ]
        if triggers != (2,) or _TRACKING not in tables:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            return
        sequences = [
            row[0]
            for row in conn.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = %s",
                (schema,),
            )
        ]
        # DELETE, not TRUNCATE: a test's tables hold a few rows, and TRUNCATE
        # makes new files for each of them (about 0.1 s a schema).
        emptied = [
            *(f'DELETE FROM "{schema}"."{t}"' for t in tables if t != _TRACKING),
            f'DELETE FROM "{schema}".{_TRACKING} '
            "WHERE application_name <> '__migration__'",
            *(f'ALTER SEQUENCE "{schema}"."{q}" RESTART' for q in sequences),
        ]
        try:
            with conn.transaction():
                conn.execute("; ".join(emptied).encode())
        except psycopg.errors.LockNotAvailable:
            conn.execute("SET lock_timeout = 0")
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            return
    _EMPTIED_SCHEMAS.append(schema)


@pytest.fixture(scope="session", autouse=True)
def _packs_parsed_once_per_directory_state() -> Iterator[None]:
    """Parse each pack directory once per test process while its files stay
    as they are: every test opens the service twice, and the packs are
    immutable. A test that writes a pack file changes what is parsed."""
    parsed: dict[tuple[Path, tuple[tuple[str, int, int], ...]], list[RulePack]] = {}

    def load_once(directory: Path = PACKAGED_DIR) -> list[RulePack]:
        state = tuple(
            (str(path), path.stat().st_mtime_ns, path.stat().st_size)
            for path in sorted(directory.rglob("*"))
            if path.is_file()
        )
        key = (directory, state)
        if key not in parsed:
            parsed[key] = load_packs(directory)
        return parsed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("credit_svc.services.load_packs", load_once)
        yield


@pytest.fixture(scope="session", autouse=True)
def _drop_emptied_schemas() -> Iterator[None]:
    """Drop this process's test schemas once its tests are done."""
    yield
    while _EMPTIED_SCHEMAS:
        drop_schema(_EMPTIED_SCHEMAS.pop())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every PostgreSQL run slow: the inner loop runs on SQLite alone."""
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.slow)


AUTHORITY = "测试住建局"  # the factories' recording authority
JURISDICTIONS = ("11", "37", "51")  # the factories' enterprises are all in these


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    if request.param == "postgres":
        require_postgres()
    return str(request.param)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Return an initialised SQLite database holding the test bureau's key,
    and the key's token: each test gets a copy, not tables made anew."""
    path = tmp_path_factory.mktemp("template") / "credit.sqlite3"
    settings = {"PERSISTENCE": "sqlite", "SQLITE_PATH": str(path), "TESTING": True}
    opened = open_services(dict(DEFAULTS) | settings, create_tables=True)
    _, token = issue_key(opened.app, "test bureau", "bureau", AUTHORITY, JURISDICTIONS)
    opened.close()
    return path, token


@pytest.fixture
def config(
    backend: str, tmp_path: Path, sqlite_template: tuple[Path, str]
) -> Iterator[dict[str, Any]]:
    """Return settings for an initialised database of the backend, empty but
    for the test bureau's key."""
    key_file = tmp_path / "receipt-signing-key.pem"
    create_key_file(key_file)
    personal_key = tmp_path / "personal-data-key"
    create_personal_data_key(personal_key)
    server_key = tmp_path / "server-key"
    create_server_key(server_key)
    keys = {
        "SIGNING_KEY_FILE": str(key_file),
        "PERSONAL_DATA_KEY_FILE": str(personal_key),
        "SERVER_KEY_FILE": str(server_key),
        # Each test's own counts, shared by every app (worker) it opens.
        "RATE_LIMIT_STORAGE_URI": f"{SCHEME}://{tmp_path / 'rate-limits.sqlite3'}",
    }
    if backend == "sqlite":
        template, token = sqlite_template
        for part in template.parent.glob(f"{template.name}*"):  # with a WAL, if any
            shutil.copyfile(part, tmp_path / part.name)
        yield {
            "PERSISTENCE": "sqlite",
            "SQLITE_PATH": str(tmp_path / template.name),
            "TESTING": True,
            **keys,
            "TEST_BUREAU_TOKEN": token,
        }
        return
    schema, initialised = _schema_for_a_test()
    settings: dict[str, Any] = {
        "PERSISTENCE": "postgres",
        "POSTGRES_SCHEMA": schema,
        **POSTGRES,
        "TESTING": True,
        **keys,
    }
    opened = open_services(dict(DEFAULTS) | settings, create_tables=not initialised)
    _, token = issue_key(opened.app, "test bureau", "bureau", AUTHORITY, JURISDICTIONS)
    opened.close()
    yield settings | {"TEST_BUREAU_TOKEN": token}
    _empty_for_the_next_test(schema)


@pytest.fixture
def uninitialised_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """Return the app on a database where `credit-svc init` never ran."""
    settings: dict[str, Any] = {
        "TESTING": True,
        "RATE_LIMIT_STORAGE_URI": f"{SCHEME}://{tmp_path / 'rate-limits.sqlite3'}",
    }
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
        role: str,
        authority: str = "",
        jurisdictions: tuple[str, ...] = (),
        **scope: Any,
    ) -> FlaskClient:
        opened: Services = app.extensions["credit_svc"]
        _, token = issue_key(
            opened.app, f"test {role}", role, authority, jurisdictions, **scope
        )
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


@pytest.fixture
def demo(config: dict[str, Any], tmp_path: Path) -> Iterator[Service]:
    """Gunicorn on the test's database, with the demo data loaded."""
    running = start_service(config, tmp_path / "gunicorn.log")
    run_cli(running.env, "demo")
    yield running
    running.kill()
