"""Which rule pack governs a jurisdiction on which days."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from credit_svc.domain.rulepack import RulePack


@dataclass(frozen=True)
class PackPeriod:
    """A pack in force from `starts_on` until `ends_on` (exclusive; None is open)."""

    pack: RulePack
    starts_on: date
    ends_on: date | None


class PackSchedule:
    """The packs in force for one jurisdiction over time.

    The most specific pack wins (longest division-code prefix), then the newest
    version already in force: a city pack replaces its province's from its start.
    """

    def __init__(self, jurisdiction: str, packs: Iterable[RulePack]) -> None:
        self.jurisdiction = jurisdiction
        self.candidates = [p for p in packs if p.covers(jurisdiction)]
        self.periods = list(self._periods())

    def pack_on(self, day: date) -> RulePack | None:
        """Return the pack in force on the day, if any."""
        chosen = [p for p in self.candidates if p.effective_from <= day]
        return max(
            chosen,
            key=lambda p: (p.covers(self.jurisdiction), p.effective_from),
            default=None,
        )

    def _periods(self) -> Iterator[PackPeriod]:
        starts = sorted({p.effective_from for p in self.candidates})
        merged: list[tuple[date, RulePack]] = []
        for day in starts:
            pack = self.pack_on(day)
            if pack and (not merged or merged[-1][1] is not pack):
                merged.append((day, pack))
        for index, (day, pack) in enumerate(merged):
            ends_on = merged[index + 1][0] if index + 1 < len(merged) else None
            yield PackPeriod(pack, day, ends_on)


def packs_in_force(
    jurisdictions: Mapping[str, str], packs: Iterable[RulePack], day: date
) -> dict[str, RulePack | None]:
    """Return the pack in force on the day for each firm (credit code to
    division code), working each division's schedule out once."""
    known = list(packs)
    schedules: dict[str, PackSchedule] = {}
    return {
        code: schedules.setdefault(division, PackSchedule(division, known)).pack_on(day)
        for code, division in jurisdictions.items()
    }
