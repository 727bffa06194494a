"""Rows the projector writes about each event: view rows, audit rows, feed items.

Each `put_*` function writes what one event type adds to the view and returns
the credit code of the enterprise it touched ("" when none, e.g. a manager).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.lifecycle import LIFECYCLE_EVENTS
from credit_svc.domain.project_manager import ProjectManager
from credit_svc.domain.record import ENVELOPE_FIELDS, MANAGER_KINDS, CreditRecord
from credit_svc.projections.codec import encode_facts
from credit_svc.projections.feed import GRADE_ITEM, RECORD_CHANGE_ITEM, RECORD_ITEM
from credit_svc.projections.views import GradeView


def put_enterprise(view: GradeView, cursor: Any, event: Any, _: int) -> str:
    """Add a registered enterprise."""
    view.put_enterprise(
        cursor,
        {
            "credit_code": event.credit_code,
            "name": event.name,
            "enterprise_id": str(event.originator_id),
            "jurisdiction": event.jurisdiction,
            "registered_at": event.timestamp.isoformat(),
        },
    )
    return str(event.credit_code)


def put_project(view: GradeView, cursor: Any, event: Any, _: int) -> str:
    """Add a project to its enterprise."""
    return view.put_project(
        cursor, str(event.originator_id), event.project_code, event.project_name
    )


def put_assignment(view: GradeView, cursor: Any, event: Any, position: int) -> str:
    """Add a manager's assignment to a project of the enterprise."""
    return view.put_assignment(
        cursor,
        str(event.originator_id),
        {
            "position": position,
            "project_code": event.project_code,
            "manager_id": str(event.manager_id),
            "starts_on": event.starts_on.isoformat(),
            "assigned_by": event.assigned_by,
        },
    )


def put_manager(view: GradeView, cursor: Any, event: Any, position: int) -> str:
    """Add a registered project manager; no enterprise is touched."""
    view.put_manager(
        cursor,
        {
            "manager_id": str(event.originator_id),
            "name": event.name,
            "jurisdiction": event.jurisdiction,
            "registered_at": event.timestamp.isoformat(),
            "position": position,
        },
    )
    return ""


def put_record(view: GradeView, cursor: Any, event: Any, position: int) -> str:
    """Add a record; index a record about a manager under the manager too."""
    record_id = str(event.originator_id)
    view.put_record(
        cursor,
        {
            "record_id": record_id,
            "credit_code": event.credit_code,
            "kind": event.kind,
            "business_date": event.business_date.isoformat(),
            "recorded_at": event.timestamp.isoformat(),
            "position": position,
            "facts": encode_facts(event.facts()),
        },
    )
    if event.kind in MANAGER_KINDS:
        view.put_manager_record(
            cursor,
            {
                "record_id": record_id,
                "manager_id": str(event.manager_id),
                "credit_code": event.credit_code,
                "position": position,
            },
        )
    return str(event.credit_code)


def put_change(view: GradeView, cursor: Any, event: Any, position: int) -> str:
    """Add a later event about a record (correction, objection, repair...)."""
    record_id = str(event.originator_id)
    credit_code = view.code_of_record(cursor, record_id)
    body = {k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS}
    view.put_change(
        cursor,
        {
            "position": position,
            "record_id": record_id,
            "credit_code": credit_code,
            "change_type": type(event).__name__,
            "recorded_at": event.timestamp.isoformat(),
            "body": encode_facts(body),
        },
    )
    return credit_code


Put = Callable[[GradeView, Any, Any, int], str]
PUT_FOR: Final[tuple[tuple[type | tuple[type, ...], Put], ...]] = (
    (Enterprise.Registered, put_enterprise),
    (Enterprise.ProjectAdded, put_project),
    (Enterprise.ManagerAssigned, put_assignment),
    (ProjectManager.Registered, put_manager),
    (CreditRecord.Recorded, put_record),
    (LIFECYCLE_EVENTS, put_change),
)


def put_event_rows(view: GradeView, cursor: Any, event: Any, position: int) -> str:
    """Write what the event adds to the view; return the credit code it touched."""
    put = next(put for types, put in PUT_FOR if isinstance(event, types))
    return put(view, cursor, event, position)


def record_item(position: int, credit_code: str, event: Any) -> dict[str, Any]:
    """Return the feed item announcing a new record or a change to one."""
    new = isinstance(event, CreditRecord.Recorded)
    return {
        "position": position,
        "item_type": RECORD_ITEM if new else RECORD_CHANGE_ITEM,
        "credit_code": credit_code,
        "record_id": str(event.originator_id),
    }


def grade_item(position: int, credit_code: str) -> dict[str, Any]:
    """Return the feed item announcing that an enterprise's grades changed."""
    return {"position": position, "item_type": GRADE_ITEM, "credit_code": credit_code}


RECORDERS = (
    *("authority", "registered_by", "added_by", "assigned_by"),
    *("filed_by", "applicant"),
)


def audit_row(event: Any, credit_code: str, position: int) -> dict[str, Any]:
    """Return the audit-history row of an event: what, when, by whom."""
    recorded_by = next(
        (getattr(event, name) for name in RECORDERS if getattr(event, name, "")), ""
    )
    return {
        "position": position,
        "credit_code": credit_code,
        "aggregate_id": str(event.originator_id),
        "aggregate_version": event.originator_version,
        "event_type": type(event).__qualname__,
        "recorded_at": event.timestamp.isoformat(),
        "recorded_by": recorded_by,
        "document_number": getattr(event, "document_number", ""),
        "acting_key": getattr(event, "acting_key", ""),  # see credit_svc.acting
    }
