"""Other departments' lists in (经营异常名录, 严重违法失信名单, labour
violations, safety accidents): a department's key imports its own."""

from __future__ import annotations

import csv
import io
from functools import cache
from http import HTTPStatus
from typing import Any, NoReturn

from flask import g
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import today
from credit_svc.api.services import services
from credit_svc.domain.department_lists import DepartmentList
from credit_svc.domain.parties import ROLE_NAMES, chinese
from credit_svc.rulepacks.department_lists_load import load_department_lists
from credit_svc.usecases.api_keys import Actor
from credit_svc.usecases.list_imports import (
    DepartmentListImport,
    Importer,
    ListImportPlan,
)

blp = Blueprint(
    "department_lists",
    __name__,
    description="Other departments' lists, imported with a report per line.",
)
MAX_LINES = 5000


class ListImportRequestSchema(Schema):
    """The list's lines, as objects with its column names or as CSV text."""

    lines = fields.List(
        fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True)),
        load_default=None,
        validate=validate.Length(min=1, max=MAX_LINES),
        metadata={"description": "each line an object of the list's columns"},
    )
    csv = fields.String(
        load_default=None,
        validate=validate.Length(min=1),
        metadata={"description": "or: the file as CSV text, UTF-8, with a header"},
    )

    @validates_schema
    def check_one(self, data: dict[str, Any], **_: Any) -> None:
        """Take the lines one way."""
        if (data.get("lines") is None) == (data.get("csv") is None):
            raise ValidationError("send exactly one of lines and csv", "lines")


class ListImportSchema(Schema):
    """What an import wrote."""

    list = fields.String()
    title = fields.String()
    listed = fields.Integer(metadata={"description": "new listings recorded"})
    removed = fields.Integer(metadata={"description": "listings lifted (移出)"})
    skipped = fields.Integer(metadata={"description": "lines recorded before"})
    position = fields.Integer(metadata={"description": "the log's position after"})


def refuse(status: HTTPStatus, message: str, **more: Any) -> NoReturn:
    """Answer with the error envelope (flask-smorest's abort, which raises but
    is not typed as raising)."""
    abort(status, message=message, **more)
    raise AssertionError(message)


@cache
def department_lists() -> dict[str, DepartmentList]:
    """Return the lists (read once per process)."""
    return load_department_lists()


def importable_by(actor: Actor) -> dict[str, DepartmentList]:
    """Return the lists a key may import: a bureau any it received, a
    department its own."""
    return {
        name: found
        for name, found in department_lists().items()
        if actor.role == "bureau" or actor.role in found.roles
    }


def csv_lines(text: str) -> list[tuple[int, dict[str, Any]]]:
    """Return a CSV file's lines with their numbers (the header is line 1);
    ValueError when it is not CSV or too long."""
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        lines = list(enumerate(rows, start=2))
    except csv.Error as error:
        msg = f"not CSV: {error}"
        raise ValueError(msg) from None
    if len(lines) > MAX_LINES:
        msg = f"at most {MAX_LINES} lines"
        raise ValueError(msg)
    return lines


def numbered_lines(body: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Return the lines with their numbers (a CSV's count its header as 1)."""
    if body["lines"] is not None:
        return list(enumerate(body["lines"], start=1))
    try:
        return csv_lines(body["csv"])
    except ValueError as error:
        refuse(HTTPStatus.UNPROCESSABLE_ENTITY, str(error))


def import_lines(
    found: DepartmentList, lines: list[tuple[int, dict[str, Any]]], actor: Actor
) -> tuple[ListImportPlan, int | None]:
    """Check the lines and, when none is bad, write them; return the plan and
    the log's position after (None: nothing written, the plan's errors say
    why)."""
    importer = Importer(
        authority=None if actor.role == "bureau" else actor.authority,
        covers=actor.covers,
    )
    importing = DepartmentListImport(services().app)
    plan = importing.plan(found, lines, importer, today())
    if plan.errors:
        return plan, None
    position = importing.apply(plan)
    if plan.listings or plan.removals:
        services().after_write(upto=position)
    return plan, position


def summary(
    list_name: str, found: DepartmentList, plan: ListImportPlan, position: int
) -> dict[str, Any]:
    """Return what an import wrote, as the API answers it."""
    return {
        "list": list_name,
        "title": found.title,
        "listed": len(plan.listings),
        "removed": sum(
            1
            for record in (*plan.listings, *plan.removals)
            if record.state.lifted_on is not None
        ),
        "skipped": plan.skipped,
        "position": position,
    }


@blp.route("/department-lists/<list_name>/imports", methods=["POST"])
@blp.arguments(ListImportRequestSchema)
@blp.response(201, ListImportSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
def import_list(body: dict[str, Any], list_name: str) -> dict[str, Any]:
    """Import a department's list: listings and removals (移出), all or none

    Lists: abnormal_operations (经营异常名录), serious_dishonesty (严重违法
    失信名单), labour_violation, safety_accident; their columns are in
    docs/data-exchange.md. Every line is checked first: any bad line refuses
    the file (422, each line's errors by its number and column) and nothing
    is written. Lines recorded before are skipped. A department's key
    imports only its own lists and decisions; a bureau's, any it received.
    """
    if list_name not in department_lists():
        names = ", ".join(department_lists())
        refuse(HTTPStatus.NOT_FOUND, f"no list {list_name}; lists: {names}")
    actor = g.actor
    found = importable_by(actor).get(list_name)
    if found is None:
        who = chinese(ROLE_NAMES.get(actor.role, actor.role))
        title = department_lists()[list_name].title
        refuse(
            HTTPStatus.FORBIDDEN,
            f"{who}不能导入{title} · a {actor.role} key may not import {list_name}",
        )
    plan, position = import_lines(found, numbered_lines(body), actor)
    if position is None:
        errors = {str(number): messages for number, messages in plan.errors}
        refuse(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            f"{len(plan.errors)} 行有误，未导入 · "
            f"{len(plan.errors)} bad lines: nothing imported",
            messages={"lines": errors},
        )
    return summary(list_name, found, plan, position)
