"""Import records from CSV or JSON Lines: all of a file, or none of it.

Every line is checked the way the HTTP API checks a body (same schemas, same
enterprise and project checks) before anything is written; any error stops
the import with a report per line. Then all new records are appended in one
transaction, so a file is never half-imported. Lines already recorded (same
natural key) are skipped, so running a file twice imports it once.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from eventsourcing.persistence import IntegrityError
from marshmallow import ValidationError

from credit_svc.api.record_schemas import REQUEST_SCHEMAS
from credit_svc.application import CreditService
from credit_svc.domain.errors import (
    EnterpriseNotFoundError,
    RecordNotFoundError,
)
from credit_svc.domain.record import (
    RECORDED_EVENTS,
    CreditRecord,
    record_id_for,
)

LIST_FIELDS = ("findings", "flags")  # CSV cells separated by ";"


@dataclass
class ImportPlan:
    """What a file would import, what it skips, and what is wrong with it."""

    records: list[CreditRecord] = field(default_factory=list)
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def read_rows(file: IO[str], file_format: str) -> Iterator[tuple[int, Any]]:
    """Yield (line number, row) from a CSV file (with a header) or JSON Lines."""
    if file_format == "csv":
        for number, row in enumerate(csv.DictReader(file), start=2):
            yield number, _from_csv(row)
        return
    for number, line in enumerate(file, start=1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                yield number, error


def plan_import(app: CreditService, rows: Iterable[tuple[int, Any]]) -> ImportPlan:
    """Check every row and build the records it would append."""
    plan, seen = ImportPlan(), set()
    projects: dict[str, dict[str, str] | None] = {}
    for number, row in rows:
        try:
            kind, facts = _checked(row, projects, app)
        except (ValueError, ValidationError) as error:
            plan.errors.append((number, _message(error)))
            continue
        key = record_id_for(kind, facts)
        if key in seen or _exists(app, key):
            plan.skipped += 1
            continue
        seen.add(key)
        plan.records.append(CreditRecord.record(RECORDED_EVENTS[kind], facts))
    return plan


def apply_import(app: CreditService, plan: ImportPlan) -> int:
    """Append every planned record in one transaction; return the last position."""
    if not plan.records:
        return 0
    try:
        recordings = app.save(*plan.records)
    except IntegrityError:
        msg = "some of these records were recorded meanwhile; nothing was imported"
        raise ValueError(msg) from None
    return recordings[-1].notification.id


def _checked(
    row: Any, projects: dict[str, dict[str, str] | None], app: CreditService
) -> tuple[str, dict[str, Any]]:
    if isinstance(row, Exception):
        raise ValueError(f"not JSON: {row}")
    if not isinstance(row, dict):
        raise ValueError("each line must be a JSON object")
    body = dict(row)
    kind, code = body.pop("kind", None), body.pop("credit_code", None)
    if kind not in REQUEST_SCHEMAS:
        raise ValueError(f"kind must be one of {', '.join(REQUEST_SCHEMAS)}")
    facts = REQUEST_SCHEMAS[kind]().load(body) | {"credit_code": code}
    known = _projects_of(str(code), projects, app)
    if known is None:
        raise ValueError(f"enterprise {code} is not registered")
    if facts["project_code"] and facts["project_code"] not in known:
        raise ValueError(f"project {facts['project_code']} is not a project of {code}")
    return kind, facts


def _projects_of(
    code: str, cache: dict[str, dict[str, str] | None], app: CreditService
) -> dict[str, str] | None:
    if code not in cache:
        try:
            cache[code] = app.get_enterprise(code).projects
        except EnterpriseNotFoundError:
            cache[code] = None
    return cache[code]


def _exists(app: CreditService, record_id: Any) -> bool:
    try:
        app.get_record(record_id)
    except RecordNotFoundError:
        return False
    return True


def _from_csv(row: dict[str, str]) -> dict[str, Any]:
    """Drop empty cells; split list cells on ";"."""
    body: dict[str, Any] = {k: v for k, v in row.items() if k and v not in ("", None)}
    for name in LIST_FIELDS:
        if name in body:
            body[name] = [item.strip() for item in body[name].split(";") if item]
    return body


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return json.dumps(error.messages, ensure_ascii=False)
    return str(error)
