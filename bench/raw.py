"""The eventsourcing library's own append rate on the same database: the ceiling.

A plain Application saving a plain one-event aggregate per transaction, with
the library's own recorder (no hash chain, no projection, no HTTP).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from credit_svc.persistence import create_postgres_schema, eventsourcing_env


class Note(Aggregate):
    """One event: as small as a record is."""

    def __init__(self, text: str) -> None:
        self.text = text


class RawLibrary(Application[UUID]):
    """The library as it comes."""

    name = "benchraw"


def raw_append_rate(config: dict[str, Any], count: int) -> float:
    """Return single-aggregate appends per second, one transaction each.

    Same engine, disk and settings as the service, in a file (SQLite) or
    schema (PostgreSQL) of its own, so the service's log stays clean.
    """
    if config["PERSISTENCE"] == "sqlite":
        path = Path(config["SQLITE_PATH"])
        config = config | {"SQLITE_PATH": str(path.with_name("raw-" + path.name))}
    else:
        config = config | {"POSTGRES_SCHEMA": config["POSTGRES_SCHEMA"] + "_raw"}
        create_postgres_schema(config)
    env = eventsourcing_env(config, create_tables=True)
    env.pop("APPLICATION_RECORDER_TOPIC")  # the library's own recorder
    app = RawLibrary(env=env)
    start = time.perf_counter()
    for number in range(count):
        app.save(Note(text=f"note {number}"))
    rate = count / (time.perf_counter() - start)
    app.close()
    return rate
