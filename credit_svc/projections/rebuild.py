"""Rebuild the grade view from the event log beside the live one, and compare.

The rebuild replays everything into shadow tables while the service keeps
running (every event's rows first, then each enterprise graded once: see
shadow_build.py); then, holding the live view's lock, both views are brought
to the same position and compared row by row. With `apply`, the live rows are
replaced, and each enterprise whose grades changed gets a grade item in the
change feed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from credit_svc.projections.batch_writing import DeferringCursor
from credit_svc.projections.database import chunks
from credit_svc.projections.feed import grade_item, timelines_of
from credit_svc.projections.parallel_grading import ReopenLog
from credit_svc.projections.projector import GradeProjector
from credit_svc.projections.shadow_build import build_shadow
from credit_svc.projections.view import GradeView, open_view
from credit_svc.projections.view_schema import REBUILD_PREFIX


class LiveView(Protocol):
    """What a rebuild works with: the live view, its projector and database."""

    @property
    def view(self) -> GradeView:
        """Return the live grade view."""

    @property
    def projector(self) -> GradeProjector:
        """Return the projector of the live view."""

    @property
    def env(self) -> dict[str, str]:
        """Return the environment the event store was opened with."""

    @property
    def reopen_log(self) -> ReopenLog:
        """Return how worker processes open the event log again (picklable)."""


@dataclass
class RebuildReport:
    """What a rebuild found."""

    position: int
    row_counts: dict[str, int]
    differences: dict[str, tuple[int, int]] = field(default_factory=dict)
    applied: bool = False
    live_position: int = 0  # where the live view stood when compared

    @property
    def identical(self) -> bool:
        """Tell whether the rebuilt view equals the live one."""
        return all(pair == (0, 0) for pair in self.differences.values())

    def lines(self) -> list[str]:
        """Return the report as lines of text."""
        lines = [f"event log position compared: {self.position}"]
        if self.live_position < self.position:
            lines.append(f"live view behind, at position {self.live_position}")
        for table, (only_live, only_rebuilt) in self.differences.items():
            lines.append(
                f"{table}: {self.row_counts[table]} rebuilt rows, "
                f"{only_live} only in live, {only_rebuilt} only in rebuilt"
            )
        verdict = "IDENTICAL" if self.identical else "DIFFERENT"
        lines.append(
            f"result: {verdict}" + ("; live view replaced" if self.applied else "")
        )
        return lines


def rebuild(
    services: LiveView,
    *,
    apply: bool = False,
    progress: Callable[[int], object] | None = None,
) -> RebuildReport:
    """Replay the whole log into shadow tables and compare them with the live view."""
    name, live = f"{services.projector.app.name}:rebuild", services.view
    shadow = open_view(services.env | {"CREATE_TABLE": "y"}, prefix=REBUILD_PREFIX)
    try:
        with shadow.db.datastore.transaction(commit=True) as cursor:
            shadow.maintenance.clear(cursor, name)
        build_shadow(services.projector, shadow, name, progress, services.reopen_log)
        with live.db.locked(services.projector.app.name) as (cursor, live_position):
            live.maintenance.allow_long_pauses(cursor)
            target = max(live_position, shadow.db.position_in(cursor, name))
            same_packs = (
                live.maintenance.rule_packs_in(cursor) == services.projector.fingerprint
            )
            if same_packs and not apply:
                # Compared at one position, the live view catching up first. To
                # apply, it is replaced whatever it lacks: catching up a long
                # backlog batch by batch is what a rebuild is there to avoid.
                services.projector.advance(
                    live, cursor, services.projector.app.name, target
                )
            services.projector.advance(shadow, cursor, name, target)
            report = RebuildReport(
                target,
                shadow.maintenance.count_rows_in(cursor),
                live.maintenance.differences(cursor, shadow.maintenance),
            )
            report.live_position = live.db.position_in(
                cursor, services.projector.app.name
            )
            if apply and not report.identical:
                changed = live.maintenance.codes_with_other_segments(
                    cursor, shadow.maintenance
                )
                live.maintenance.copy_from(cursor, shadow.maintenance)
                if live.db.position_in(cursor, services.projector.app.name) < target:
                    live.db.set_position(cursor, services.projector.app.name, target)
                feed = DeferringCursor(cursor)
                for codes in chunks(changed):  # a national rebuild changes them all
                    items = [grade_item(target, c) for c in codes]
                    timelines = timelines_of(live.grades.segment_rows_of(feed, codes))
                    live.feed.put_feed_items(feed, items, timelines)
                feed.flush()
                report.applied = True
        if report.applied:  # old rows dead, old statistics: reads would scan tables
            live.maintenance.vacuum()
        with shadow.db.datastore.transaction(commit=True) as cursor:
            shadow.maintenance.clear(cursor, name)
        return report
    finally:
        shadow.db.datastore.close()
