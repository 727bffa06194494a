"""Whether a record's life may take a step: each function checks its rule, then
triggers the event (see lifecycle.py); nothing is ever rewritten. Dates come
in as parameters: the domain has no clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from credit_svc.domain.errors import (
    LifecycleConflictError,
    LifecycleRuleError,
    NotRecordingAuthorityError,
)
from credit_svc.domain.lifecycle import (
    Corrected,
    Lifted,
    ObjectionFiled,
    ObjectionResolved,
    Rectified,
    RepairApplied,
    RepairDecided,
    Retracted,
)
from credit_svc.domain.record import BAD_KINDS, LIST_KINDS, CreditRecord
from credit_svc.domain.vocabulary import LISTING_FLAGS


def by_its_authority(record: CreditRecord, authority: str) -> None:
    """Refuse a decision by anyone but the authority that recorded the record."""
    if record.facts["authority"] != authority:
        msg = (
            f"only {record.facts['authority']}, which recorded it, may change "
            f"this record; not {authority}"
        )
        raise NotRecordingAuthorityError(msg)
    still_active(record)


def still_active(record: CreditRecord) -> None:
    """Refuse any change to a retracted record."""
    if record.state.retracted:
        raise LifecycleConflictError(f"record {record.id} was retracted")


def correct(record: CreditRecord, changes: dict[str, Any], **decision: str) -> None:
    """Correct facts of the record (already validated as a whole by the caller)."""
    by_its_authority(record, decision["authority"])
    changed = {k: v for k, v in changes.items() if record.facts.get(k) != v}
    if not changed:
        raise LifecycleRuleError("the correction changes nothing")
    record.trigger_event(Corrected, changes=changed, **decision)


def retract(record: CreditRecord, **decision: str) -> None:
    """Withdraw the record."""
    by_its_authority(record, decision["authority"])
    record.trigger_event(Retracted, **decision)


def file_objection(
    record: CreditRecord, filed_on: date, deadline: date, **objection: Any
) -> None:
    """Object to the record, on or before the deadline, once."""
    still_active(record)
    if record.state.objection is not None:
        raise LifecycleConflictError(
            f"record {record.id} already has an objection ({record.state.objection})"
        )
    if filed_on > deadline:
        msg = f"the objection window closed on {deadline.isoformat()}"
        raise LifecycleRuleError(msg)
    record.trigger_event(ObjectionFiled, filed_on=filed_on, **objection)


def objection_deadline(published_on: date, window_days: int) -> date:
    """Return the last day an objection may be filed."""
    return published_on + timedelta(days=window_days)


def resolve_objection(
    record: CreditRecord, outcome: str, resolved_on: date, **decision: str
) -> None:
    """Close the open objection as upheld or rejected."""
    by_its_authority(record, decision["authority"])
    if record.state.objection != "open":
        raise LifecycleConflictError(f"record {record.id} has no open objection")
    record.trigger_event(
        ObjectionResolved, outcome=outcome, resolved_on=resolved_on, **decision
    )


def apply_for_repair(
    record: CreditRecord, applied_on: date, repair_from: date, **application: Any
) -> None:
    """Apply for repair once the minimum disclosure period has passed."""
    still_active(record)
    if record.state.repair in ("applied", "granted"):
        raise LifecycleConflictError(
            f"record {record.id} has a repair {record.state.repair} already"
        )
    if applied_on < repair_from:
        msg = (
            "the minimum disclosure period has not passed: repair may be "
            f"applied for from {repair_from.isoformat()}"
        )
        raise LifecycleRuleError(msg)
    record.trigger_event(RepairApplied, applied_on=applied_on, **application)


def decide_repair(
    record: CreditRecord, outcome: str, decided_on: date, **decision: str
) -> None:
    """Grant or refuse the pending repair application."""
    by_its_authority(record, decision["authority"])
    if record.state.repair != "applied":
        raise LifecycleConflictError(f"record {record.id} has no pending repair")
    assert record.state.applied_on is not None  # set with "applied"
    if decided_on < record.state.applied_on:
        msg = f"a decision cannot precede the application ({record.state.applied_on})"
        raise LifecycleRuleError(msg)
    record.trigger_event(
        RepairDecided, outcome=outcome, decided_on=decided_on, **decision
    )


def lift(record: CreditRecord, lifted_on: date, **decision: str) -> None:
    """Lift a list entry early, once, not before it began; or take a firm off
    another department's list (移出): a bad-credit record with its flag."""
    by_its_authority(record, decision["authority"])
    listed = record.kind == "bad_credit" and any(
        flag in LISTING_FLAGS for flag in record.facts.get("flags") or ()
    )
    if record.kind not in LIST_KINDS and not listed:
        raise LifecycleRuleError(
            "only list entries and other departments' listings can be lifted"
        )
    if record.state.lifted_on is not None:
        raise LifecycleConflictError(f"record {record.id} was lifted already")
    if lifted_on < record.facts["business_date"]:
        raise LifecycleRuleError("an entry cannot be lifted before it began")
    record.trigger_event(Lifted, lifted_on=lifted_on, **decision)


def confirm_rectification(
    record: CreditRecord, rectified_on: date, **decision: str
) -> None:
    """Confirm, once, that a record's problem was put right on a day: a bad
    record's, or one's with a rectification deadline (限期整改).

    Under a pack whose validity runs until rectification for the record's
    severity, the record stops counting from that day (see effect.end_of); an
    overdue rectification's consequence ends then (domain/rectification.py).
    """
    by_its_authority(record, decision["authority"])
    deadline = record.facts.get("rectification_deadline")
    if record.kind not in BAD_KINDS and deadline is None:
        raise LifecycleRuleError(
            "only bad-credit records and records with a rectification deadline "
            "are rectified"
        )
    if record.state.rectified_on is not None:
        raise LifecycleConflictError(f"record {record.id} was rectified already")
    if rectified_on < record.facts["business_date"]:
        raise LifecycleRuleError("a problem cannot be rectified before it was found")
    record.trigger_event(Rectified, rectified_on=rectified_on, **decision)
