"""Replay an exported event log into a scratch grade view and compare with the live one.

An auditor's independent check: the export's hash chain is verified, its head
is looked up in the live log (same log?), every grade is recomputed from the
exported events alone by the same projector and rule packs, and the scratch
view is compared with the live view enterprise by enterprise. Enterprises with
events after the export's end are left out of the comparison and counted.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from credit_svc.adapters.chain import Head, StoredEventRow, Verdict, verify
from credit_svc.projections.exported_log import ExportedLog, ExportSource
from credit_svc.projections.projector import GradeProjector
from credit_svc.projections.shadow_build import build_shadow
from credit_svc.projections.view import GradeView, open_view
from credit_svc.projections.view_schema import REBUILD_PREFIX, TABLES

POSITIONED: Final = frozenset(  # tables with a position column
    {"record", "event", "change", "manager", "assignment", "manager_record"}
)
SHOWN: Final = 5  # differing enterprises named per table


class LiveLog(Protocol):
    """What a replay compares with: the live log, its view and the packs."""

    @property
    def view(self) -> GradeView:
        """Return the live grade view."""

    @property
    def projector(self) -> GradeProjector:
        """Return the projector of the live view (its log and packs)."""

    def link_at(self, position: int) -> str | None:
        """Return the hash chain's link at a position of the live log."""


@dataclass
class ReplayReport:
    """What a replay found."""

    verdict: Verdict
    same_log: bool | None = None  # export head found in the live log
    end: int = 0
    moved_on: int = 0  # enterprises with events after the export, not compared
    # Subjects (enterprises, or project managers) compared per table.
    compared: dict[str, int] = field(default_factory=dict)
    different: dict[str, list[str]] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        """Tell whether the chain held and every compared enterprise matched."""
        return bool(
            self.verdict.intact and self.same_log and not any(self.different.values())
        )

    def lines(self) -> list[str]:
        """Return the report as lines of text."""
        if not self.verdict.intact:
            return [
                f"export chain BROKEN at position {self.verdict.broken_at}: "
                f"{self.verdict.problem}",
                "result: DIFFERENT",
            ]
        lines = [
            f"export chain intact: {self.verdict.checked} events, ends at {self.end}",
            "export head is in the live log"
            if self.same_log
            else "export head is NOT in the live log: the logs differ",
            f"enterprises with events after the export, not compared: {self.moved_on}",
        ]
        for table, codes in self.different.items():
            shown = ", ".join(codes[:SHOWN]) + (" ..." if len(codes) > SHOWN else "")
            lines.append(
                f"{table}: {self.compared[table]} subjects compared, "
                f"{len(codes)} different" + (f": {shown}" if codes else "")
            )
        lines.append(f"result: {'IDENTICAL' if self.identical else 'DIFFERENT'}")
        return lines


def replay(
    services: LiveLog,
    events: Sequence[StoredEventRow],
    links: Sequence[tuple[int, str]],
    checkpoints: Sequence[Head] = (),
) -> ReplayReport:
    """Verify an export (against any checkpoints kept), recompute its grades
    in a scratch view, compare with live."""
    verdict = verify(events, links, checkpoints)
    if not verdict.intact:
        return ReplayReport(verdict)
    head = verdict.head
    report = ReplayReport(verdict, end=head.position if head else 0)
    report.same_log = head is None or services.link_at(head.position) == head.hash
    source = ExportSource(ExportedLog(events), services.projector.app.mapper)
    with tempfile.TemporaryDirectory(prefix="credit-svc-replay-") as scratch:
        replayed = _scratch_view(Path(scratch))
        try:
            projector = GradeProjector(source, services.projector.packs)
            build_shadow(projector, replayed, source.name)
            _compare(report, replayed, services.view, report.end)
        finally:
            replayed.db.datastore.close()
    return report


def _scratch_view(directory: Path) -> GradeView:
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(directory / "replay.sqlite3"),
        "CREATE_TABLE": "y",
    }
    return open_view(env, prefix=REBUILD_PREFIX)


def _compare(
    report: ReplayReport, replayed: GradeView, live: GradeView, end: int
) -> None:
    moved_on = _codes_after(live, end)
    report.moved_on = len(moved_on)
    for table in TABLES:
        mine = _digests(replayed, table, None)
        theirs = _digests(live, table, end)
        codes = (mine.keys() | theirs.keys()) - moved_on
        report.compared[table] = len(codes)
        report.different[table] = sorted(
            c for c in codes if mine.get(c) != theirs.get(c)
        )


def _codes_after(view: GradeView, end: int) -> set[str]:
    with view.db.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            view.db.q("SELECT DISTINCT credit_code FROM {event} WHERE position > ?"),
            (end,),
        )
        return {str(dict(row)["credit_code"]) for row in cursor.fetchall()}


def _digests(
    view: GradeView, table: str, upto: int | None
) -> dict[str, tuple[int, int]]:
    """Return, per enterprise (or manager), a row count and an order-free hash.

    Summing row hashes lets two databases be compared without sorting rows the
    same way (their text collations differ) or holding every row in memory.
    """
    bounded = upto is not None and table in POSITIONED
    where = " WHERE position <= ?" if bounded else ""
    params = (upto,) if bounded else ()
    digests: dict[str, tuple[int, int]] = {}
    with view.db.datastore.transaction(commit=False) as cursor:
        cursor.execute(view.db.q(f"SELECT * FROM {{{table}}}{where}"), params)
        # The library's SQLite cursor wrapper has no fetchmany; its cursor does.
        raw = getattr(cursor, "sqlite_cursor", cursor)
        while rows := raw.fetchmany(5000):
            for row in rows:
                values = dict(row)
                key = values.get("credit_code") or values["manager_id"]
                count, total = digests.get(key, (0, 0))
                digests[key] = (count + 1, total + _row_hash(values))
    return digests


def _row_hash(values: dict[str, Any]) -> int:
    text = json.dumps(list(values.values()), default=str, ensure_ascii=False)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big")
