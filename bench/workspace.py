"""A bench run's own database and settings: made for the run, removed after it.

Every run makes a new SQLite file or PostgreSQL schema, so runs never see
each other's data, and CI, which runs on the same machine, finds none left.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from psycopg import sql

from bench.dataset import AUTHORITY
from credit_svc.adapters.persistence import connect_postgres, create_postgres_schema
from credit_svc.config import DEFAULTS

ROOT = Path(__file__).resolve().parents[1]


def settings(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Return the service settings of a fresh database for the run."""
    keys = {
        "SIGNING_KEY_FILE": str(work / "signing.pem"),
        "PERSONAL_DATA_KEY_FILE": str(work / "personal"),
        "SERVER_KEY_FILE": str(work / "server-key"),
        # Every request counted, as in production, and none refused.
        "RATE_LIMIT_PER_MINUTE": "1000000000",
        "RATE_LIMIT_STORAGE_URI": f"credit-svc-sqlite://{work / 'rate-limits.sqlite3'}",
    }
    if args.backend == "sqlite":
        return keys | {"PERSISTENCE": "sqlite", "SQLITE_PATH": str(work / "b.sqlite3")}
    config = keys | {
        "PERSISTENCE": "postgres",
        "POSTGRES_DBNAME": os.environ.get("BENCH_POSTGRES_DBNAME", "test"),
        "POSTGRES_SCHEMA": f"bench_{uuid.uuid4().hex[:8]}",
    }
    create_postgres_schema(dict(DEFAULTS) | config)
    return config


def environment(config: dict[str, Any]) -> dict[str, str]:
    """Return the process environment with the run's CREDIT_SVC_* settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_SVC_")}
    return clean | {f"CREDIT_SVC_{k}": str(v) for k, v in config.items()}


def cli(env: dict[str, str], *args: str) -> str:
    """Run `credit-svc` and return what it printed."""
    command = [str(Path(sys.executable).parent / "credit-svc"), *args]
    done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    return done.stdout.decode()


def bureau_token(env: dict[str, str], name: str) -> str:
    """Issue a bureau key for the data set's authority and jurisdictions (37
    and 51) with `credit-svc keys create`; return its token."""
    return cli(
        env,
        *("keys", "create", "--name", name, "--role", "bureau"),
        *("--authority", AUTHORITY, "--jurisdiction", "37", "--jurisdiction", "51"),
    ).splitlines()[-1]


def platform_token(env: dict[str, str], name: str) -> str:
    """Issue a tender platform's key with `credit-svc keys create`; return its
    token."""
    created = cli(env, "keys", "create", "--name", name, "--role", "platform")
    return created.splitlines()[-1]


def json_auth(token: str) -> dict[str, str]:
    """Return the headers of a JSON request made with the token."""
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def remove_data(config: dict[str, Any], work: Path) -> None:
    """Drop the run's schemas (PostgreSQL) and its work directory (SQLite file,
    keys): every run makes new ones, and CI runs on the same machine."""
    if config["PERSISTENCE"] == "postgres":
        schema = config["POSTGRES_SCHEMA"]
        drop_postgres_schemas(config, schema, f"{schema}_raw")
    shutil.rmtree(work, ignore_errors=True)


def drop_postgres_schemas(config: dict[str, Any], *schemas: str) -> None:
    """Drop the schemas with everything in them."""
    with connect_postgres(dict(DEFAULTS) | config, autocommit=True) as conn:
        for schema in schemas:
            name = sql.Identifier(schema)
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(name))
