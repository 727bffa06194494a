"""The Enterprise aggregate: a registered property-service firm and its projects."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from credit_svc.domain.credit_code import enterprise_id
from credit_svc.domain.errors import (
    InvalidRecordError,
    ManagerAlreadyAssignedError,
    ProjectAlreadyAddedError,
)


class Enterprise(Aggregate):
    """A property-service enterprise, keyed by its unified social credit code."""

    class Registered(Aggregate.Created):
        """The enterprise was entered in the register of a jurisdiction."""

        class_version = 1
        credit_code: str
        name: str
        jurisdiction: str
        registered_by: str

    class ProjectAdded(Aggregate.Event):
        """The enterprise took on a property-service project (物业服务项目)."""

        class_version = 1
        project_code: str
        project_name: str
        added_by: str

    class ManagerAssigned(Aggregate.Event):
        """A project manager (项目负责人) took charge of a project from a date."""

        class_version = 1
        project_code: str
        manager_id: UUID
        starts_on: date
        assigned_by: str

    @staticmethod
    def create_id(credit_code: str, **_: Any) -> UUID:
        """Key enterprises by their credit code, so a code registers only once."""
        return enterprise_id(credit_code)

    @event(Registered)
    def __init__(
        self, credit_code: str, name: str, jurisdiction: str, registered_by: str
    ) -> None:
        self.credit_code = credit_code
        self.name = name
        self.jurisdiction = jurisdiction
        self.registered_by = registered_by
        self.projects: dict[str, str] = {}
        # project code -> {starts_on: manager id}; each runs until the next start
        self.managers: dict[str, dict[date, UUID]] = {}

    def add_project(self, project_code: str, project_name: str, added_by: str) -> None:
        """Add a project, refusing a code the enterprise uses already."""
        if project_code in self.projects:
            raise ProjectAlreadyAddedError(project_code)
        self._add_project(project_code, project_name, added_by)

    @event(ProjectAdded)
    def _add_project(
        self,
        project_code: str,
        project_name: str,
        added_by: str,  # noqa: ARG002 (the event records it; the state needs it not)
    ) -> None:
        self.projects[project_code] = project_name

    def assign_manager(
        self, project_code: str, manager_id: UUID, starts_on: date, assigned_by: str
    ) -> None:
        """Put a manager in charge of a project from a day, one start per day."""
        if project_code not in self.projects:
            msg = f"project {project_code} is not a project of {self.credit_code}"
            raise InvalidRecordError(msg)
        if starts_on in self.managers.get(project_code, {}):
            raise ManagerAlreadyAssignedError(project_code, starts_on)
        self._assign_manager(project_code, manager_id, starts_on, assigned_by)

    def manager_on(self, project_code: str, day: date) -> UUID | None:
        """Return who ran the project on the day: the latest start by then."""
        starts = self.managers.get(project_code, {})
        latest = max((start for start in starts if start <= day), default=None)
        return None if latest is None else starts[latest]

    def was_run_by(self, manager_id: UUID, day: date, project_code: str = "") -> bool:
        """Tell whether the manager ran the project (any project if none is
        named) of this enterprise on the day."""
        projects = [project_code] if project_code else list(self.managers)
        return any(self.manager_on(p, day) == manager_id for p in projects)

    @event(ManagerAssigned)
    def _assign_manager(
        self,
        project_code: str,
        manager_id: UUID,
        starts_on: date,
        assigned_by: str,  # noqa: ARG002 (the event records it)
    ) -> None:
        self.managers.setdefault(project_code, {})[starts_on] = manager_id
