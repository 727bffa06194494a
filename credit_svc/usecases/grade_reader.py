"""Grade answers for readers: from the view's segments, explained from its facts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from credit_svc.domain.assessment import Assessment, assess
from credit_svc.domain.eligibility import (
    Eligibility,
    award_eligibility,
    bars_on,
    record_kinds_needed,
)
from credit_svc.domain.errors import (
    DomainError,
    EnterpriseNotFoundError,
    NoRulePackError,
)
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.projections.cutoff import Cutoff
from credit_svc.projections.view import GradeView


class GradeReader:
    """Answers grade questions without replaying the event log."""

    def __init__(self, view: GradeView, packs: Sequence[RulePack]) -> None:
        self.view = view
        self.packs = packs

    def enterprise(self, credit_code: str) -> dict[str, Any]:
        """Return the registered enterprise or raise EnterpriseNotFoundError."""
        enterprise = self.view.grades.get_enterprise(credit_code)
        if enterprise is None:
            raise EnterpriseNotFoundError(credit_code)
        return enterprise

    def tender_answer(
        self, credit_code: str, day: date, cutoff: Cutoff | None = None
    ) -> dict[str, Any]:
        """Return what a tender platform needs: grade, points, pack, eligibility.

        Without a cutoff the grade comes from the projected segment; with one it
        is recomputed from the records known at the cutoff.
        """
        if cutoff is None:
            answer = self.tender_answers([credit_code], day)[credit_code]
            if isinstance(answer, DomainError):
                raise answer
            return answer
        with self.view.db.reading_together():
            enterprise = self.enterprise(credit_code)
            result = self._eligibility(enterprise, day, cutoff)
        standing = result.standing
        pack = self.pack(standing.pack_id, standing.pack_version)
        return {
            "credit_code": credit_code,
            "name": enterprise["name"],
            "as_of": day,
            "recorded_at": cutoff.recorded_at,
            "grade": standing.grade,
            "grade_label": pack.label(standing.grade),
            "score": standing.score,
            "board": standing.board,
            "blacklisted": standing.blacklisted,
            "tender_points": standing.tender_points,
            "pack_id": standing.pack_id,
            "pack_version": standing.pack_version,
            "eligible": result.eligible,
            "starts_on": None,
            "ends_on": None,
        }

    def tender_answers(
        self, credit_codes: Sequence[str], day: date
    ) -> dict[str, dict[str, Any] | DomainError]:
        """Return each enterprise's tender answer on the day, or why there is none.

        One read of the view for all of them; records are read only for the
        enterprises whose pack has exclusions that look at records.
        """
        rows, facts = self.view.grades.grades_on(credit_codes, day, self._kinds_needed)
        answers: dict[str, dict[str, Any] | DomainError] = {}
        for code in credit_codes:
            row = rows.get(code)
            if row is None:
                answers[code] = EnterpriseNotFoundError(code)
            elif row["pack_id"] is None:
                answers[code] = NoRulePackError(row["jurisdiction"], day.isoformat())
            else:
                pack = self.pack(row["pack_id"], row["pack_version"])
                bars = bars_on(
                    facts.get(code, []),
                    row["grade"],
                    bool(row["blacklisted"]),
                    pack,
                    day,
                )
                answers[code] = row | {
                    "as_of": day,
                    "grade_label": pack.label(row["grade"]),
                    "eligible": not bars,
                    "recorded_at": None,
                }
        return answers

    def history(self, credit_code: str) -> list[dict[str, Any]]:
        """Return every grade segment of the enterprise, oldest first."""
        self.enterprise(credit_code)
        return self.view.grades.list_segments(credit_code)

    def explain(
        self, credit_code: str, day: date, cutoff: Cutoff | None = None
    ) -> Assessment:
        """Recompute the grade on the day with every record's part in it (with
        a cutoff, from the records known then, as `eligibility` does)."""
        with self.view.db.reading_together():
            enterprise = self.enterprise(credit_code)
            self._check_registered_by(enterprise, cutoff)
            pack = self._pack_in(enterprise["jurisdiction"], day)
            return assess(self.view.records.get_facts(credit_code, cutoff), pack, day)

    def eligibility(
        self, credit_code: str, day: date, cutoff: Cutoff | None = None
    ) -> Eligibility:
        """Grade and award eligibility on the day under the pack in force.

        With a cutoff, from the records known then: the "as recorded at" axis,
        what the service would have answered at that point in record time.
        """
        with self.view.db.reading_together():
            return self._eligibility(self.enterprise(credit_code), day, cutoff)

    def _eligibility(
        self, enterprise: dict[str, Any], day: date, cutoff: Cutoff | None
    ) -> Eligibility:
        self._check_registered_by(enterprise, cutoff)
        pack = self._pack_in(enterprise["jurisdiction"], day)
        facts = self.view.records.get_facts(enterprise["credit_code"], cutoff)
        return award_eligibility(facts, assess(facts, pack, day).standing, pack, day)

    @staticmethod
    def _check_registered_by(enterprise: dict[str, Any], cutoff: Cutoff | None) -> None:
        """Refuse (404) an enterprise registered after the cutoff's moment."""
        if cutoff and cutoff.recorded_at:
            registered_at = datetime.fromisoformat(enterprise["registered_at"])
            if registered_at > cutoff.recorded_at:
                raise EnterpriseNotFoundError(enterprise["credit_code"])

    def _kinds_needed(self, segment: dict[str, Any]) -> frozenset[str]:
        """Return the record kinds award eligibility under the segment's pack
        looks at (party organisation, flags): none for grade and lists only."""
        if not segment["pack_id"]:
            return frozenset()
        return record_kinds_needed(
            self.pack(segment["pack_id"], segment["pack_version"])
        )

    def _pack_in(self, jurisdiction: str, day: date) -> RulePack:
        pack = PackSchedule(jurisdiction, self.packs).pack_on(day)
        if pack is None:
            raise NoRulePackError(jurisdiction, day.isoformat())
        return pack

    def pack(self, pack_id: str, version: str) -> RulePack:
        """Return the loaded pack of that id and version."""
        return next(
            p for p in self.packs if (p.pack_id, p.version) == (pack_id, version)
        )
