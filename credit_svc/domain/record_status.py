"""Fold a record's later events into what grading and answers see.

Pure: the view hands in the record as first recorded and the changes known at
the cutoff asked, so "as recorded at" answers see only the changes made by
then, and "effective on" answers see them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final

from credit_svc.domain.disclosure import DisclosureRules
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.working_days import WorkingDays


@dataclass(frozen=True)
class Change:
    """One later event about a record: its type and what it said."""

    change_type: str  # the event class name, e.g. "Corrected"
    body: Mapping[str, Any]


def fold(fact: RecordFact, changes: Iterable[Change]) -> RecordFact | None:
    """Return the record as its changes leave it; None once retracted."""
    for change in changes:
        if change.change_type == "Retracted":
            return None
        step = _STEPS.get(change.change_type)
        if step:
            fact = step(fact, change)
    return fact


def _corrected(fact: RecordFact, correction: Change) -> RecordFact:
    attributes = current_facts(fact.attributes, [correction])
    return replace(
        fact,
        business_date=attributes["business_date"],
        term_months=attributes.get("term_months"),
        attributes=attributes,
    )


def _repair_decided(fact: RecordFact, decision: Change) -> RecordFact:
    if decision.body["outcome"] != "granted":
        return fact
    return replace(fact, ends_on=decision.body["decided_on"], ended_by="repair")


Step = Callable[[RecordFact, Change], RecordFact]
_STEPS: Final[dict[str, Step]] = {
    "Corrected": _corrected,
    "ObjectionFiled": lambda f, _: replace(f, under_objection=True),
    "ObjectionResolved": lambda f, _: replace(f, under_objection=False),
    "RepairDecided": _repair_decided,
    "Lifted": lambda f, c: replace(f, ends_on=c.body["lifted_on"], ended_by="lifting"),
    "Rectified": lambda f, c: replace(f, rectified_on=c.body["rectified_on"]),
}


def current_facts(
    facts: Mapping[str, Any], changes: Iterable[Change]
) -> dict[str, Any]:
    """Return a record's facts with every correction applied, for display."""
    current = dict(facts)
    for change in changes:
        if change.change_type == "Corrected":
            current |= change.body["changes"]
    return current


def status_of(changes: Iterable[Change]) -> dict[str, Any]:
    """Return where a record stands, for every answer that shows it."""
    status: dict[str, Any] = {
        "state": "active",
        "under_objection": False,
        "objection": None,
        "repair": None,
        "corrections": 0,
        "effect_ends_on": None,
        "rectified_on": None,
        "objection_filed_on": None,
        "repair_applied_on": None,
    }
    for change in changes:
        status |= _NOTES[change.change_type](status, change.body)
    return status


Note = Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]]
_NOTES: Final[dict[str, Note]] = {
    "Retracted": lambda _s, _b: {"state": "retracted"},
    "Corrected": lambda s, _: {"corrections": s["corrections"] + 1},
    "ObjectionFiled": lambda _, b: {
        "under_objection": True,
        "objection": "open",
        "objection_filed_on": b["filed_on"],
    },
    "ObjectionResolved": lambda _, b: {
        "under_objection": False,
        "objection": b["outcome"],
    },
    "RepairApplied": lambda _, b: {
        "repair": "applied",
        "repair_applied_on": b["applied_on"],
    },
    "RepairDecided": lambda s, b: {
        "repair": b["outcome"],
        "effect_ends_on": b["decided_on"]
        if b["outcome"] == "granted"
        else s["effect_ends_on"],
    },
    "Lifted": lambda _, b: {"state": "lifted", "effect_ends_on": b["lifted_on"]},
    "Rectified": lambda _, b: {"rectified_on": b["rectified_on"]},
}


def due_dates(
    status: Mapping[str, Any], rules: DisclosureRules, calendar: WorkingDays
) -> dict[str, date | None]:
    """Return the day an open objection and a pending repair application must
    be decided by: their filing day plus the working days of the regime in
    force on it (None: nothing pending, or no limit set)."""
    due: dict[str, date | None] = {"objection_due_on": None, "repair_due_on": None}
    cases = (
        ("objection_due_on", status.get("objection") == "open", "objection_filed_on"),
        ("repair_due_on", status.get("repair") == "applied", "repair_applied_on"),
    )
    for name, pending, filed in cases:
        filed_on = status.get(filed)
        if not pending or filed_on is None:
            continue
        if isinstance(filed_on, str):
            filed_on = date.fromisoformat(filed_on)
        limits = rules.handling_on(filed_on)
        if limits is not None:
            days = (
                limits.objection_working_days
                if name == "objection_due_on"
                else limits.repair_working_days
            )
            due[name] = calendar.add(filed_on, days)
    return due
