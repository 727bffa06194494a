"""The answers of a batch grade query, one per credit code, cached where they can be.

A batch's items are cached per worker like single grades (see answer_cache.py),
by credit code and date, as the grade schema dumps them; a batch reads only
the codes not cached, all of them in one read of the view.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app

from credit_svc.api.answer_cache import AnswerCache
from credit_svc.api.grade_bodies import segment_body
from credit_svc.api.grade_schemas import GradeSchema
from credit_svc.api.quick_dump import QuickDump
from credit_svc.api.services import reader, view_version
from credit_svc.domain.errors import DomainError
from credit_svc.projections.cutoff import Cutoff

DUMP_GRADE = QuickDump(GradeSchema())


def kept_tender_answers(
    codes: list[str], day: date
) -> dict[str, dict[str, Any] | DomainError]:
    """Return each code's answer on the day as the grade schema dumps it: those
    cached at the view's version, the others read together (one read of the view
    for all of them) and cached."""
    cache: AnswerCache[dict[str, Any]] = current_app.extensions["credit_svc_tenders"]
    version = cache.current_version(view_version)
    found = {code: cache.get((code, day), version) for code in codes}
    missing = [code for code, answer in found.items() if answer is None]
    read = reader().tender_answers(missing, day) if missing else {}
    answers: dict[str, dict[str, Any] | DomainError] = {}
    for code in codes:
        answer = found[code] or dumped(read[code])
        if found[code] is None and not isinstance(answer, DomainError):
            cache.put((code, day), version, answer)
        answers[code] = answer
    return answers


def dumped(answer: dict[str, Any] | DomainError) -> dict[str, Any] | DomainError:
    """Return a tender answer as the grade schema dumps it (errors as they are)."""
    if isinstance(answer, DomainError):
        return answer
    return DUMP_GRADE(segment_body(answer))


def answer_or_error(
    code: str, day: date, cutoff: Cutoff
) -> dict[str, Any] | DomainError:
    """Return the answer as recorded at the cutoff, or the error it met."""
    try:
        return reader().tender_answer(code, day, cutoff)
    except DomainError as error:
        return error
