"""Idempotency keys: a retried write returns the first answer and writes nothing.

A client sends `Idempotency-Key: <its own id for this write>`. The first
request claims the key (a row marked pending), runs, and stores its 2xx
answer. A retry with the same key and the same request gets that answer
back; with another request it gets 409. A request that failed before it
wrote releases the key, so a corrected retry runs.

The events a claimed request appends note their log positions in the claim
row in the same transaction as the events (`WRITING_UNDER`, read by the
recorders): whatever kills the process between that commit and the stored
answer, the row says the write happened. A retry then rebuilds the answer
from the log (usecases/replay.py) rather than writing again. A claim left
pending with no positions wrote nothing, and is taken over after
PENDING_SECONDS (the first request may still be running until then).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from credit_svc.adapters.dialect import Dialect

PENDING_SECONDS: Final = 60
CREATE_IDEMPOTENCY: Final = (
    "CREATE TABLE IF NOT EXISTS {idempotency} (key_id TEXT NOT NULL, "
    "idempotency_key TEXT NOT NULL, request_hash TEXT NOT NULL, "
    "status INTEGER, body TEXT, claimed_at TEXT NOT NULL, positions TEXT, "
    "PRIMARY KEY (key_id, idempotency_key))"
)
# Added to tables made before positions were noted (`credit-svc init`).
ADD_POSITIONS: Final = "ALTER TABLE {idempotency} ADD COLUMN positions TEXT"


class IdempotencyTableOutdatedError(RuntimeError):
    """The claim table predates noted positions: `credit-svc init` adds them."""


@dataclass(frozen=True)
class ClaimedKey:
    """The claim row a request's appends note their positions in."""

    table: str  # the idempotency table's name, schema-qualified where needed
    key_id: str
    key: str

    def note_statement(self, placeholder: str) -> str:
        """Return the UPDATE that adds positions (a space-separated string,
        the statement's first parameter) to the row; then key_id, key."""
        p = placeholder
        return (
            f"UPDATE {self.table} SET positions = "
            f"trim(coalesce(positions, '') || ' ' || {p}) "
            f"WHERE key_id = {p} AND idempotency_key = {p}"
        )


# The claim of the request this context serves, while it runs: the recorders
# note each append's positions in it, in the append's own transaction.
WRITING_UNDER: ContextVar[ClaimedKey | None] = ContextVar(
    "credit_svc_writing_under", default=None
)


@dataclass(frozen=True)
class Claim:
    """What the store says about a key: run the request, replay its answer,
    recover it (written, answer lost), or refuse."""

    outcome: str  # run | replay | recover | conflict | in_progress
    status: int | None = None
    body: str | None = None
    positions: Sequence[int] = ()


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
    """The idempotency table, beside the event log (its appends note their
    positions in it, in one transaction) and never rebuilt."""

    def __init__(self, datastore: Any, dialect: Dialect) -> None:
        self.datastore = datastore
        self.dialect = dialect
        self._checked = False

    @property
    def table(self) -> str:
        """Return the table's name as statements write it."""
        return self._iq("{idempotency}")

    def create_table(self) -> None:
        """Create the idempotency table where missing, or add what it lacks."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._iq(CREATE_IDEMPOTENCY))
        if not self._has_positions():
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(self._iq(ADD_POSITIONS))

    def _has_positions(self) -> bool:
        try:
            with self.datastore.transaction(commit=False) as cursor:
                cursor.execute(self._iq("SELECT positions FROM {idempotency} LIMIT 0"))
        except Exception as error:  # the library wraps each driver's own
            if "positions" in str(error):
                return False
            raise
        return True

    def check_table(self) -> None:
        """Refuse to claim keys in a table whose rows cannot note positions
        (once per process: a retry after a crash would write twice)."""
        if not self._checked:
            if not self._has_positions():
                msg = "the idempotency table has no positions column"
                raise IdempotencyTableOutdatedError(msg)
            self._checked = True

    def _iq(self, statement: str) -> str:
        return self.dialect.sql(statement, ("idempotency",))

    def claimed(self, key_id: str, key: str) -> ClaimedKey:
        """Return what the appends of a request that claimed the key note in."""
        return ClaimedKey(self.table, key_id, key)

    def claim(self, key_id: str, key: str, hashed: str, now: datetime) -> Claim:
        """Claim the key for this request, or say why not."""
        self.check_table()
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self._iq(
                    "INSERT INTO {idempotency} "
                    "VALUES (?, ?, ?, NULL, NULL, ?, NULL) "
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
        if row["positions"]:  # written, and its answer lost: never write again
            positions = [int(p) for p in str(row["positions"]).split()]
            return Claim("recover", positions=positions)
        claimed_at = datetime.fromisoformat(row["claimed_at"])
        if now - claimed_at < timedelta(seconds=PENDING_SECONDS):
            return Claim("in_progress")
        cursor.execute(  # abandoned by a crashed process before it wrote
            self._iq(
                "UPDATE {idempotency} SET claimed_at = ? "
                "WHERE key_id = ? AND idempotency_key = ?"
            ),
            (now.isoformat(), row["key_id"], row["idempotency_key"]),
        )
        return Claim("run")

    def settle(self, key_id: str, key: str, status: int, body: str) -> None:
        """Keep a 2xx answer for retries; after a failure, release the key
        unless the request wrote (its retry is then answered from the log)."""
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
                        "DELETE FROM {idempotency} WHERE key_id = ? "
                        "AND idempotency_key = ? AND positions IS NULL"
                    ),
                    (key_id, key),
                )


def utc_now() -> datetime:
    """Return the current time (claims expire by the wall clock)."""
    return datetime.now(UTC)
