"""Import enterprises and records from CSV or JSON Lines: all of a file, or none.

Every line is checked the way the HTTP API checks a body (same schemas, same
enterprise and project checks) before anything is written; any error stops
the import with a report per line. Then all new enterprises and records are
appended in one transaction, so a file is never half-imported. Lines already
recorded (an enterprise's credit code, a record's natural key) are skipped, so
running a file twice imports it once. An enterprise line (kind `enterprise`)
registers it with its projects, for the record lines after it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from eventsourcing.persistence import IntegrityError
from marshmallow import ValidationError

from credit_svc.api.enterprise_schemas import RegisterEnterpriseRequestSchema
from credit_svc.api.record_batch_schemas import load_item
from credit_svc.api.record_schemas import REQUEST_SCHEMAS
from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.errors import (
    EnterpriseNotFoundError,
    RecordNotFoundError,
)
from credit_svc.domain.record import (
    RECORDED_EVENTS,
    CreditRecord,
)
from credit_svc.usecases.application import CreditService

LIST_FIELDS = ("findings", "flags", "projects")  # CSV cells separated by ";"
ENTERPRISE = "enterprise"  # the kind of a line that registers an enterprise


@dataclass
class ImportPlan:
    """What a file would import, what it skips, and what is wrong with it."""

    enterprises: list[Enterprise] = field(default_factory=list)
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
    """Check every row and build the enterprises and records it would append."""
    plan, seen = ImportPlan(), set()
    projects: dict[str, dict[str, str] | None] = {}
    for number, row in rows:
        try:
            planned = _planned(_object(row), projects, app)
        except (ValueError, ValidationError) as error:
            plan.errors.append((number, _message(error)))
            continue
        if planned is None or planned.id in seen or _recorded(app, planned):
            plan.skipped += 1
            continue
        seen.add(planned.id)
        if isinstance(planned, Enterprise):
            plan.enterprises.append(planned)
        else:
            plan.records.append(planned)
    return plan


def apply_import(app: CreditService, plan: ImportPlan) -> int:
    """Append every planned enterprise and record in one transaction; return the
    last position."""
    if not plan.enterprises and not plan.records:  # all there: the log's head
        return int(app.recorder.max_notification_id() or 0)
    try:
        recordings = app.save(*plan.enterprises, *plan.records)
    except IntegrityError:
        msg = "some of these lines were recorded meanwhile; nothing was imported"
        raise ValueError(msg) from None
    return recordings[-1].notification.id


def _object(row: Any) -> dict[str, Any]:
    if isinstance(row, Exception):
        raise ValueError(f"not JSON: {row}")
    if not isinstance(row, dict):
        raise ValueError("each line must be a JSON object")
    return dict(row)


def _planned(
    body: dict[str, Any], projects: dict[str, dict[str, str] | None], app: CreditService
) -> Enterprise | CreditRecord | None:
    """Return what the line would append; None for an enterprise registered before."""
    kind = body.pop("kind", None)
    if kind == ENTERPRISE:
        return _enterprise(body, projects, app)
    if kind not in REQUEST_SCHEMAS:
        kinds = ", ".join((ENTERPRISE, *REQUEST_SCHEMAS))
        raise ValueError(f"kind must be one of {kinds}")
    # Every error of the line at once: the schema's, and the subject's.
    errors: dict[str, Any] = {}
    try:
        kind, facts = load_item(body | {"kind": kind})  # as a batch's item is
    except ValidationError as error:
        found = error.messages
        errors, facts = (found if isinstance(found, dict) else {"line": found}), body
    code, project = facts.get("credit_code"), facts.get("project_code")
    if code and "credit_code" not in errors:  # a well-formed code: is it known?
        known = _projects_of(str(code), projects, app)
        if known is None:
            errors["credit_code"] = [f"enterprise {code} is not registered"]
        elif project and "project_code" not in errors and project not in known:
            errors["project_code"] = [f"project {project} is not a project of {code}"]
    if errors:
        raise ValidationError(errors)
    return CreditRecord.record(RECORDED_EVENTS[kind], facts)  # id: its natural key


def _enterprise(
    body: dict[str, Any], projects: dict[str, dict[str, str] | None], app: CreditService
) -> Enterprise | None:
    details = RegisterEnterpriseRequestSchema().load(_projects_parsed(body))
    code = details["credit_code"]
    if _projects_of(code, projects, app) is not None:
        return None  # registered before this file, or earlier in it
    enterprise = Enterprise(
        credit_code=code,
        name=details["name"],
        jurisdiction=details["jurisdiction"],
        registered_by=details["authority"],
    )
    for project in details["projects"]:
        enterprise.add_project(project["code"], project["name"], details["authority"])
    projects[code] = {p["code"]: p["name"] for p in details["projects"]}
    return enterprise


def _projects_parsed(body: dict[str, Any]) -> dict[str, Any]:
    """Turn CSV's `CODE=名称` project cells into the API's project objects."""
    cells = body.get("projects") or []
    if all(isinstance(cell, str) for cell in cells):
        pairs = [cell.partition("=") for cell in cells]
        body["projects"] = [{"code": c.strip(), "name": n.strip()} for c, _, n in pairs]
    return body


def _projects_of(
    code: str, cache: dict[str, dict[str, str] | None], app: CreditService
) -> dict[str, str] | None:
    if code not in cache:
        try:
            cache[code] = app.get_enterprise(code).projects
        except EnterpriseNotFoundError:
            cache[code] = None
    return cache[code]


def _recorded(app: CreditService, planned: Enterprise | CreditRecord) -> bool:
    """Tell whether a planned record is in the log already (enterprises were
    looked up when planned)."""
    if isinstance(planned, Enterprise):
        return False
    try:
        app.get_record(planned.id)
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
    """Say every problem of a line in one style: `field: message; ...`."""
    if isinstance(error, ValidationError):
        return "; ".join(_flattened(error.messages))
    return str(error)


def _flattened(messages: Any, path: str = "") -> Iterator[str]:
    """Yield `path.to.field: message` for each message of a nested dict."""
    if isinstance(messages, dict):
        for name, inner in messages.items():
            yield from _flattened(inner, f"{path}.{name}" if path else str(name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        yield f"{path}: {' '.join(messages)}" if path else " ".join(messages)
    elif isinstance(messages, list):
        for inner in messages:
            yield from _flattened(inner, path)
    else:
        yield f"{path}: {messages}" if path else str(messages)
