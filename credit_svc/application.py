"""CreditService: the use cases that append facts to the event store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from credit_svc.domain.credit_code import enterprise_id
from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.errors import (
    EnterpriseAlreadyRegisteredError,
    EnterpriseNotFoundError,
    InvalidRecordError,
    LifecycleConflictError,
    RecordAlreadyExistsError,
    RecordNotFoundError,
)
from credit_svc.domain.record import RECORDED_EVENTS, CreditRecord, record_id_for
from credit_svc.persistence import DateAsISO


class CreditService(Application[UUID]):
    """Append-only register of enterprises and the records about them."""

    name = "credit_svc"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add business dates to the library's transcodings."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def register_enterprise(
        self, details: dict[str, Any], projects: dict[str, str], registered_by: str
    ) -> Enterprise:
        """Register an enterprise with its first projects, all in one append."""
        enterprise = Enterprise(registered_by=registered_by, **details)
        for code, name in projects.items():
            enterprise.add_project(code, name, registered_by)
        try:
            self.save(enterprise)
        except IntegrityError:
            raise EnterpriseAlreadyRegisteredError(details["credit_code"]) from None
        return enterprise

    def add_project(
        self, credit_code: str, project_code: str, project_name: str, added_by: str
    ) -> Enterprise:
        """Add a project to a registered enterprise."""
        enterprise = self.get_enterprise(credit_code)
        enterprise.add_project(project_code, project_name, added_by)
        self.save(enterprise)
        return enterprise

    def get_enterprise(self, credit_code: str) -> Enterprise:
        """Return the enterprise registered under the code."""
        try:
            enterprise: Enterprise = self.repository.get(enterprise_id(credit_code))
        except AggregateNotFoundError:
            raise EnterpriseNotFoundError(credit_code) from None
        return enterprise

    def record(self, kind: str, facts: dict[str, Any]) -> tuple[CreditRecord, int]:
        """Append a record about a registered enterprise; return it and its position."""
        enterprise = self.get_enterprise(facts["credit_code"])
        project = facts["project_code"]
        if project and project not in enterprise.projects:
            msg = f"project {project} is not a project of {enterprise.credit_code}"
            raise InvalidRecordError(msg)
        record = CreditRecord.record(RECORDED_EVENTS[kind], facts)
        try:
            recordings = self.save(record)
        except IntegrityError:
            raise RecordAlreadyExistsError(record_id_for(kind, facts)) from None
        return record, recordings[-1].notification.id

    def get_record(self, record_id: UUID) -> CreditRecord:
        """Return the record with the id."""
        try:
            record: CreditRecord = self.repository.get(record_id)
        except AggregateNotFoundError:
            raise RecordNotFoundError(record_id) from None
        if not isinstance(record, CreditRecord):
            raise RecordNotFoundError(record_id)
        return record

    def change_record(
        self, record_id: UUID, change: Callable[[CreditRecord], None]
    ) -> tuple[CreditRecord, int]:
        """Apply a lifecycle change to a record and append its event(s).

        Two changes racing on one record cannot both win: the second append
        fails on the record's version and is answered 409, to be retried.
        """
        record = self.get_record(record_id)
        change(record)
        try:
            recordings = self.save(record)
        except IntegrityError:
            msg = f"record {record_id} changed meanwhile; read it again and retry"
            raise LifecycleConflictError(msg) from None
        return record, recordings[-1].notification.id
