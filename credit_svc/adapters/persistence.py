"""Storage selection: the eventsourcing environment for SQLite or PostgreSQL."""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Transcoding

# The event recorders that keep the hash chain in the events' own transaction.
CHAINED_RECORDER = {
    "sqlite": "credit_svc.adapters.recorders:ChainedSQLiteRecorder",
    "postgres": "credit_svc.adapters.postgres_recorder:ChainedPostgresRecorder",
}


class DateAsISO(Transcoding):
    """Store business dates as ISO text."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """Return the ISO form of the date."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """Return the date from its ISO form."""
        return date.fromisoformat(data)


def eventsourcing_env(
    config: Mapping[str, Any], *, create_tables: bool
) -> dict[str, str]:
    """Return the eventsourcing environment for the configured database.

    Tables are created only when `create_tables` is set, which only `init` does:
    never at import and never in a gunicorn master.
    """
    common = {
        "CREATE_TABLE": "y" if create_tables else "n",
        # Aggregates read for a write (the caller's API key, the enterprise) are
        # kept and brought up to date by reading only newer events. A get that
        # is to change one returns a deep copy, so a write that fails leaves the
        # kept one as it was.
        "AGGREGATE_CACHE_MAXSIZE": "2000",
    }
    if config["PERSISTENCE"] == "postgres":
        keys = ("DBNAME", "HOST", "PORT", "USER", "PASSWORD", "SCHEMA", "POOL_SIZE")
        return (
            common
            | {"PERSISTENCE_MODULE": "eventsourcing.postgres"}
            | {"APPLICATION_RECORDER_TOPIC": CHAINED_RECORDER["postgres"]}
            | {f"POSTGRES_{key}": str(config[f"POSTGRES_{key}"]) for key in keys}
        )
    if config["PERSISTENCE"] != "sqlite":
        chosen = config["PERSISTENCE"]
        msg = f"CREDIT_SVC_PERSISTENCE must be sqlite or postgres, not {chosen!r}"
        raise ValueError(msg)
    path = str(config["SQLITE_PATH"])
    if ":memory:" not in path and "mode=memory" not in path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return common | {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "APPLICATION_RECORDER_TOPIC": CHAINED_RECORDER["sqlite"],
        "SQLITE_DBNAME": path,
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def connect_postgres(config: Mapping[str, Any], **options: Any) -> Any:
    """Open a psycopg connection with the configured POSTGRES_* settings."""
    import psycopg

    return psycopg.connect(
        dbname=config["POSTGRES_DBNAME"],
        host=config["POSTGRES_HOST"],
        port=config["POSTGRES_PORT"],
        user=config["POSTGRES_USER"],
        password=config["POSTGRES_PASSWORD"],
        **options,
    )


def is_missing_table(error: Exception) -> bool:
    """Tell whether a database error says the service's tables are not there."""
    # SQLite says "no such table"; psycopg raises UndefinedTable (SQLSTATE 42P01).
    cause = error.__cause__
    return "no such table" in str(error) or getattr(cause, "sqlstate", "") == "42P01"


def create_postgres_schema(config: Mapping[str, Any]) -> None:
    """Create the configured PostgreSQL schema if it is missing."""
    from psycopg import sql

    with connect_postgres(config, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                sql.Identifier(config["POSTGRES_SCHEMA"])
            )
        )


@contextmanager
def initialising(config: Mapping[str, Any]) -> Iterator[None]:
    """Let one `init` at a time create tables.

    The library looks for its tables before it opens the transaction that
    creates them, so two processes starting at once both see none: on SQLite
    both then insert the tracking table's migration row and the second fails;
    on PostgreSQL concurrent CREATE TABLE of one name fails on the catalogue.
    A lock file (SQLite) or a session advisory lock (PostgreSQL) makes them
    queue; the second then finds the tables made.
    """
    if config["PERSISTENCE"] == "postgres":
        with _postgres_init_lock(config):
            yield
        return
    path = str(config["SQLITE_PATH"])
    if ":memory:" in path or "mode=memory" in path:
        yield
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.init-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def _postgres_init_lock(config: Mapping[str, Any]) -> Iterator[None]:
    create_postgres_schema(config)
    key = zlib.crc32(f"credit_svc:init:{config['POSTGRES_SCHEMA']}".encode())
    with connect_postgres(config, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
