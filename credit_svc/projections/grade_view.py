"""The grade read model: enterprises, their records and their grade segments.

Writes take the projector's cursor, so rows and the tracking position commit
together; reads open their own short transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

from eventsourcing.persistence import Tracking

from credit_svc.domain.fact import RecordFact
from credit_svc.domain.timeline import Segment
from credit_svc.projections.codec import decode_facts
from credit_svc.projections.dialect import Dialect

TABLES: Final = (
    *("enterprise", "record", "segment", "event", "change"),
    *("manager", "assignment", "manager_record"),  # see manager_view.py
)
CREATE_STATEMENTS: Final = (
    "CREATE TABLE IF NOT EXISTS {enterprise} (credit_code TEXT PRIMARY KEY, "
    "enterprise_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
    "jurisdiction TEXT NOT NULL, registered_at TEXT NOT NULL, "
    "projects TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {record} (record_id TEXT PRIMARY KEY, "
    "credit_code TEXT NOT NULL, kind TEXT NOT NULL, business_date TEXT NOT NULL, "
    "recorded_at TEXT NOT NULL, position BIGINT NOT NULL, facts TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {p}record_by_enterprise ON {record} "
    "(credit_code, business_date, position)",
    "CREATE TABLE IF NOT EXISTS {segment} (credit_code TEXT NOT NULL, "
    "jurisdiction TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT, "
    "grade TEXT NOT NULL, score TEXT NOT NULL, board TEXT, "
    "blacklisted INTEGER NOT NULL, "
    "tender_points TEXT NOT NULL, pack_id TEXT NOT NULL, pack_version TEXT NOT NULL, "
    "PRIMARY KEY (credit_code, starts_on))",
    "CREATE INDEX IF NOT EXISTS {p}segment_by_board ON {segment} "
    "(jurisdiction, board, starts_on)",
    # Every event about an enterprise, for auditors: who recorded what, when.
    "CREATE TABLE IF NOT EXISTS {event} (position BIGINT PRIMARY KEY, "
    "credit_code TEXT NOT NULL, aggregate_id TEXT NOT NULL, "
    "aggregate_version BIGINT NOT NULL, event_type TEXT NOT NULL, "
    "recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, "
    "document_number TEXT NOT NULL, acting_key TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {p}event_by_enterprise ON {event} "
    "(credit_code, position)",
)
SEGMENT_COLUMNS: Final = (
    "credit_code, jurisdiction, starts_on, ends_on, grade, score, board, blacklisted, "
    "tender_points, pack_id, pack_version"
)


@dataclass(frozen=True)
class Cutoff:
    """A point in record time: a log position, a timestamp, or both."""

    position: int | None = None
    recorded_at: datetime | None = None

    def admits(self, row: dict[str, Any]) -> bool:
        """Tell whether a record row was known at this point."""
        if self.position is not None and row["position"] > self.position:
            return False
        recorded = datetime.fromisoformat(row["recorded_at"])
        return self.recorded_at is None or recorded <= self.recorded_at


class GradeViewSQL:
    """Dialect-neutral SQL of the grade view; mixed into a tracking recorder."""

    dialect: Dialect
    datastore: Any
    tracking_table: str  # the library's table, named differently per database

    if TYPE_CHECKING:  # provided by the library's tracking recorders

        def _max_tracking_id(self, name: str, cursor: Any) -> int | None: ...

        def _insert_tracking(self, cursor: Any, tracking: Tracking) -> None: ...

    def create_statements(self) -> list[str]:
        """Return the DDL of the view's tables and indexes."""
        return [self.q(s) for s in CREATE_STATEMENTS]

    def q(self, statement: str) -> str:
        """Return the statement for this database with table names filled in."""
        return self.dialect.sql(statement, TABLES)

    def clear(self, cursor: Any, tracking_name: str) -> None:
        """Empty the view and forget its position, to replay from the start."""
        for table in TABLES:
            cursor.execute(self.q(f"DELETE FROM {{{table}}}"))
        cursor.execute(
            self.dialect.sql(
                f"DELETE FROM {self.tracking_table} WHERE application_name = ?", ()
            ),
            (tracking_name,),
        )

    def differences(
        self, cursor: Any, other: GradeViewSQL
    ) -> dict[str, tuple[int, int]]:
        """Count, per table, the rows only this view has and only the other has."""
        counts = {}
        for table in TABLES:
            mine, theirs = self.dialect.table(table), other.dialect.table(table)
            counts[table] = (
                _count_except(cursor, mine, theirs),
                _count_except(cursor, theirs, mine),
            )
        return counts

    def copy_from(self, cursor: Any, other: GradeViewSQL) -> None:
        """Replace this view's rows with the other view's."""
        for table in TABLES:
            cursor.execute(self.q(f"DELETE FROM {{{table}}}"))
            cursor.execute(
                f"INSERT INTO {self.dialect.table(table)} "
                f"SELECT * FROM {other.dialect.table(table)}"
            )

    def analyse(self) -> None:
        """Refresh PostgreSQL's statistics of the view's tables (SQLite plans
        by its indexes without them)."""
        if not self.dialect.schema:
            return
        tables = ", ".join(self.dialect.table(t) for t in TABLES)
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"ANALYZE {tables}")

    # Writes, inside the projector's transaction.
    @contextmanager
    def locked(self, tracking_name: str) -> Iterator[tuple[Any, int]]:
        """Open a write transaction that other projectors of this view wait for."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self.dialect.lock_statement())
            yield cursor, self.position_in(cursor, tracking_name)

    def position_in(self, cursor: Any, tracking_name: str) -> int:
        """Return how far the view has processed the event log (0 before any)."""
        return self._max_tracking_id(tracking_name, cursor) or 0

    def set_position(self, cursor: Any, tracking_name: str, position: int) -> None:
        """Record how far the view has processed the event log (only forward)."""
        self._insert_tracking(cursor, Tracking(tracking_name, position))

    def put_event(self, cursor: Any, row: dict[str, Any]) -> None:
        """Add one event to the enterprise's audit history (deferred, see
        DeferringCursor; the row's keys are the table's columns in order)."""
        cursor.defer(self.dialect.table("event"), tuple(row.values()))

    def put_enterprise(self, cursor: Any, row: dict[str, Any]) -> None:
        """Add a registered enterprise, with no projects yet (deferred)."""
        cursor.defer(
            self.dialect.table("enterprise"),
            (
                row["credit_code"],
                row["enterprise_id"],
                row["name"],
                row["jurisdiction"],
                row["registered_at"],
                "{}",
            ),
        )

    def put_project(self, cursor: Any, enterprise_id: str, code: str, name: str) -> str:
        """Add a project to an enterprise's project map; return its credit code."""

        def with_project(row: tuple[Any, ...]) -> tuple[Any, ...]:
            projects = json.loads(row[5]) | {code: name}
            return (*row[:5], json.dumps(projects, ensure_ascii=False))

        queued = cursor.update_queued(
            self.dialect.table("enterprise"),
            lambda r: r[1] == enterprise_id,
            with_project,
        )
        if queued:
            return str(queued[0])
        cursor.execute(
            self.q(
                "SELECT credit_code, projects FROM {enterprise} WHERE enterprise_id = ?"
            ),
            (enterprise_id,),
        )
        row = dict(cursor.fetchone())
        projects = json.loads(row["projects"]) | {code: name}
        cursor.execute(
            self.q("UPDATE {enterprise} SET projects = ? WHERE enterprise_id = ?"),
            (json.dumps(projects, ensure_ascii=False), enterprise_id),
        )
        return str(row["credit_code"])

    def put_record(self, cursor: Any, row: dict[str, Any]) -> None:
        """Add a record (deferred)."""
        cursor.defer(
            self.dialect.table("record"),
            (
                row["record_id"],
                row["credit_code"],
                row["kind"],
                row["business_date"],
                row["recorded_at"],
                row["position"],
                row["facts"],
            ),
        )

    def replace_segments(
        self, cursor: Any, histories: Mapping[str, Sequence[tuple[Any, ...]]]
    ) -> None:
        """Replace enterprises' grade histories with newly computed segment rows."""
        for codes in _chunks(list(histories)):
            cursor.execute(
                self.q(f"DELETE FROM {{segment}} WHERE credit_code IN {_marks(codes)}"),
                codes,
            )
        for row in (row for rows in histories.values() for row in rows):
            cursor.defer(self.dialect.table("segment"), row)  # SEGMENT_COLUMNS

    def segment_rows_in(self, cursor: Any, credit_code: str) -> list[tuple[Any, ...]]:
        """Return an enterprise's stored grade segments as rows, oldest first."""
        return self.segment_rows_of(cursor, [credit_code]).get(credit_code, [])

    def segment_rows_of(
        self, cursor: Any, credit_codes: Sequence[str]
    ) -> dict[str, list[tuple[Any, ...]]]:
        """Return the enterprises' stored grade segments as rows, oldest first."""
        return {
            code: [tuple(row.values()) for row in rows]
            for code, rows in self._rows_of(
                cursor,
                f"SELECT {SEGMENT_COLUMNS} FROM {{segment}}",
                credit_codes,
                "starts_on",
            ).items()
        }

    def facts_in(
        self, cursor: Any, credit_code: str, cutoff: Cutoff | None = None
    ) -> list[RecordFact]:
        """Return the enterprise's records as facts for grading.

        With a cutoff, only the records known then: stored at or before its log
        position, or recorded at or before its time.
        """
        return self.facts_of(cursor, [credit_code], cutoff).get(credit_code, [])

    def facts_of(
        self,
        cursor: Any,
        credit_codes: Sequence[str],
        cutoff: Cutoff | None = None,
        kinds: Collection[str] = (),
    ) -> dict[str, list[RecordFact]]:
        """Return each enterprise's records (known by the cutoff; of the kinds,
        if any are named) as facts."""
        only = f" WHERE kind IN {_marks(sorted(kinds))}" if kinds else ""
        rows = self._rows_of(
            cursor,
            "SELECT credit_code, record_id, kind, business_date, facts, position, "
            "recorded_at FROM {record}" + only,
            credit_codes,
            "business_date, position",
            params=tuple(sorted(kinds)),
        )
        return {
            code: [_fact(r) for r in mine if cutoff is None or cutoff.admits(r)]
            for code, mine in rows.items()
        }

    def enterprise_in(self, cursor: Any, credit_code: str) -> dict[str, Any] | None:
        """Return the enterprise row, if the view has it."""
        return self.enterprises_of(cursor, [credit_code]).get(credit_code)

    def enterprises_of(
        self, cursor: Any, credit_codes: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """Return the rows of those of the enterprises the view has."""
        rows = self._rows_of(cursor, "SELECT * FROM {enterprise}", credit_codes, "")
        return {code: _enterprise(mine[0]) for code, mine in rows.items()}

    def _rows_of(  # noqa: PLR0913 (a select and what fills it in)
        self,
        cursor: Any,
        select: str,
        credit_codes: Sequence[str],
        order: str,
        *,
        params: tuple[Any, ...] = (),
        key: str = "credit_code",
    ) -> dict[str, list[dict[str, Any]]]:
        """Run `select ... WHERE credit_code IN (...)`; group rows by credit code.

        One statement per thousand enterprises: the projector regrades a whole
        batch's enterprises, and a batch grade query answers, in a few round
        trips instead of a few per enterprise. `params` fill the select's own
        placeholders; `key` names the code's column when the select joins.
        """
        grouped: dict[str, list[dict[str, Any]]] = {}
        for codes in _chunks(list(credit_codes)):
            ordered = f" ORDER BY {key}, {order}" if order else ""
            where = " AND" if " WHERE " in select else " WHERE"
            cursor.execute(
                self.q(f"{select}{where} {key} IN {_marks(codes)}{ordered}"),
                (*params, *codes),
            )
            for row in (dict(r) for r in cursor.fetchall()):
                grouped.setdefault(row["credit_code"], []).append(row)
        return grouped


def segment_rows(
    credit_code: str, jurisdiction: str, segments: Sequence[Segment]
) -> list[tuple[Any, ...]]:
    """Return grade segments as segment-table rows, typed as the database returns."""
    return [
        (
            credit_code,
            jurisdiction,
            s.starts_on.isoformat(),
            s.ends_on.isoformat() if s.ends_on else None,
            s.standing.grade,
            str(s.standing.score),
            s.standing.board,
            int(s.standing.blacklisted),
            str(s.standing.tender_points),
            s.standing.pack_id,
            s.standing.pack_version,
        )
        for s in segments
    ]


def _chunks(codes: list[str], size: int = 1000) -> list[tuple[str, ...]]:
    return [tuple(codes[i : i + size]) for i in range(0, len(codes), size)]


def _marks(values: Sequence[Any]) -> str:
    return f"({', '.join('?' for _ in values)})"


def _count_except(cursor: Any, first: str, second: str) -> int:
    cursor.execute(
        f"SELECT COUNT(*) AS n FROM (SELECT * FROM {first} "
        f"EXCEPT SELECT * FROM {second}) AS only_first"
    )
    return int(dict(cursor.fetchone())["n"])


def _fact(row: dict[str, Any]) -> RecordFact:
    facts = decode_facts(row["facts"])
    return RecordFact(
        str(row["record_id"]),
        row["kind"],
        date.fromisoformat(row["business_date"]),
        facts.get("term_months"),
        facts,
    )


def _enterprise(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"projects": json.loads(row["projects"])}
