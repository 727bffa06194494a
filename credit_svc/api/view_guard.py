"""Grades are answered only from a view computed under the loaded rule packs.

Otherwise a grade could come from rules no longer in force (see pack_check.py):
every answer that reads grades gets 503 naming the operator's fix instead.
Records, enterprises, events and the log stay readable; writes go on.
"""

from __future__ import annotations

from typing import Final

from flask import request
from werkzeug.exceptions import ServiceUnavailable

from credit_svc.api.services import services

GRADE_READERS: Final = (
    "grades.",
    "audit.GradeReceipt",
    "disclosure.",
    "dashboard.enterprise",
)


def refuse_grades_from_other_packs() -> None:
    """Answer 503 to a grade read while the view does not fit the packs."""
    if not (request.endpoint or "").startswith(GRADE_READERS):
        return
    if not services().pack_check.view_fits():
        raise ServiceUnavailable(
            "the grade view was computed under other rule packs than this "
            "service loaded; an operator must run `credit-svc rebuild --apply`"
        )
