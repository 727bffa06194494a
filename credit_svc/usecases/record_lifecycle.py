"""Use cases of a record's life: each loads the record, checks, appends an event.

The rules that need data (the objection window of the pack in force, the
disclosure period of the record's severity) are looked up here and handed to
the pure functions in domain/lifecycle_rules.py with the dates.
"""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Any
from uuid import UUID

from credit_svc.domain import lifecycle_rules as lifecycle
from credit_svc.domain.errors import LifecycleRuleError, NoRulePackError
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record import CreditRecord
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.usecases.application import CreditService

IDENTITY_FIELDS = frozenset({"authority", "document_number", "credit_code"})


class RecordLifecycle:
    """Corrections, retractions, objections, repair, lifting and rectification."""

    def __init__(self, app: CreditService, packs: list[RulePack], zone: tzinfo) -> None:
        self.app, self.packs, self.zone = app, packs, zone

    def correct(
        self, record_id: UUID, changes: dict[str, Any], decision: dict[str, str]
    ) -> tuple[CreditRecord, int]:
        """Correct facts of a record; `changes` are validated against its kind."""
        return self.app.change_record(
            record_id, lambda r: lifecycle.correct(r, changes, **decision)
        )

    def retract(
        self, record_id: UUID, decision: dict[str, str]
    ) -> tuple[CreditRecord, int]:
        """Withdraw a record."""
        return self.app.change_record(
            record_id, lambda r: lifecycle.retract(r, **decision)
        )

    def file_objection(
        self, record_id: UUID, filed_on: date, objection: dict[str, Any]
    ) -> tuple[CreditRecord, int]:
        """Object to a record within the window of the pack in force."""

        def file(record: CreditRecord) -> None:
            published_on = record.recorded_at.astimezone(self.zone).date()
            window = self._pack_for(record, published_on).objection_window_days
            deadline = lifecycle.objection_deadline(published_on, window)
            lifecycle.file_objection(record, filed_on, deadline, **objection)

        return self.app.change_record(record_id, file)

    def resolve_objection(
        self, record_id: UUID, outcome: str, resolved_on: date, decision: dict[str, Any]
    ) -> tuple[CreditRecord, int]:
        """Close an objection; an upheld one retracts or corrects in the same append."""
        action, changes = decision.pop("action", None), decision.pop("changes", None)

        def resolve(record: CreditRecord) -> None:
            lifecycle.resolve_objection(record, outcome, resolved_on, **decision)
            if action == "retract":
                lifecycle.retract(record, **decision)
            elif action == "correct":
                lifecycle.correct(record, changes or {}, **decision)

        return self.app.change_record(record_id, resolve)

    def apply_for_repair(
        self, record_id: UUID, applied_on: date, application: dict[str, Any]
    ) -> tuple[CreditRecord, int]:
        """Apply for repair once the record's minimum disclosure period passed."""

        def apply(record: CreditRecord) -> None:
            fact = _fact_of(record)
            pack = self._pack_for(record, fact.business_date)
            window = pack.disclosure.window_of(fact)
            if window is None:
                msg = "credit repair applies to bad-credit records with a severity"
                raise LifecycleRuleError(msg)
            lifecycle.apply_for_repair(
                record, applied_on, window.repair_from, **application
            )

        return self.app.change_record(record_id, apply)

    def decide_repair(
        self, record_id: UUID, outcome: str, decided_on: date, decision: dict[str, str]
    ) -> tuple[CreditRecord, int]:
        """Grant or refuse a pending repair."""
        return self.app.change_record(
            record_id,
            lambda r: lifecycle.decide_repair(r, outcome, decided_on, **decision),
        )

    def lift(
        self, record_id: UUID, lifted_on: date, decision: dict[str, str]
    ) -> tuple[CreditRecord, int]:
        """Lift a list entry before its term ends."""
        return self.app.change_record(
            record_id, lambda r: lifecycle.lift(r, lifted_on, **decision)
        )

    def confirm_rectification(
        self, record_id: UUID, rectified_on: date, decision: dict[str, str]
    ) -> tuple[CreditRecord, int]:
        """Confirm a bad record's problem was put right."""
        return self.app.change_record(
            record_id,
            lambda r: lifecycle.confirm_rectification(r, rectified_on, **decision),
        )

    def _pack_for(self, record: CreditRecord, day: date) -> RulePack:
        jurisdiction = self.app.jurisdiction_of(record.facts["credit_code"])
        pack = PackSchedule(jurisdiction, self.packs).pack_on(day)
        if pack is None:
            raise NoRulePackError(jurisdiction, day)
        return pack


def _fact_of(record: CreditRecord) -> RecordFact:
    facts = record.facts
    return RecordFact(
        str(record.id), record.kind, facts["business_date"], facts["term_months"], facts
    )
