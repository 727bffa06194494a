"""The projector's handler of each event type: the rows it adds, and where.

For each event type a `*_rows` function reads what the event adds to the view
(from the event alone, so a rebuild's worker processes can make them), and a
`store_*` function writes them to the view's stores, looking up what the
event does not say (whose record a correction is about). HANDLERS lists the
pairs by event type; `rows_of` and `put_event_rows` dispatch on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, NamedTuple

from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.lifecycle import LIFECYCLE_EVENTS
from credit_svc.domain.project_manager import ProjectManager
from credit_svc.domain.record import ENVELOPE_FIELDS, MANAGER_KINDS, CreditRecord
from credit_svc.projections.codec import encode_facts
from credit_svc.projections.view import GradeView


class EventRows(NamedTuple):
    """What one event adds to the view, read from the event alone.

    Making them needs no view, so a long rebuild has worker processes make
    them while it writes (see shadow_build.py); `put_event_rows` writes them.
    """

    position: int
    kind: str  # what to store: a key of STORE_FOR
    payload: Any
    audit: tuple[Any, ...]  # the audit row after its position and credit code


class Stamp(NamedTuple):
    """An event's subject and record time as text, worked out once per event:
    its rows and its audit row both hold them (a rebuild makes them for every
    event, and a UUID's text alone costs more than a dictionary)."""

    subject: str  # the originator's ID
    at: str  # the event's timestamp


def enterprise_rows(event: Any, _position: int, stamp: Stamp) -> Any:
    """Return a registered enterprise's row."""
    return {
        "credit_code": event.credit_code,
        "name": event.name,
        "enterprise_id": stamp.subject,
        "jurisdiction": event.jurisdiction,
        "registered_at": stamp.at,
    }


def project_rows(event: Any, _position: int, stamp: Stamp) -> Any:
    """Return the enterprise a project is added to, with the project."""
    return stamp.subject, event.project_code, event.project_name


def assignment_rows(event: Any, position: int, stamp: Stamp) -> Any:
    """Return the enterprise of a manager's assignment, with the assignment."""
    return stamp.subject, {
        "position": position,
        "project_code": event.project_code,
        "manager_id": str(event.manager_id),
        "starts_on": event.starts_on.isoformat(),
        "assigned_by": event.assigned_by,
    }


def manager_rows(event: Any, position: int, stamp: Stamp) -> Any:
    """Return a registered project manager's row."""
    return {
        "manager_id": stamp.subject,
        "name": event.name,
        "jurisdiction": event.jurisdiction,
        "registered_at": stamp.at,
        "position": position,
    }


def record_rows(event: Any, position: int, stamp: Stamp) -> Any:
    """Return a record's row, and the manager it is about (if it is)."""
    row = {
        "record_id": stamp.subject,
        "credit_code": event.credit_code,
        "kind": event.kind,
        "business_date": event.business_date.isoformat(),
        "recorded_at": stamp.at,
        "position": position,
        "facts": encode_facts(event.facts()),
    }
    return row, str(event.manager_id) if event.kind in MANAGER_KINDS else ""


def change_rows(event: Any, position: int, stamp: Stamp) -> Any:
    """Return a later event about a record (correction, objection, repair...)."""
    body = {k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS}
    return {
        "position": position,
        "record_id": stamp.subject,
        "change_type": type(event).__name__,
        "recorded_at": stamp.at,
        "body": encode_facts(body),
    }


Rows = Callable[[Any, int, Stamp], Any]
ROWS_FOR: Final[tuple[tuple[type | tuple[type, ...], str, Rows], ...]] = (
    (Enterprise.Registered, "enterprise", enterprise_rows),
    (Enterprise.ProjectAdded, "project", project_rows),
    (Enterprise.ManagerAssigned, "assignment", assignment_rows),
    (ProjectManager.Registered, "manager", manager_rows),
    (CreditRecord.Recorded, "record", record_rows),
    (LIFECYCLE_EVENTS, "change", change_rows),
)


def rows_of(event: Any, position: int) -> EventRows:
    """Return what the event adds to the view, and its audit row."""
    kind, rows = _rows_for(type(event))
    stamp = Stamp(str(event.originator_id), event.timestamp.isoformat())
    return EventRows(
        position, kind, rows(event, position, stamp), audit_of(event, stamp)
    )


# Found once per event type: a rebuild asks for every event.
_ROWS_BY_TYPE: dict[type, tuple[str, Rows]] = {}


def _rows_for(event_type: type) -> tuple[str, Rows]:
    """Return what to store for events of the type, and how to make its rows."""
    found = _ROWS_BY_TYPE.get(event_type)
    if found is None:
        found = next((k, r) for ts, k, r in ROWS_FOR if issubclass(event_type, ts))
        _ROWS_BY_TYPE[event_type] = found
    return found


RECORDERS = (
    *("authority", "registered_by", "added_by", "assigned_by"),
    *("filed_by", "applicant"),
)


def audit_of(event: Any, stamp: Stamp) -> tuple[Any, ...]:
    """Return the audit-history row of an event (what, when, by whom), without
    its position and credit code, which the row starts with."""
    attributes = event.__dict__
    recorded_by = next(filter(None, map(attributes.get, RECORDERS)), "")
    return (
        stamp.subject,
        event.originator_version,
        type(event).__qualname__,
        stamp.at,
        recorded_by,
        attributes.get("document_number", ""),
        attributes.get("acting_key", ""),  # see credit_svc.adapters.acting
    )


def store_enterprise(view: GradeView, cursor: Any, row: Any) -> str:
    """Add a registered enterprise."""
    view.grades.put_enterprise(cursor, row)
    return str(row["credit_code"])


def store_project(view: GradeView, cursor: Any, project: Any) -> str:
    """Add a project to its enterprise."""
    return view.grades.put_project(cursor, *project)


def store_assignment(view: GradeView, cursor: Any, assignment: Any) -> str:
    """Add a manager's assignment to a project of the enterprise."""
    return view.managers.put_assignment(cursor, *assignment)


def store_manager(view: GradeView, cursor: Any, row: Any) -> str:
    """Add a registered project manager; no enterprise is touched."""
    view.managers.put_manager(cursor, row)
    return ""


def store_record(view: GradeView, cursor: Any, record: Any) -> str:
    """Add a record; index a record about a manager under the manager too."""
    row, manager_id = record
    view.records.put_record(cursor, row)
    if manager_id:
        view.managers.put_manager_record(
            cursor,
            {
                "record_id": row["record_id"],
                "manager_id": manager_id,
                "credit_code": row["credit_code"],
                "position": row["position"],
            },
        )
    return str(row["credit_code"])


def store_change(view: GradeView, cursor: Any, row: Any) -> str:
    """Add a change to a record, under the enterprise the record is about."""
    credit_code = view.records.code_of_record(cursor, row["record_id"])
    view.records.put_change(cursor, row | {"credit_code": credit_code})
    return credit_code


STORE_FOR: Final[dict[str, Callable[[GradeView, Any, Any], str]]] = {
    "enterprise": store_enterprise,
    "project": store_project,
    "assignment": store_assignment,
    "manager": store_manager,
    "record": store_record,
    "change": store_change,
}


def put_event_rows(view: GradeView, cursor: Any, rows: EventRows) -> str:
    """Write what an event adds to the view, with its audit row if it is about
    an enterprise; return the credit code it touched ("" when none)."""
    credit_code = STORE_FOR[rows.kind](view, cursor, rows.payload)
    if credit_code:
        view.grades.put_event(cursor, (rows.position, credit_code, *rows.audit))
    return credit_code
