"""Grade history over business time: one segment per span with the same standing.

Grades change on the days records start or expire and packs change, never between,
so a sweep over those days gives the whole history; the current grade of any day
is a lookup, and the view is right on the day a record expires without a timer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from credit_svc.domain.effect import Effect, effect_of, end_of
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.grading import Conclude, Standing, Tally, conclude
from credit_svc.domain.record import MANAGER_KINDS
from credit_svc.domain.rectification import with_consequences
from credit_svc.domain.schedule import PackPeriod, PackSchedule


@dataclass(frozen=True)
class Segment:
    """A standing that holds from `starts_on` until `ends_on` (exclusive; None open)."""

    starts_on: date
    ends_on: date | None
    standing: Standing


def grade_timeline(
    facts: Sequence[RecordFact],
    schedule: PackSchedule,
    concluding: Conclude = conclude,
) -> list[Segment]:
    """Return the segments of the grade history under the schedule's packs;
    `concluding` turns each day's tally into a standing (a caller that grades
    many histories passes a memoised `conclude`)."""
    points = [
        p for period in schedule.periods for p in _sweep(facts, period, concluding)
    ]
    merged: list[tuple[date, Standing]] = []
    for day, standing in points:
        if not merged or merged[-1][1].summary() != standing.summary():
            merged.append((day, standing))
    return [
        Segment(day, merged[i + 1][0] if i + 1 < len(merged) else None, standing)
        for i, (day, standing) in enumerate(merged)
    ]


def _sweep(
    facts: Sequence[RecordFact], period: PackPeriod, concluding: Conclude
) -> Iterator[tuple[date, Standing]]:
    changes: dict[date, list[tuple[Effect, int]]] = defaultdict(list)
    # A record counts from its business date: one dated after the period
    # cannot overlap it, so its effect under the period's pack is not worked
    # out (most records of a firm under a pack that a newer one replaced).
    ends_on, pack = period.ends_on, period.pack
    facts = with_consequences(facts, pack.rectification)  # of overdue deadlines
    about_enterprise = (
        fact
        for fact in facts
        if fact.kind not in MANAGER_KINDS
        and (ends_on is None or fact.business_date < ends_on)
        and pack.scope.counts_for_enterprise(fact)
    )
    combined = pack.combinations
    for fact in about_enterprise:
        # Ended before the period began: no rule needs matching. A pack
        # version in force from a later date sweeps a firm's records again,
        # and most of them ended before it.
        end = end_of(fact, pack)
        if end[0] <= period.starts_on:
            continue
        effect = effect_of(fact, pack, end)
        if not _overlaps(effect, period):
            continue
        if not effect.matters and effect.fact.kind not in combined:
            continue
        changes[max(effect.starts_on, period.starts_on)].append((effect, 1))
        if period.ends_on is None or effect.expires_on < period.ends_on:
            changes[effect.expires_on].append((effect, -1))
    tally = Tally.under(pack)
    for day in sorted({period.starts_on, *changes}):
        for effect, sign in changes.get(day, ()):
            tally.add(effect, sign)
        yield day, concluding(tally, pack)


def _overlaps(effect: Effect, period: PackPeriod) -> bool:
    ends_before = period.ends_on is not None and effect.starts_on >= period.ends_on
    return not ends_before and effect.expires_on > period.starts_on
