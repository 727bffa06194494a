"""Project managers' standing, computed when asked from the view's rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from credit_svc.domain.assessment import assess
from credit_svc.domain.errors import NoRulePackError, ProjectManagerNotFoundError
from credit_svc.domain.manager_standing import (
    Assignment,
    Charge,
    ManagerAssessment,
    assess_manager,
    charges_to,
)
from credit_svc.domain.record import MANAGER_KINDS
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.projections.view import GradeView


class ManagerReader:
    """Answers questions about project managers without replaying the log."""

    def __init__(self, view: GradeView, packs: Sequence[RulePack]) -> None:
        self.view = view
        self.packs = packs

    def manager(self, manager_id: UUID) -> dict[str, Any]:
        """Return the registered manager or raise ProjectManagerNotFoundError."""
        manager = self.view.managers.get_manager(str(manager_id))
        if manager is None:
            raise ProjectManagerNotFoundError(manager_id)
        return manager

    def standing(
        self, manager_id: UUID, day: date
    ) -> tuple[dict[str, Any], ManagerAssessment]:
        """Return the manager and their score on the day, read from one
        snapshot of the view (their assignments and the records charged)."""
        with self.view.db.reading_together():
            manager = self.manager(manager_id)
            return manager, self._assess(manager, day)

    def _assess(self, manager: dict[str, Any], day: date) -> ManagerAssessment:
        """Score the manager on the day: own records plus charged deductions."""
        pack = self._pack_in(manager["jurisdiction"], day)
        if pack is None:
            raise NoRulePackError(manager["jurisdiction"], day.isoformat())
        mine = str(manager["manager_id"])
        assignments = self.view.managers.list_assignments(mine)
        own, charges = [], []
        for code in self.view.managers.list_manager_codes(mine):
            facts = self.view.records.get_facts(code)
            own += [
                f
                for f in facts
                if f.kind in MANAGER_KINDS and f.get("manager_id") == mine
            ]
            charges += self._charges(mine, code, facts, assignments, day)
        return assess_manager(own, charges, pack, day)

    def list_blacklisted(
        self, jurisdiction: str, day: date
    ) -> list[tuple[dict[str, Any], ManagerAssessment]]:
        """Return the managers of the jurisdiction on the blacklist on the day."""
        listed = []
        with self.view.db.reading_together():
            for manager_id in self.view.managers.list_listed_managers(jurisdiction):
                manager, assessment = self.standing(UUID(manager_id), day)
                if assessment.standing.blacklisted:
                    listed.append((manager, assessment))
        return listed

    def _charges(
        self,
        manager_id: str,
        credit_code: str,
        facts: Sequence[Any],
        assignments: Sequence[Assignment],
        day: date,
    ) -> list[Charge]:
        enterprise = self.view.grades.get_enterprise(credit_code)
        pack = self._pack_in(enterprise["jurisdiction"], day) if enterprise else None
        if pack is None:  # no pack grades the enterprise that day: nothing to charge
            return []
        graded = assess(facts, pack, day)
        return charges_to(manager_id, graded, credit_code, assignments, pack)

    def _pack_in(self, jurisdiction: str, day: date) -> RulePack | None:
        return PackSchedule(jurisdiction, self.packs).pack_on(day)
