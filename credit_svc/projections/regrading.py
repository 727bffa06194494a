"""Grade histories computed again from the view's rows: what a regrade writes.

A standing depends on nothing but the pack and what `Tally.key` reads, and
few tallies differ in it (a history concludes one per day a record starts or
ends), so a process concludes each once (StandingCache); the domain stays
pure, and is passed the memoised `conclude`.

The live projector regrades the enterprises of each batch; a rebuild's
grading workers regrade every enterprise once (see parallel_grading.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import Any, Final

from cachetools import LRUCache

from credit_svc.domain.fact import RecordFact
from credit_svc.domain.grading import Standing, Tally, conclude
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.domain.timeline import grade_timeline
from credit_svc.projections.view import GradeView
from credit_svc.projections.view_schema import STARTS_ON, HistoryChange, segment_rows

NOTHING_ADDED: Mapping[str, Sequence[RecordFact]] = {}
# Bounded: about a kilobyte a standing, in every process that grades.
MAX_STANDINGS: Final = 20_000


class StandingCache:
    """Concluded standings by pack and tally key, least recently used dropped."""

    def __init__(self, maxsize: int = MAX_STANDINGS) -> None:
        # The pack is kept in the value: its id() is unique only while it lives.
        self._standings: LRUCache[tuple[int, object], tuple[RulePack, Standing]] = (
            LRUCache(maxsize=maxsize)
        )

    def conclude(self, tally: Tally, pack: RulePack) -> Standing:
        """Return the standing of the tally under the pack, concluded once."""
        key = (id(pack), tally.key(pack))
        found = self._standings.get(key)
        if found is None or found[0] is not pack:
            found = (pack, conclude(tally, pack))
            self._standings[key] = found
        return found[1]


# This process's concluded standings: every history it grades shares them.
STANDINGS = StandingCache()


def segment_histories(
    view: GradeView,
    cursor: Any,
    credit_codes: Sequence[str],
    packs: Sequence[RulePack],
    added: Mapping[str, Sequence[RecordFact]] = NOTHING_ADDED,
) -> dict[str, list[tuple[Any, ...]]]:
    """Return the segment rows of the enterprises' grade histories, computed
    from their rows in the view (read first, in two statements) and the facts
    of `added` records, which the view does not hold yet."""
    enterprises = view.grades.enterprises_of(cursor, credit_codes)
    facts = view.records.facts_of(cursor, credit_codes)
    schedules: dict[str, PackSchedule] = {}
    histories = {}
    for code in credit_codes:
        jurisdiction = enterprises[code]["jurisdiction"]  # records come after it
        if jurisdiction not in schedules:
            schedules[jurisdiction] = PackSchedule(jurisdiction, packs)
        mine = facts.get(code, [])
        if code in added:  # in the order the view reads them: by business date,
            # then position (a stable sort keeps the new ones after the stored)
            mine = sorted([*mine, *added[code]], key=attrgetter("business_date"))
        segments = grade_timeline(mine, schedules[jurisdiction], STANDINGS.conclude)
        histories[code] = segment_rows(code, jurisdiction, segments)
    return histories


def changed_histories(
    view: GradeView, cursor: Any, computed: dict[str, list[tuple[Any, ...]]]
) -> dict[str, HistoryChange]:
    """Return those of the computed histories that differ from the view's."""
    stored = view.grades.segment_rows_of(cursor, list(computed))
    changes = {
        code: _change(rows, stored.get(code, [])) for code, rows in computed.items()
    }
    return {code: c for code, c in changes.items() if c.since is not None or c.tail}


def _change(
    rows: list[tuple[Any, ...]], stored: list[tuple[Any, ...]]
) -> HistoryChange:
    """Both lists run by start (STARTS_ON), each start once: the rows before the
    first difference are kept, and the stored ones from it on replaced (none
    to delete and none to insert when the two are the same)."""
    same = zip(rows, stored, strict=False)  # as far as the shorter goes
    kept = next(
        (i for i, (new, old) in enumerate(same) if new != old),
        min(len(rows), len(stored)),
    )
    since = stored[kept][STARTS_ON] if kept < len(stored) else None
    return HistoryChange(rows, since, rows[kept:])


def replace_changed(
    view: GradeView, cursor: Any, computed: dict[str, list[tuple[Any, ...]]]
) -> dict[str, list[tuple[Any, ...]]]:
    """Store the computed histories that differ from the view's; return those."""
    changes = changed_histories(view, cursor, computed)
    view.grades.replace_segment_tails(cursor, changes)
    return {code: change.rows for code, change in changes.items()}
