"""Rectification deadlines (限期整改) and what being overdue does, and the
watch list (重点关注名单): worked out as of a date, like every rule.

A record with a `rectification_deadline` is overdue from the day after it
until the recording authority confirms the rectification (its
`rectified_on`). What that does is the pack's: a `deduct` pack adds an
"overdue_rectification" fact from that day, which its rules score; a `list`
pack adds a list entry of the type it names; a `flag` pack only lets its
conditions see it. No timed job and no event written by the service: the
consequence is derived from the record whenever a grade is worked out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from credit_svc.domain.calendar import add_months
from credit_svc.domain.fact import RecordFact

OVERDUE_KIND: Final = "overdue_rectification"
CONSEQUENCES: Final = ("deduct", "list", "flag")
ONE_DAY: Final = timedelta(days=1)


@dataclass(frozen=True)
class RectificationRules:
    """Which records' deadlines count, and what being overdue does."""

    kinds: tuple[str, ...] = ()  # none: no deadline has a consequence
    overdue: str = "flag"  # deduct | list | flag
    list_type: str | None = None  # for `list`


@dataclass(frozen=True)
class WatchCondition:
    """A reason to put a firm on the watch list (重点关注名单)."""

    reason: str
    condition: str  # owner_satisfaction_below | records_within_months
    #                 | rectification_overdue
    description: str = ""
    threshold: Decimal | None = None  # owner_satisfaction_below
    kind: str | None = None  # records_within_months
    count: int | None = None  # records_within_months
    months: int | None = None  # both of the above


@dataclass(frozen=True)
class WatchReason:
    """Why a firm is watched, with the records behind it."""

    reason: str
    description: str
    detail: str
    record_ids: tuple[str, ...] = ()


def overdue_on(fact: RecordFact, day: date) -> bool:
    """Tell whether the record's rectification is overdue on the day."""
    deadline = fact.get("rectification_deadline")
    if deadline is None or day <= deadline:
        return False
    return fact.rectified_on is None or fact.rectified_on > day


def with_consequences(
    facts: Sequence[RecordFact], rules: RectificationRules
) -> Sequence[RecordFact]:
    """Return the facts with what overdue rectifications add under the rules
    (the facts themselves when they add nothing)."""
    if rules.overdue == "flag" or not rules.kinds:
        return facts
    derived = [
        consequence
        for fact in facts
        if fact.kind in rules.kinds
        and (consequence := _consequence(fact, rules)) is not None
    ]
    return [*facts, *derived] if derived else facts


def _consequence(fact: RecordFact, rules: RectificationRules) -> RecordFact | None:
    """Return the fact an overdue rectification adds: from the day after the
    deadline until the rectification confirmed, if it was late."""
    deadline = fact.get("rectification_deadline")
    if deadline is None:
        return None
    rectified = fact.rectified_on
    if rectified is not None and rectified <= deadline:
        return None
    source = {
        "source_record_id": fact.record_id,
        "source_kind": fact.kind,
        "rectification_deadline": deadline,
        "authority": fact.get("authority"),
        "document_number": fact.get("document_number"),
        "project_code": fact.get("project_code") or "",
        "reason": "逾期未整改",
    }
    kind = OVERDUE_KIND
    if rules.overdue == "list":
        kind = "list_entry"
        source["list_type"] = rules.list_type
    derived = RecordFact(
        record_id=f"{fact.record_id}/overdue",
        kind=kind,
        business_date=deadline + ONE_DAY,
        term_months=None,
        attributes=source,
    )
    if rectified is None:
        return derived
    return replace(derived, ends_on=rectified, ended_by="rectification")


def watch_reasons(
    facts: Sequence[RecordFact], conditions: Sequence[WatchCondition], day: date
) -> tuple[WatchReason, ...]:
    """Return every reason the pack's conditions give to watch the firm on
    the day (records dated after the day are not yet known to it)."""
    known = [f for f in facts if f.business_date <= day]
    found = (_watch(condition, known, day) for condition in conditions)
    return tuple(reason for reason in found if reason is not None)


def _watch(
    condition: WatchCondition, facts: Sequence[RecordFact], day: date
) -> WatchReason | None:
    if condition.condition == "rectification_overdue":
        hits = [f for f in facts if overdue_on(f, day)]
        late = ", ".join(
            f"{f.get('document_number')} (due {f.get('rectification_deadline')})"
            for f in hits
        )
        detail = f"rectification overdue: {late}"
    else:
        assert condition.months is not None
        months = condition.months
        recent = [f for f in facts if day < add_months(f.business_date, months)]
        if condition.condition == "owner_satisfaction_below":
            hits = [f for f in recent if _below(f, condition.threshold)]
            detail = (
                f"owner satisfaction below {condition.threshold} in "
                f"{len(hits)} appraisal(s) within {months} months"
            )
        else:
            assert condition.count is not None
            hits = [f for f in recent if f.kind == condition.kind]
            if len(hits) < condition.count:
                return None
            detail = (
                f"{len(hits)} {condition.kind} records within {months} "
                f"months ({condition.count} or more)"
            )
    if not hits:
        return None
    ids = tuple(f.record_id for f in hits)
    return WatchReason(condition.reason, condition.description, detail, ids)


def _below(fact: RecordFact, threshold: Decimal | None) -> bool:
    satisfaction = fact.get("owner_satisfaction")
    return (
        fact.kind == "appraisal"
        and satisfaction is not None
        and threshold is not None
        and satisfaction < threshold
    )
