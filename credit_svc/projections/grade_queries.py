"""Read queries on the grade view: what the HTTP API answers from."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from typing import Any

from eventsourcing.persistence import ApplicationRecorder

from credit_svc.domain.fact import RecordFact
from credit_svc.projections.cutoff import Cutoff
from credit_svc.projections.grade_view import GradeViewSQL
from credit_svc.projections.kept_versions import KeptUntilChanged
from credit_svc.projections.view_schema import (
    SEGMENT_COLUMNS,
    WHOLE_VIEW,
    record_row,
    segment_of_row,
)

# Each enterprise with the segment in force on a day (NULLs when no pack was),
# and whether any of its records was ever changed: most never are, and then
# their records are read without a statement for the changes.
_ENTERPRISE_AND_SEGMENT = (
    "SELECT e.credit_code, e.name, e.jurisdiction, e.registered_at, s.starts_on, "
    "s.ends_on, s.grade, s.score, s.board, s.blacklisted, s.tender_points, "
    "s.pack_id, s.pack_version, EXISTS (SELECT 1 FROM {change} c "
    "WHERE c.credit_code = e.credit_code) AS changed FROM {enterprise} e "
)
ENTERPRISE_WITH_SEGMENT_ON = (
    _ENTERPRISE_AND_SEGMENT + "LEFT JOIN {segment} s "
    "ON s.credit_code = e.credit_code AND s.starts_on <= ? "
    "AND (s.ends_on IS NULL OR s.ends_on > ?)"
)
# The same on PostgreSQL, each enterprise's segment found by its key: the last
# one to start by the day, in force unless it ended. Joined plainly, the
# planner read every segment of the view and hashed them for a batch of 200
# (15 of a fresh batch's 45 ms on the bench's view of 2,000 firms); a LATERAL
# subquery is looked up once per enterprise, on any size of view.
ENTERPRISE_WITH_SEGMENT_ON_BY_KEY = (
    _ENTERPRISE_AND_SEGMENT + "LEFT JOIN LATERAL (SELECT * FROM {segment} s "
    "WHERE s.credit_code = e.credit_code AND s.starts_on <= ? "
    "ORDER BY s.starts_on DESC LIMIT 1) s ON s.ends_on IS NULL OR s.ends_on > ?"
)
SEGMENT_ON = (
    f"SELECT {SEGMENT_COLUMNS} FROM {{segment}} "
    "WHERE credit_code = ? AND starts_on <= ? AND (ends_on IS NULL OR ends_on > ?)"
)


# Beyond this many events since a kept answer's version, every kept answer is
# dropped rather than each enterprise looked up (a worker idle for long).
CHANGES_LOOKED_AT_MOST = 5_000


class _OpenSnapshots(threading.local):
    """The cursor of each view's open `reading_together` in this thread."""

    def __init__(self) -> None:
        self.by_view: dict[int, Any] = {}  # by the view's id()


_OPEN = _OpenSnapshots()


class GradeQueries(GradeViewSQL):
    """Reads, each on its own cursor (see `reading`)."""

    versions_kept: KeptUntilChanged | None = None  # set by a concrete view
    # Kept until anything is appended to the event log, for what is not the
    # view's, e.g. API keys: SQLite's probe, which watches the whole file;
    # PostgreSQL's notices of the log's appends once `hear_appends` was asked.
    anything_kept: KeptUntilChanged | None = None
    # The last `codes_changed` answer, with what was asked.
    _last_changed: tuple[tuple[str, int, int], frozenset[str]] | None = None

    def hear_appends(self, recorder: ApplicationRecorder) -> None:
        """Keep `anything_kept` until the recorder appends to the event log:
        nothing to do here (PostgreSQL overrides this), where it is kept until
        any commit to the file."""

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """Return a cursor for reads: the snapshot `reading_together` holds
        open in this thread, if any, else one of the backend's (`_read_cursor`)."""
        shared = _OPEN.by_view.get(id(self))
        if shared is not None:
            yield shared
            return
        with self._read_cursor() as cursor:
            yield cursor

    @contextmanager
    def reading_together(self) -> Iterator[Any]:
        """Return a cursor whose statements all see the view as of one moment,
        for an answer read with several (a grade and the records it rests on):
        none of them may see a projector's commit that an earlier one did not.
        Every read of the view inside the block, by any method, shares it."""
        if id(self) in _OPEN.by_view:
            with self.reading() as cursor:
                yield cursor
            return
        with self._snapshot_cursor() as cursor:
            _OPEN.by_view[id(self)] = cursor
            try:
                yield cursor
            finally:
                del _OPEN.by_view[id(self)]

    @contextmanager
    def _read_cursor(self) -> Iterator[Any]:
        """Return a read transaction: its statements share one snapshot
        (PostgreSQL overrides this)."""
        with self.datastore.transaction(commit=False) as cursor:
            yield cursor

    def _snapshot_cursor(self) -> AbstractContextManager[Any]:
        """Return a cursor with one snapshot: here any read transaction
        (PostgreSQL overrides this)."""
        return self._read_cursor()

    def _all(self, statement: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        with self.reading() as cursor:
            return self._all_in(cursor, statement, params)

    def _all_in(
        self, cursor: Any, statement: str, params: tuple[Any, ...]
    ) -> list[dict[str, Any]]:
        cursor.execute(self.q(statement), params)
        return [dict(row) for row in cursor.fetchall()]

    def get_enterprise(self, credit_code: str) -> dict[str, Any] | None:
        """Return the enterprise with its projects, if registered."""
        with self.reading() as cursor:
            return self.enterprise_in(cursor, credit_code)

    def get_facts(
        self, credit_code: str, cutoff: Cutoff | None = None
    ) -> list[RecordFact]:
        """Return the enterprise's records as facts for grading (known by cutoff)."""
        with self.reading_together() as cursor:
            return self.facts_in(cursor, credit_code, cutoff)

    def grades_on(
        self,
        credit_codes: Sequence[str],
        day: date,
        kinds_wanted: Callable[[dict[str, Any]], frozenset[str]],
    ) -> tuple[dict[str, dict[str, Any]], dict[str, list[RecordFact]]]:
        """Return registered enterprises with their segment on the day, and the
        records of the kinds `kinds_wanted` names for each (see `reading`).

        A grade query is then one or two statements however many codes it asks
        about; an enterprise without a pack that day has its segment fields None.
        Read together: the records must be those the segments were graded from.
        """
        with self.reading_together() as cursor:
            found = self._rows_of(
                cursor,
                # SQLite has no LATERAL, and joins by the segment's key anyway
                ENTERPRISE_WITH_SEGMENT_ON_BY_KEY
                if self.dialect.schema
                else ENTERPRISE_WITH_SEGMENT_ON,
                credit_codes,
                "",
                params=(day.isoformat(), day.isoformat()),
                key="e.credit_code",
            )
            rows = {code: segment_of_row(mine[0]) for code, mine in found.items()}
            changed = {code for code, row in rows.items() if row.pop("changed")}
            wanted = {code: kinds_wanted(row) for code, row in rows.items()}
            codes = [code for code, kinds in wanted.items() if kinds]
            if not codes:
                return rows, {}
            kinds = frozenset().union(*wanted.values())
            return rows, self.facts_of(cursor, codes, kinds=kinds, changed=changed)

    def position(self, tracking_name: str) -> int:
        """Return how far the view has processed the event log."""
        with self.reading() as cursor:
            return self.position_in(cursor, tracking_name)

    def version(self, tracking_name: str) -> tuple[int, str]:
        """Return the view's position and generation (see `version_in`), kept
        until the database tells that something changed, where it can
        (`versions_kept`)."""
        if self.versions_kept is None:
            return self._read_version(tracking_name)
        version: tuple[int, str] = self.versions_kept.unless_changed(
            tracking_name, lambda: self._read_version(tracking_name)
        )
        return version

    def _read_version(self, tracking_name: str) -> tuple[int, str]:
        with self.reading() as cursor:
            return self.version_in(cursor, tracking_name)

    def codes_changed(
        self, tracking_name: str, after: int, upto: int
    ) -> frozenset[str] | None:
        """Return the enterprises that the events after position `after` up to
        `upto` changed in the view (each event changes its own enterprise's
        rows only), or None when this cannot tell: more than
        CHANGES_LOOKED_AT_MOST events, or this reader not yet at `upto` (a
        replica behind the one the version came from).

        The last answer is kept: a worker's single-grade and batch caches
        move to each new version in turn, and ask the same. Events up to a
        position the view has reached never change, so it stays true.
        """
        asked = (tracking_name, after, upto)
        if self._last_changed is not None and self._last_changed[0] == asked:
            return self._last_changed[1]
        if upto - after > CHANGES_LOOKED_AT_MOST:
            return None
        with self.reading_together() as cursor:
            if self.position_in(cursor, tracking_name) < upto:
                return None
            rows = self._all_in(
                cursor,
                "SELECT DISTINCT credit_code FROM {event} "
                "WHERE position > ? AND position <= ?",
                (after, upto),
            )
        changed = frozenset(str(row["credit_code"]) for row in rows)
        self._last_changed = (asked, changed)
        return changed

    def close(self) -> None:
        """Close the view's connections."""
        if self.versions_kept is not None:
            self.versions_kept.close()
        self.datastore.close()

    def list_events(self, credit_code: str) -> list[dict[str, Any]]:
        """Return every event about the enterprise in log order."""
        rows = self._all(
            "SELECT * FROM {event} WHERE credit_code = ? ORDER BY position",
            (credit_code,),
        )
        return [
            row | {"recorded_at": datetime.fromisoformat(row["recorded_at"])}
            for row in rows
        ]

    def records_in(
        self, cursor: Any, credit_code: str, kind: str | None
    ) -> list[dict[str, Any]]:
        """Return the enterprise's records by business date, optionally of one kind."""
        where = "credit_code = ?" + (" AND kind = ?" if kind else "")
        params = (credit_code, kind) if kind else (credit_code,)
        rows = self._all_in(
            cursor,
            f"SELECT * FROM {{record}} WHERE {where} ORDER BY business_date, position",
            params,
        )
        return [record_row(row) for row in rows]

    def record_in(self, cursor: Any, record_id: str) -> dict[str, Any] | None:
        """Return one record, if the view has it."""
        rows = self._all_in(
            cursor, "SELECT * FROM {record} WHERE record_id = ?", (record_id,)
        )
        return record_row(rows[0]) if rows else None

    def search_enterprises(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Return enterprises whose credit code is the text or whose name holds it."""
        pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self._all(
            "SELECT credit_code, name, jurisdiction FROM {enterprise} "
            "WHERE credit_code = ? OR name LIKE ? ESCAPE '\\' "
            "ORDER BY credit_code LIMIT ?",
            (text.upper(), f"%{pattern}%", limit),
        )

    def segment_on(self, credit_code: str, day: date) -> dict[str, Any] | None:
        """Return the grade segment in force on the day, if any pack was in force."""
        rows = self._all(SEGMENT_ON, (credit_code, day.isoformat(), day.isoformat()))
        return segment_of_row(rows[0]) if rows else None

    def list_segments(self, credit_code: str) -> list[dict[str, Any]]:
        """Return the enterprise's whole grade history, oldest first."""
        rows = self._all(
            f"SELECT {SEGMENT_COLUMNS} FROM {{segment}} "
            "WHERE credit_code = ? ORDER BY starts_on",
            (credit_code,),
        )
        return [segment_of_row(row) for row in rows]

    def list_on_board(
        self, board: str, jurisdiction: str, day: date
    ) -> list[dict[str, Any]]:
        """Return the enterprises on a board (red, black or blacklist) on the day."""
        test = "s.blacklisted = 1" if board == "blacklist" else "s.board = ?"
        board_params: tuple[Any, ...] = () if board == "blacklist" else (board,)
        statement = (
            "SELECT e.credit_code, e.name, e.jurisdiction, s.grade, s.score, s.board, "
            "s.blacklisted, s.starts_on, s.ends_on, s.pack_id, s.pack_version "
            "FROM {segment} s JOIN {enterprise} e ON e.credit_code = s.credit_code "
            f"WHERE s.jurisdiction LIKE ? AND {test} AND s.starts_on <= ? "
            "AND (s.ends_on IS NULL OR s.ends_on > ?) ORDER BY e.credit_code"
        )
        rows = self._all(
            statement,
            (f"{jurisdiction}%", *board_params, day.isoformat(), day.isoformat()),
        )
        return [segment_of_row(row) for row in rows]

    def count_rows_in(self, cursor: Any) -> dict[str, int]:
        """Return how many rows each table of the view holds."""
        counts = {}
        for table in WHOLE_VIEW:
            cursor.execute(self.q(f"SELECT COUNT(*) AS n FROM {{{table}}}"))
            counts[table] = int(dict(cursor.fetchone())["n"])
        return counts
