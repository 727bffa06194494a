"""What happens to a record after it is recorded: every change is a new event.

Corrections and retractions by the recording authority, objections by the
enterprise, credit repair, early lifting of list entries, and confirmation
that a bad record's problem was rectified. The rules that decide whether each
may happen are in lifecycle_rules.py; the event classes stay here because
stored events name their module.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from credit_svc.domain.record import CreditRecord

OUTCOMES: Final = ("upheld", "rejected")
DECISIONS: Final = ("granted", "refused")


class Decision(CreditRecord.Event):
    """Fields of every decision an authority takes about its record."""

    authority: str
    document_number: str
    reason: str


class Corrected(Decision):
    """The recording authority corrected some facts of the record."""

    changes: dict[str, Any]

    def apply(self, aggregate: Any) -> None:
        """Keep the corrected facts."""
        aggregate.facts = aggregate.facts | self.changes
        aggregate.state.corrections += 1


class Retracted(Decision):
    """The recording authority withdrew the record: it never counts again."""

    def apply(self, aggregate: Any) -> None:
        """Mark the record withdrawn."""
        aggregate.state.retracted = True


class ObjectionFiled(CreditRecord.Event):
    """The enterprise objected (异议) to the record."""

    class_version = 2
    filed_on: date
    filed_by: str
    grounds: str
    documents: list[dict[str, str]]  # what it relies on: number and title each

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Objections filed before they could name their documents."""
        state["documents"] = []

    def apply(self, aggregate: Any) -> None:
        """Flag the record as under objection."""
        aggregate.state.objection = "open"


class ObjectionResolved(Decision):
    """The authority upheld or rejected the objection."""

    outcome: str
    resolved_on: date

    def apply(self, aggregate: Any) -> None:
        """Close the objection."""
        aggregate.state.objection = self.outcome


class RepairApplied(CreditRecord.Event):
    """The enterprise applied for credit repair (信用修复)."""

    class_version = 2
    applied_on: date
    applicant: str
    commitment: str
    documents: list[dict[str, str]]  # what it relies on: number and title each

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Applications made before they could name their documents."""
        state["documents"] = []

    def apply(self, aggregate: Any) -> None:
        """Note the pending application."""
        aggregate.state.repair = "applied"
        aggregate.state.applied_on = self.applied_on


class RepairDecided(Decision):
    """The recording authority granted or refused the repair."""

    outcome: str
    decided_on: date

    def apply(self, aggregate: Any) -> None:
        """Note the decision."""
        aggregate.state.repair = self.outcome


class Lifted(Decision):
    """The listing authority lifted a list entry before its term ended."""

    lifted_on: date

    def apply(self, aggregate: Any) -> None:
        """Note the lifting."""
        aggregate.state.lifted_on = self.lifted_on


class Rectified(Decision):
    """The recording authority confirmed the problem was put right (整改完成)."""

    rectified_on: date

    def apply(self, aggregate: Any) -> None:
        """Note the rectification."""
        aggregate.state.rectified_on = self.rectified_on


LIFECYCLE_EVENTS: Final = (
    Corrected,
    Retracted,
    ObjectionFiled,
    ObjectionResolved,
    RepairApplied,
    RepairDecided,
    Lifted,
    Rectified,
)
