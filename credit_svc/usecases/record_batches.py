"""Many records appended in one transaction: a bureau's batch over HTTP.

One request and one commit for up to BATCH_MAX records, where posting them one
by one costs a request, a commit and (projected in the request) a regrade
each. A batch is appended whole or not at all; records already in the log
are left out rather than refused, so a batch sent again after a lost answer
records each of its records once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from credit_svc.domain.errors import LifecycleConflictError
from credit_svc.domain.record import RECORDED_EVENTS, CreditRecord
from credit_svc.usecases.application import ATTEMPTS, CreditService

BATCH_MAX: Final = 100  # records a batch holds at most (and 64 KB, as any body)
Checked = Sequence[tuple[str, dict[str, Any]]]  # (kind, facts), each checked


def append_batch(
    app: CreditService, checked: Checked
) -> tuple[list[tuple[CreditRecord, int]], list[UUID]]:
    """Append the records not in the log yet, all in one transaction; return
    those appended with their positions, and the ids of those already there.

    Each record was checked (`CreditService.check_record`), and no two share
    a natural key. Records already in the log are looked for only when the
    append fails on one: a batch of new records costs no reads.
    """
    there: set[UUID] = set()
    for _ in range(ATTEMPTS):
        # Made again each attempt: a failed save has taken their events.
        records = [CreditRecord.record(RECORDED_EVENTS[k], f) for k, f in checked]
        new = [r for r in records if r.id not in there]
        try:
            recordings = app.save(*new) if new else []
        except IntegrityError:
            there = {r.id for r in records if app.in_log(r.id)}
            continue
        positions = [recording.notification.id for recording in recordings]
        already = [r.id for r in records if r.id in there]
        return list(zip(new, positions, strict=True)), already
    msg = "these records are being recorded by another request; retry"
    raise LifecycleConflictError(msg)
