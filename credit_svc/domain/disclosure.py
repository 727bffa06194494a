"""National disclosure periods of bad-credit records, versioned by effective date.

A bad record is disclosed (and may be used in grading) from its business date
until the maximum period for its severity; the enterprise may apply for credit
repair once the minimum period has passed. The regime in force on the record's
business date decides both. Pure: the rules come in as data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from credit_svc.domain.calendar import add_months
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record import BAD_KINDS


@dataclass(frozen=True)
class DisclosurePeriod:
    """The shortest and longest disclosure of one severity, in months."""

    min_months: int
    max_months: int


@dataclass(frozen=True)
class HandlingLimits:
    """How many working days the recording authority has to decide a case."""

    objection_working_days: int
    repair_working_days: int


@dataclass(frozen=True)
class DisclosureRegime:
    """One version of the disclosure rules, from its effective date."""

    regime_id: str
    effective_from: date
    periods: Mapping[str, DisclosurePeriod]  # by severity
    source: str = ""
    handling: HandlingLimits | None = None


@dataclass(frozen=True)
class DisclosureWindow:
    """When repair may be applied for, and when disclosure ends by itself."""

    regime_id: str
    repair_from: date
    ends_on: date  # first day the record is no longer disclosed or used


@dataclass(frozen=True)
class DisclosureRules:
    """Every regime, in any order; the latest one in force on a day applies."""

    regimes: tuple[DisclosureRegime, ...] = ()

    def regime_on(self, day: date) -> DisclosureRegime | None:
        """Return the regime in force on the day, if any."""
        in_force = [r for r in self.regimes if r.effective_from <= day]
        return max(in_force, key=lambda r: r.effective_from, default=None)

    def handling_on(self, day: date) -> HandlingLimits | None:
        """Return the handling limits of the regime in force on the day."""
        regime = self.regime_on(day)
        return regime.handling if regime else None

    def window_of(self, fact: RecordFact) -> DisclosureWindow | None:
        """Return the record's disclosure window; None when no regime limits it."""
        if fact.kind not in BAD_KINDS:
            return None
        regime = self.regime_on(fact.business_date)
        period = regime.periods.get(fact.get("severity")) if regime else None
        if regime is None or period is None:
            return None
        return DisclosureWindow(
            regime.regime_id,
            add_months(fact.business_date, period.min_months),
            add_months(fact.business_date, period.max_months),
        )
