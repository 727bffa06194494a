"""The eventsourcing library's own append rate on the same database: the ceiling.

A plain Application saving a plain one-event aggregate per transaction, with
the library's own recorder (no hash chain, no projection, no HTTP), in a file
(SQLite) or schema (PostgreSQL) of its own, so the service's log stays clean.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from credit_svc.adapters.persistence import create_postgres_schema, eventsourcing_env


class Note(Aggregate):
    """One event: as small as a record is."""

    def __init__(self, text: str) -> None:
        self.text = text


class RawLibrary(Application[UUID]):
    """The library as it comes."""

    name = "benchraw"


def raw_config(config: dict[str, Any]) -> dict[str, Any]:
    """Return the service's settings, pointed at the raw append's own database."""
    if config["PERSISTENCE"] == "sqlite":
        path = Path(config["SQLITE_PATH"])
        return config | {"SQLITE_PATH": str(path.with_name("raw-" + path.name))}
    return config | {"POSTGRES_SCHEMA": config["POSTGRES_SCHEMA"] + "_raw"}


def open_raw_library(
    config: dict[str, Any], *, create_tables: bool, db_functions: bool = False
) -> RawLibrary:
    """Open the library as it comes on the raw append's database (or, with
    `db_functions`, PostgreSQL appending through the library's own function
    in the server, its POSTGRES_ENABLE_DB_FUNCTIONS setting)."""
    config = raw_config(config)
    if create_tables and config["PERSISTENCE"] == "postgres":
        create_postgres_schema(config)
    env = eventsourcing_env(config, create_tables=create_tables)
    env.pop("APPLICATION_RECORDER_TOPIC")  # the library's own recorder
    if db_functions:
        env["POSTGRES_ENABLE_DB_FUNCTIONS"] = "y"
    return RawLibrary(env=env)


def raw_append_rate(
    config: dict[str, Any], count: int, *, db_functions: bool = False
) -> float:
    """Return single-aggregate appends per second, one transaction each."""
    app = open_raw_library(config, create_tables=True, db_functions=db_functions)
    start = time.perf_counter()
    for number in range(count):
        app.save(Note(text=f"note {number}"))
    rate = count / (time.perf_counter() - start)
    app.close()
    return rate
