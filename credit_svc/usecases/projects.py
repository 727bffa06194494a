"""Projects (estates) as subjects: register them, state their facts, record
who manages them, and hear objections to their star ratings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.errors import (
    ProjectAlreadyRegisteredError,
    ProjectNotFoundError,
)
from credit_svc.domain.project import Project, project_id
from credit_svc.usecases.application import CreditService


class ProjectRegister:
    """The use cases that append a project's events."""

    def __init__(self, app: CreditService) -> None:
        self.app = app

    def register(
        self, details: dict[str, Any], facts: dict[str, Any], effective_on: date | None
    ) -> Project:
        """Register an estate, with the facts known of it from a day."""
        project = Project(**details)
        if facts:
            assert effective_on is not None  # the schema asks for it with facts
            project.state_facts(effective_on, facts, details["registered_by"])
        try:
            self.app.save(project)
        except IntegrityError:
            raise ProjectAlreadyRegisteredError(details["project_code"]) from None
        return project

    def get(self, project_code: str) -> Project:
        """Return the project as it stands now."""
        try:
            project: Project = self.app._get(project_id(project_code))
        except AggregateNotFoundError:
            raise ProjectNotFoundError(project_code) from None
        if not isinstance(project, Project):
            raise ProjectNotFoundError(project_code)
        return project

    def state_facts(
        self, project_code: str, effective_on: date, facts: dict[str, Any], by: str
    ) -> Project:
        """Record facts of the estate holding from a day."""
        return self._change(
            project_code, lambda p: p.state_facts(effective_on, facts, by)
        )

    def start_management(
        self, project_code: str, credit_code: str, starts_on: date, **details: Any
    ) -> Project:
        """Put a registered firm in charge of the estate from a day.

        The firm's register lists the project too (ProjectAdded), in the same
        append, so records about the firm may name it.
        """

        def also(project: Project) -> list[Any]:
            enterprise: Enterprise = self.app.get_enterprise(credit_code)
            if project_code in enterprise.projects:
                return []
            enterprise.add_project(project_code, project.name, details["recorded_by"])
            return [enterprise]

        return self._change(
            project_code,
            lambda p: p.start_management(credit_code, starts_on, **details),
            also,
        )

    def end_management(
        self, project_code: str, credit_code: str, ends_on: date, **details: Any
    ) -> Project:
        """End a firm's management of the estate."""
        return self._change(
            project_code, lambda p: p.end_management(credit_code, ends_on, **details)
        )

    def object_to_rating(self, project_code: str, year: int, **details: Any) -> Project:
        """Open an objection to a year's star rating."""
        return self._change(project_code, lambda p: p.object_to_rating(year, **details))

    def decide_objection(self, project_code: str, year: int, **details: Any) -> Project:
        """Decide the open objection to a year's star rating."""
        return self._change(project_code, lambda p: p.decide_objection(year, **details))

    def _change(
        self,
        project_code: str,
        change: Callable[[Project], None],
        also: Callable[[Project], list[Any]] | None = None,
    ) -> Project:
        """Apply a change to the project as it stands and append it (see
        CreditService.change_retrying)."""
        what = f"project {project_code}"
        return self.app.change_retrying(
            lambda: self.get(project_code), change, what, also
        )[0]
