"""Importing other departments' lists: every line checked first, a report per
line, nothing written when any line is bad, lines already recorded skipped,
and removals (移出) lifting the listings they end; all in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eventsourcing.persistence import IntegrityError

from credit_svc.domain import lifecycle_rules as lifecycle
from credit_svc.domain.department_lists import DepartmentList, LineError, read_line
from credit_svc.domain.errors import (
    DomainError,
    EnterpriseNotFoundError,
    LifecycleConflictError,
    RecordNotFoundError,
)
from credit_svc.domain.record import BadCreditRecorded, CreditRecord
from credit_svc.usecases.application import CreditService


@dataclass
class ListImportPlan:
    """What a file would write, what it skips, and what is wrong with it."""

    listings: list[CreditRecord] = field(default_factory=list)
    removals: list[CreditRecord] = field(default_factory=list)  # with Lifted
    skipped: int = 0
    errors: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass(frozen=True)
class Importer:
    """Who imports: the authority every line must be decided by (None: any,
    as a bureau or an operator hands on what it received) and the divisions
    its firms must be in."""

    authority: str | None = None
    covers: Callable[[str], bool] = lambda _: True


class DepartmentListImport:
    """Plans and applies the import of one department's list."""

    def __init__(self, app: CreditService) -> None:
        self.app = app

    def plan(
        self,
        department_list: DepartmentList,
        lines: Iterable[tuple[int, Mapping[str, Any]]],
        importer: Importer,
        today: date,
    ) -> ListImportPlan:
        """Check every line; return the records and removals it would write."""
        plan = ListImportPlan()
        seen: dict[Any, CreditRecord] = {}
        for number, line in lines:
            try:
                read = read_line(department_list, number, line, today)
                self._check_subject(department_list, read.facts, importer)
            except LineError as error:
                plan.errors.append((number, error.messages))
                continue
            record = CreditRecord.record(BadCreditRecorded, read.facts)
            stored, known = self._known(record, seen)
            if not known:
                seen[record.id] = record
                plan.listings.append(record)
            if read.removal is None:
                plan.skipped += known
                continue
            removal = read.removal
            try:
                lifecycle.lift(
                    stored,
                    removal.removed_on,
                    authority=removal.authority,
                    document_number=f"移出{removal.removed_on.isoformat()}",
                    reason=removal.reason or "移出",
                )
            except LifecycleConflictError:  # removed before: nothing to do
                plan.skipped += 1
                continue
            except DomainError as error:
                plan.errors.append((number, {"移出": str(error)}))
                continue
            if stored.id not in seen:  # stored before this file: saved again
                plan.removals.append(stored)
                seen[stored.id] = stored
        return plan

    def apply(self, plan: ListImportPlan) -> int:
        """Write every planned listing and removal in one transaction; return
        the log's position after them."""
        changed = [*plan.listings, *plan.removals]
        if not changed:
            return int(self.app.recorder.max_notification_id() or 0)
        try:
            recordings = self.app.save(*changed)
        except IntegrityError:
            msg = "some of these lines were recorded meanwhile; nothing was imported"
            raise ValueError(msg) from None
        return recordings[-1].notification.id

    def _known(
        self, record: CreditRecord, seen: Mapping[Any, CreditRecord]
    ) -> tuple[CreditRecord, bool]:
        """Return the record as stored (or met earlier in the file) and True,
        or the new one and False."""
        if record.id in seen:
            return seen[record.id], True
        try:
            return self.app.get_record(record.id), True
        except RecordNotFoundError:
            return record, False

    def _check_subject(
        self,
        department_list: DepartmentList,
        facts: Mapping[str, Any],
        importer: Importer,
    ) -> None:
        columns = department_list.columns
        errors = {}
        try:
            jurisdiction = self.app.jurisdiction_of(facts["credit_code"])
        except EnterpriseNotFoundError:
            errors[columns["credit_code"]] = "企业未登记 · enterprise is not registered"
        else:
            if not importer.covers(jurisdiction):
                errors[columns["credit_code"]] = (
                    f"行政区划 {jurisdiction} 不在此密钥的范围内 · "
                    "outside this key's jurisdictions"
                )
        if importer.authority is not None and facts["authority"] != importer.authority:
            errors[columns["authority"]] = (
                f"此密钥以「{importer.authority}」名义导入 · "
                f"this key imports as {importer.authority}"
            )
        if errors:
            raise LineError(errors)
