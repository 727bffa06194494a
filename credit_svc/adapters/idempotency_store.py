"""Idempotency keys: a retried write returns the first answer and writes nothing.

A client sends `Idempotency-Key: <its own id for this write>`. The first
request claims the key (a row marked pending), runs, and stores its 2xx
answer. A retry with the same key and the same request gets that answer
back; with another request it gets 409. A request that failed releases the
key, so a corrected retry runs. A claim left pending by a crash is taken over
after PENDING_SECONDS.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from credit_svc.adapters.dialect import Dialect

PENDING_SECONDS: Final = 60
CREATE_IDEMPOTENCY: Final = (
    "CREATE TABLE IF NOT EXISTS {idempotency} (key_id TEXT NOT NULL, "
    "idempotency_key TEXT NOT NULL, request_hash TEXT NOT NULL, "
    "status INTEGER, body TEXT, claimed_at TEXT NOT NULL, "
    "PRIMARY KEY (key_id, idempotency_key))"
)


@dataclass(frozen=True)
class Claim:
    """What the store says about a key: run the request, replay, or refuse."""

    outcome: str  # run | replay | conflict | in_progress
    status: int | None = None
    body: str | None = None


def request_hash(method: str, path: str, body: bytes, key: bytes | None) -> str:
    """Return what identifies one request: method, path and exact body, as
    an HMAC under the server's secret (a body may hold an ID number, which a
    plain hash would let anyone with the table guess back); a plain SHA-256
    only where no secret is installed, and so no ID number accepted."""
    message = f"{method} {path}\n".encode() + body
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class IdempotencyStore:
    """The idempotency table, beside the view's tables but never rebuilt."""

    def __init__(self, datastore: Any, dialect: Dialect) -> None:
        self.datastore = datastore
        self.dialect = dialect

    def create_table(self) -> None:
        """Create the idempotency table where missing."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._iq(CREATE_IDEMPOTENCY))

    def _iq(self, statement: str) -> str:
        return self.dialect.sql(statement, ("idempotency",))

    def claim(self, key_id: str, key: str, hashed: str, now: datetime) -> Claim:
        """Claim the key for this request, or say why not."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self._iq(
                    "INSERT INTO {idempotency} VALUES (?, ?, ?, NULL, NULL, ?) "
                    "ON CONFLICT (key_id, idempotency_key) DO NOTHING"
                ),
                (key_id, key, hashed, now.isoformat()),
            )
            # The library's SQLite cursor wrapper hides rowcount; its cursor has it.
            if getattr(cursor, "sqlite_cursor", cursor).rowcount == 1:
                return Claim("run")
            cursor.execute(
                self._iq(
                    "SELECT * FROM {idempotency} "
                    "WHERE key_id = ? AND idempotency_key = ?"
                ),
                (key_id, key),
            )
            row = dict(cursor.fetchone())
            return self._existing(cursor, row, hashed, now)

    def _existing(
        self, cursor: Any, row: dict[str, Any], hashed: str, now: datetime
    ) -> Claim:
        if row["request_hash"] != hashed:
            return Claim("conflict")
        if row["status"] is not None:
            return Claim("replay", int(row["status"]), str(row["body"]))
        claimed_at = datetime.fromisoformat(row["claimed_at"])
        if now - claimed_at < timedelta(seconds=PENDING_SECONDS):
            return Claim("in_progress")
        cursor.execute(  # abandoned by a crashed process: take it over
            self._iq(
                "UPDATE {idempotency} SET claimed_at = ? "
                "WHERE key_id = ? AND idempotency_key = ?"
            ),
            (now.isoformat(), row["key_id"], row["idempotency_key"]),
        )
        return Claim("run")

    def settle(self, key_id: str, key: str, status: int, body: str) -> None:
        """Keep a 2xx answer for retries; release the key after a failure."""
        with self.datastore.transaction(commit=True) as cursor:
            if 200 <= status < 300:
                cursor.execute(
                    self._iq(
                        "UPDATE {idempotency} SET status = ?, body = ? "
                        "WHERE key_id = ? AND idempotency_key = ?"
                    ),
                    (status, body, key_id, key),
                )
            else:
                cursor.execute(
                    self._iq(
                        "DELETE FROM {idempotency} "
                        "WHERE key_id = ? AND idempotency_key = ?"
                    ),
                    (key_id, key),
                )


def utc_now() -> datetime:
    """Return the current time (claims expire by the wall clock)."""
    return datetime.now(UTC)
