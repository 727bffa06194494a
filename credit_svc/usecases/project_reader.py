"""Project answers: an estate's standing on a day, on both time axes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from credit_svc.domain.errors import DomainError, NoRulePackError, ProjectNotFoundError
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.project import project_id
from credit_svc.domain.project_file import ProjectFile, project_file
from credit_svc.domain.project_standing import (
    assess_project,
    demonstration_bars,
    ratings,
)
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.domain.working_days import WorkingDays
from credit_svc.projections.cutoff import Cutoff
from credit_svc.usecases.application import CreditService
from credit_svc.usecases.grade_reader import GradeReader


class ProjectReader:
    """Reads a project's events from the log and its records from the view."""

    def __init__(
        self,
        app: CreditService,
        grades: GradeReader,
        packs: Sequence[RulePack],
        calendar: WorkingDays,
    ) -> None:
        self.app = app
        self.grades = grades
        self.packs = packs
        self.calendar = calendar
        # A reader lives for one request: a firm's records and list status
        # are read once for all of its projects (of_enterprise asks for each).
        self._records: dict[tuple[str, Cutoff | None], list[RecordFact]] = {}
        self._blacklisted: dict[tuple[str, date, Cutoff | None], bool] = {}

    def file(self, project_code: str, cutoff: Cutoff | None = None) -> ProjectFile:
        """Return the project's file as known at the cutoff (now, without one)."""
        events: list[Any] = list(
            self.app.repository.event_store.get(project_id(project_code))
        )
        recorded_at = cutoff.recorded_at if cutoff else None
        if not events or (recorded_at and events[0].timestamp > recorded_at):
            raise ProjectNotFoundError(project_code)
        return project_file(events, recorded_at)

    def facts(
        self, file: ProjectFile, cutoff: Cutoff | None = None
    ) -> list[RecordFact]:
        """Return the records naming the project, of every firm that managed it."""
        found = []
        for code in file.firms():
            found += [
                f
                for f in self._records_of(code, cutoff)
                if f.get("project_code") == file.project_code
            ]
        return sorted(found, key=lambda f: f.business_date)

    def standing(
        self, project_code: str, day: date, cutoff: Cutoff | None = None
    ) -> dict[str, Any]:
        """Return the project's standing on the day, with every record's part."""
        file = self.file(project_code, cutoff)
        pack = PackSchedule(file.jurisdiction, self.packs).pack_on(day)
        if pack is None:
            raise NoRulePackError(file.jurisdiction, day.isoformat())
        facts = self.facts(file, cutoff)
        assessment = assess_project(facts, pack, day)
        period = file.period_on(day)
        firm_blacklisted = period is not None and self._firm_blacklisted(
            period.credit_code, day, cutoff
        )
        bars = demonstration_bars(file, facts, assessment, firm_blacklisted, pack)
        found = ratings(file, facts, pack, day, self.calendar)
        in_force = next((r for r in found if r.state == "in_force"), None)
        return {
            "project_code": file.project_code,
            "name": file.name,
            "jurisdiction": file.jurisdiction,
            "as_of": day,
            "recorded_at": cutoff.recorded_at if cutoff else None,
            "managed_by": period,
            "periods": file.periods,
            "facts": file.facts_on(day),
            "pack": pack,
            "assessment": assessment,
            "stars": in_force.stars if in_force else None,
            "ratings": found,
            "demonstration": {"eligible": not bars, "bars": bars},
        }

    def standings(
        self, project_codes: Sequence[str], day: date, cutoff: Cutoff | None = None
    ) -> dict[str, dict[str, Any] | DomainError]:
        """Return each project's standing, or why there is none."""
        answers: dict[str, dict[str, Any] | DomainError] = {}
        for code in project_codes:
            try:
                answers[code] = self.standing(code, day, cutoff)
            except (ProjectNotFoundError, NoRulePackError) as error:
                answers[code] = error
        return answers

    def of_enterprise(self, credit_code: str, day: date) -> list[dict[str, Any]]:
        """Return the firm's projects, each with its board and stars on the day:
        a registered estate's from its own standing, another's from the
        firm's records naming it."""
        enterprise = self.grades.enterprise(credit_code)
        pack = PackSchedule(enterprise["jurisdiction"], self.packs).pack_on(day)
        facts = self._records_of(credit_code, None) if pack else []
        summaries = []
        for code, name in enterprise["projects"].items():
            summary = {"code": code, "name": name, "registered": True}
            try:
                found = self.standing(code, day)
                assessment, stars = found["assessment"], found["stars"]
            except (ProjectNotFoundError, NoRulePackError):
                if pack is None:
                    summaries.append(summary | {"registered": False})
                    continue
                mine = [f for f in facts if f.get("project_code") == code]
                assessment, stars = assess_project(mine, pack, day), None
                summary["registered"] = False
            summaries.append(
                summary
                | {
                    "board": assessment.board,
                    "blacklisted": assessment.blacklisted,
                    "stars": stars,
                }
            )
        return summaries

    def _records_of(self, credit_code: str, cutoff: Cutoff | None) -> list[RecordFact]:
        if (credit_code, cutoff) not in self._records:
            found = self.grades.view.records.get_facts(credit_code, cutoff)
            self._records[credit_code, cutoff] = found
        return self._records[credit_code, cutoff]

    def _firm_blacklisted(
        self, credit_code: str, day: date, cutoff: Cutoff | None
    ) -> bool:
        key = (credit_code, day, cutoff)
        if key not in self._blacklisted:
            try:
                standing = self.grades.eligibility(credit_code, day, cutoff).standing
                self._blacklisted[key] = standing.blacklisted
            except DomainError:  # no grade: nothing says the firm is listed
                self._blacklisted[key] = False
        return self._blacklisted[key]
