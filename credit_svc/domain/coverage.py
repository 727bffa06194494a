"""Statistics of a jurisdiction on a day (季报/年报): grades, Party
organisation coverage, list entries, records per quarter, overdue
rectifications. Pure: the firms, their facts and packs come in as data."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from credit_svc.domain.assessment import assess
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record import UNSTATED, party_form
from credit_svc.domain.rectification import overdue_on
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.vocabulary import LIST_TYPES

# How a firm stands with its Party organisation, by its latest assessment.
COVERAGE: Final = (
    "own",  # its own organisation
    "joint",  # covered by a joint, regional, sector-wide or attached one
    "unstated",  # has one, recorded before its form was asked
    "required_missing",  # enough full members and none of any form
    "not_required",  # fewer members and none
    "not_assessed",  # no party-building assessment yet
)


@dataclass(frozen=True)
class PartyRule:
    """From how many full members a firm must form its own organisation."""

    effective_from: date
    branch_members: int
    source: str = ""


def rule_on(rules: Sequence[PartyRule], day: date) -> PartyRule | None:
    """Return the version of the rule in force on the day, if any."""
    in_force = [r for r in rules if r.effective_from <= day]
    return max(in_force, key=lambda r: r.effective_from, default=None)


def coverage_of(facts: Sequence[RecordFact], day: date, members: int) -> str:
    """Return how the firm stands with its Party organisation on the day."""
    assessed = [
        f for f in facts if f.kind == "party_building" and f.business_date <= day
    ]
    if not assessed:
        return "not_assessed"
    latest = max(assessed, key=lambda f: f.business_date)
    form = party_form(latest)
    if form in ("own", UNSTATED):
        return "unstated" if form == UNSTATED else "own"
    if form != "none":
        return "joint"
    count = int(latest.get("party_member_count") or 0)
    return "required_missing" if count >= members else "not_required"


def quarter_of(day: date) -> str:
    """Return the quarter a day falls in, as 2026-Q2."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass
class _Counts:
    """The counts, firm by firm."""

    grades: Counter[str] = field(default_factory=Counter)
    coverage: Counter[str] = field(
        default_factory=lambda: Counter(dict.fromkeys(COVERAGE, 0))
    )
    listed: Counter[str] = field(
        default_factory=lambda: Counter(dict.fromkeys(LIST_TYPES, 0))
    )
    by_kind: dict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    by_party: dict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    overdue: Counter[str] = field(default_factory=lambda: Counter(records=0, firms=0))

    def add(
        self,
        facts: Sequence[RecordFact],
        pack: RulePack | None,
        day: date,
        members: int,
    ) -> None:
        """Count one firm."""
        if pack is None:
            self.grades["none"] += 1
        else:
            assessment = assess(facts, pack, day)
            self.grades[assessment.standing.grade] += 1
            for effect in assessment.counted:
                if effect.fact.kind == "list_entry":
                    self.listed[str(effect.fact.get("list_type"))] += 1
        self.coverage[coverage_of(facts, day, members)] += 1
        for fact in facts:
            if fact.business_date.year == day.year and fact.business_date <= day:
                quarter = quarter_of(fact.business_date)
                self.by_kind[quarter][fact.kind] += 1
                self.by_party[quarter][str(fact.get("authority"))] += 1
        late = sum(1 for fact in facts if overdue_on(fact, day))
        self.overdue["records"] += late
        self.overdue["firms"] += bool(late)


def statistics(
    firms: Sequence[str],
    facts: Mapping[str, Sequence[RecordFact]],
    packs: Mapping[str, RulePack | None],
    day: date,
    members: int,
) -> dict[str, Any]:
    """Return the statistics of the firms (credit codes) on the day: `packs`
    gives each firm's pack in force (None: no pack, no grade)."""
    counts = _Counts()
    for code in firms:
        counts.add(facts.get(code, ()), packs.get(code), day, members)
    return {
        "as_of": day.isoformat(),
        "firms": len(firms),
        "grades": dict(sorted(counts.grades.items())),
        "party_organisation": dict(counts.coverage),
        "list_entries": dict(counts.listed),
        "records_by_kind": _sorted(counts.by_kind),
        "records_by_party": _sorted(counts.by_party),
        "overdue_rectifications": dict(counts.overdue),
    }


def _sorted(by_quarter: Mapping[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {q: dict(sorted(c.items())) for q, c in sorted(by_quarter.items())}
