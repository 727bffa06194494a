"""Write what an event adds to the view (its EventRows, see event_rows.py).

For each kind of rows a `store_*` function writes them and returns the credit
code of the enterprise they touch ("" when none, e.g. a manager), looking up
in the view what the event does not say (whose record a correction is about).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from credit_svc.projections.event_rows import EventRows
from credit_svc.projections.views import GradeView


def store_enterprise(view: GradeView, cursor: Any, row: Any) -> str:
    """Add a registered enterprise."""
    view.put_enterprise(cursor, row)
    return str(row["credit_code"])


def store_project(view: GradeView, cursor: Any, project: Any) -> str:
    """Add a project to its enterprise."""
    return view.put_project(cursor, *project)


def store_assignment(view: GradeView, cursor: Any, assignment: Any) -> str:
    """Add a manager's assignment to a project of the enterprise."""
    return view.put_assignment(cursor, *assignment)


def store_manager(view: GradeView, cursor: Any, row: Any) -> str:
    """Add a registered project manager; no enterprise is touched."""
    view.put_manager(cursor, row)
    return ""


def store_record(view: GradeView, cursor: Any, record: Any) -> str:
    """Add a record; index a record about a manager under the manager too."""
    row, manager_id = record
    view.put_record(cursor, row)
    if manager_id:
        view.put_manager_record(
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
    credit_code = view.code_of_record(cursor, row["record_id"])
    view.put_change(cursor, row | {"credit_code": credit_code})
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
        view.put_event(cursor, (rows.position, credit_code, *rows.audit))
    return credit_code
