"""What a rule pack says about project managers (项目负责人): their own points."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from credit_svc.domain.fact import RecordFact

ZERO = Decimal(0)


@dataclass(frozen=True)
class ManagerRules:
    """Points of an individual manager: a base, deductions, and charged shares.

    A pack without a `project_managers` section gets these defaults: base 100,
    only stated deductions count, nothing is charged from projects, and only
    the blacklist bars a manager.
    """

    base_points: Decimal = Decimal(100)
    deductions: Mapping[str, Decimal] = field(default_factory=dict)  # by severity
    # Share of a project's deduction that is also charged to its manager.
    charge_share: Decimal = ZERO
    barred_below: Decimal | None = None  # fewer points bar the manager

    def points_for(self, fact: RecordFact) -> Decimal:
        """Return a manager record's points: the stated deduction, else the pack's."""
        stated = fact.get("points")
        if stated is not None:
            return -Decimal(stated)
        return -self.deductions.get(fact.get("severity"), ZERO)

    def is_barred(self, points: Decimal) -> bool:
        """Tell whether so few points bar the manager from taking projects."""
        return self.barred_below is not None and points < self.barred_below
