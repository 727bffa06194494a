"""Domain errors: each maps to one HTTP status in credit_svc.api.errors."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain or application raises on purpose."""


class EnterpriseNotFoundError(DomainError):
    """No enterprise is registered under the credit code."""

    def __init__(self, credit_code: str) -> None:
        super().__init__(f"enterprise {credit_code} is not registered")


class EnterpriseAlreadyRegisteredError(DomainError):
    """The credit code is registered already."""

    def __init__(self, credit_code: str) -> None:
        super().__init__(f"enterprise {credit_code} is registered already")


class ProjectAlreadyAddedError(DomainError):
    """The project code is taken within the enterprise."""

    def __init__(self, project_code: str) -> None:
        super().__init__(f"project {project_code} is registered already")


class ManagerAlreadyAssignedError(DomainError):
    """The project has a manager assignment starting that day already."""

    def __init__(self, project_code: str, starts_on: object) -> None:
        super().__init__(
            f"project {project_code} has a manager assigned from {starts_on} already"
        )


class ProjectManagerNotFoundError(DomainError):
    """No project manager is registered under the id (or the ID number)."""

    def __init__(self, manager: object) -> None:
        super().__init__(f"project manager {manager} is not registered")


class ProjectManagerAlreadyRegisteredError(DomainError):
    """A project manager with the same ID number is registered already."""

    def __init__(self, manager_id: object) -> None:
        super().__init__(
            f"a project manager with this ID number is registered already "
            f"as {manager_id}"
        )
        self.manager_id = manager_id


class RecordAlreadyExistsError(DomainError):
    """A record with the same authority, document number and subject exists."""

    def __init__(self, record_id: object) -> None:
        super().__init__(f"this record exists already as {record_id}")
        self.record_id = record_id


class RecordNotFoundError(DomainError):
    """No record has the given id."""

    def __init__(self, record_id: object) -> None:
        super().__init__(f"record {record_id} not found")


class InvalidRecordError(DomainError):
    """The record contradicts what the service knows (e.g. an unknown project)."""


class NoRulePackError(DomainError):
    """No rule pack covers the jurisdiction on the date asked."""

    def __init__(self, jurisdiction: str, on: object) -> None:
        super().__init__(f"no rule pack covers jurisdiction {jurisdiction} on {on}")


class NotRecordingAuthorityError(DomainError):
    """Only the authority that recorded a record may correct or decide on it."""


class LifecycleConflictError(DomainError):
    """The record's state forbids the change (retracted, objection already open...)."""


class LifecycleRuleError(DomainError):
    """The change breaks a rule: a deadline passed, too early, nothing changed."""


class ProjectNotFoundError(DomainError):
    """No project (estate) is registered under the code."""

    def __init__(self, project_code: str) -> None:
        super().__init__(f"project {project_code} is not registered")


class ProjectAlreadyRegisteredError(DomainError):
    """The project code is registered already."""

    def __init__(self, project_code: str) -> None:
        super().__init__(f"project {project_code} is registered already")


class ReportNotFoundError(DomainError):
    """No credit report was issued under the number."""

    def __init__(self, report_number: str) -> None:
        super().__init__(f"no credit report was issued under {report_number}")


class ReportTermsMissingError(DomainError):
    """No validity term is in force for reports issued on the day."""

    def __init__(self, day: str) -> None:
        super().__init__(
            f"no credit-report term is in force on {day}: add one to "
            "rulepacks/reports/terms.yaml"
        )


class StatisticsNotPublishedError(DomainError):
    """No statistics report was published for the jurisdiction and period."""

    def __init__(self, jurisdiction: str, period: str) -> None:
        super().__init__(f"no statistics of {jurisdiction} for {period} were published")


class BoardIssueNotFoundError(DomainError):
    """No board was issued under the jurisdiction, board and period."""

    def __init__(self, which: str) -> None:
        super().__init__(f"no board was issued as {which}")


class DrawNotFoundError(DomainError):
    """No draw was made for the jurisdiction and period."""

    def __init__(self, jurisdiction: str, period: str) -> None:
        super().__init__(f"no draw of {jurisdiction} for {period} was made")
