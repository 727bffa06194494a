"""Who the calling key is and what it may do, in the parties' language."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, g
from flask.views import MethodView
from marshmallow import Schema, fields

from credit_svc.api.access import PAGES, may_call
from credit_svc.api.blueprint import Blueprint
from credit_svc.api.operation_names import OPERATION_NAMES
from credit_svc.domain.parties import ROLE_NAMES, recordable
from credit_svc.usecases.api_keys import Actor

blp = Blueprint(
    "me", __name__, description="The calling key: its role, scope and rights."
)
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([a-z_]+)(?:\([^)]*\))?>")


class RecordKindSchema(Schema):
    """A kind of record the key records, and the limit it records it within."""

    kind = fields.String()
    name = fields.String(metadata={"description": "Chinese, then English"})
    limit = fields.String(metadata={"description": "empty when none"})


class OperationSchema(Schema):
    """An operation the key may call."""

    method = fields.String()
    path = fields.String()
    name = fields.String(metadata={"description": "in Chinese"})
    summary = fields.String(metadata={"description": "in English"})


class MeSchema(Schema):
    """The calling key."""

    key_id = fields.String()
    role = fields.String()
    role_name = fields.String(metadata={"description": "Chinese, then English"})
    authority = fields.String()
    jurisdictions = fields.List(fields.String())
    credit_code = fields.String(metadata={"description": "an enterprise key's firm"})
    projects = fields.List(
        fields.String(), metadata={"description": "an owners' committee's projects"}
    )
    records = fields.List(fields.Nested(RecordKindSchema))
    operations = fields.List(fields.Nested(OperationSchema))


@blp.route("/me")
class Me(MethodView):
    """The calling key."""

    @blp.response(200, MeSchema)
    def get(self) -> dict[str, Any]:
        """Say who this key is: its role, scope, and every operation it may call"""
        return describe(g.actor)


def describe(actor: Actor) -> dict[str, Any]:
    """Return the key's role, scope and rights, Chinese first."""
    return {
        "key_id": actor.key_id,
        "role": actor.role,
        "role_name": ROLE_NAMES.get(actor.role, actor.role),
        "authority": actor.authority,
        "jurisdictions": list(actor.jurisdictions),
        "credit_code": actor.credit_code,
        "projects": list(actor.projects),
        "records": recordable(actor.role),
        "operations": operations_of(actor.role),
    }


def operations_of(role: str) -> list[dict[str, str]]:
    """Return the API operations a key of the role may call, in path order."""
    found = []
    for rule in current_app.url_map.iter_rules():
        endpoint = rule.endpoint
        if endpoint in ("static", "home") or endpoint.startswith(PAGES):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if may_call(role, endpoint, method):
                found.append(
                    {
                        "method": method,
                        "path": ARGUMENT.sub(r"{\1}", rule.rule),
                        "name": OPERATION_NAMES.get((endpoint, method), ""),
                        "summary": _summary(endpoint, method),
                    }
                )
    return sorted(found, key=lambda o: (o["path"], o["method"]))


def _summary(endpoint: str, method: str) -> str:
    view = current_app.view_functions[endpoint]
    handler = getattr(getattr(view, "view_class", None), method.lower(), view)
    doc = (handler.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""
