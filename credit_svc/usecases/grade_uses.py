"""Feedback on how grades were used (数据应用反馈): reported by tender
platforms, shown to auditors beside the grade the service gave."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from credit_svc.domain.errors import DomainError
from credit_svc.domain.grade_uses import GradeUses, grade_uses_id
from credit_svc.domain.rulepack import RulePack
from credit_svc.projections.cutoff import Cutoff
from credit_svc.projections.view import GradeView
from credit_svc.usecases.application import CreditService
from credit_svc.usecases.grade_reader import GradeReader


class GradeUseLog:
    """Report a use of a firm's grade; list the uses with the service's grade."""

    def __init__(
        self, app: CreditService, view: GradeView, packs: Sequence[RulePack]
    ) -> None:
        self.app = app
        self.reader = GradeReader(view, packs)

    def report(self, credit_code: str, reported_by: str, **use: Any) -> dict[str, Any]:
        """Record a use of a registered firm's grade; return it as listed."""
        self.app.jurisdiction_of(credit_code)  # registered, or 404
        uses, _ = self.app.change_retrying(
            lambda: self._uses(credit_code) or GradeUses(credit_code=credit_code),
            lambda found: found.report(reported_by, **use),
            f"the grade uses of {credit_code}",
        )
        return self._shown(credit_code, uses.uses[-1])

    def uses(self, credit_code: str) -> list[dict[str, Any]]:
        """Return every reported use of the firm's grades, oldest first, each
        with the grade the service gives for its day (as read then, when the
        platform said when it read it) and whether the two agree."""
        self.app.jurisdiction_of(credit_code)
        found = self._uses(credit_code)
        return [self._shown(credit_code, use) for use in (found.uses if found else [])]

    def _uses(self, credit_code: str) -> GradeUses | None:
        try:
            found = self.app._get(grade_uses_id(credit_code))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, GradeUses) else None

    def _shown(self, credit_code: str, use: dict[str, Any]) -> dict[str, Any]:
        read_at = use["recorded_at"]
        cutoff = Cutoff(recorded_at=read_at) if read_at else None
        try:
            answer = self.reader.tender_answer(credit_code, use["as_of"], cutoff)
        except DomainError as error:
            given: dict[str, Any] = {"grade": None, "error": str(error)}
        else:
            given = {
                "grade": answer["grade"],
                "tender_points": answer["tender_points"],
                "eligible": answer["eligible"],
                "pack_id": answer["pack_id"],
                "pack_version": answer["pack_version"],
            }
        return use | {
            "credit_code": credit_code,
            "service_grade": given,
            "matches": given["grade"] == use["grade"],
        }
