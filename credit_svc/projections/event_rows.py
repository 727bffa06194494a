"""Rows the projector writes about each event: view rows, audit rows, feed items.

For each event type a `*_rows` function reads what the event adds to the view,
and row_storing.py writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, NamedTuple

from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.lifecycle import LIFECYCLE_EVENTS
from credit_svc.domain.project_manager import ProjectManager
from credit_svc.domain.record import ENVELOPE_FIELDS, MANAGER_KINDS, CreditRecord
from credit_svc.projections.codec import encode_facts


class EventRows(NamedTuple):
    """What one event adds to the view, read from the event alone.

    Making them needs no view, so a long rebuild has worker processes make
    them while it writes (see shadow_build.py); row_storing.put_event_rows
    writes them, looking up in the view what the event does not say (whose
    record a correction is about, say).
    """

    position: int
    kind: str  # what to store: a key of row_storing.STORE_FOR
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
        attributes.get("acting_key", ""),  # see credit_svc.acting
    )
