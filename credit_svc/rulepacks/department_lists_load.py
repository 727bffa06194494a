"""Read other departments' lists (national/department_lists.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError, fields, post_load, validate

from credit_svc.domain.department_lists import DepartmentList
from credit_svc.domain.parties import FLAGS_BY_ROLE
from credit_svc.domain.vocabulary import FLAGS, SEVERITIES
from credit_svc.rulepacks.load import BASE_LOADER, PACKAGED_DIR, RulePackError

LISTS_FILE = PACKAGED_DIR / "national" / "department_lists.yaml"
# What a list's columns may hold; the first five every line has.
COLUMNS = (
    *("name", "credit_code", "reason", "listed_on", "authority"),
    *("document_number", "authority_code"),
    *("removal_reason", "removed_on", "removal_authority"),
)


class ListSchema(Schema):
    """One department's list."""

    title = fields.String(required=True)
    roles = fields.List(
        fields.String(validate=validate.OneOf(tuple(FLAGS_BY_ROLE))), required=True
    )
    flag = fields.String(required=True, validate=validate.OneOf(FLAGS))
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    violation_code = fields.String(required=True, validate=validate.Length(max=50))
    removable = fields.Boolean(required=True)
    columns = fields.Dict(
        keys=fields.String(validate=validate.OneOf(COLUMNS)),
        values=fields.String(validate=validate.Length(min=1)),
        required=True,
    )


class VersionSchema(Schema):
    """One version of the lists."""

    version = fields.String(required=True)
    effective_from = fields.Date(required=True)
    lists = fields.Dict(
        keys=fields.String(), values=fields.Nested(ListSchema), required=True
    )

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Check each list's flag is one of its roles' own."""
        for name, spec in data["lists"].items():
            for role in spec["roles"]:
                if spec["flag"] not in FLAGS_BY_ROLE[role]:
                    msg = f"{name}: a {role} key does not record {spec['flag']}"
                    raise ValidationError(msg)
        return data


class ListsFileSchema(Schema):
    """The file: every version."""

    versions = fields.List(
        fields.Nested(VersionSchema), required=True, validate=validate.Length(min=1)
    )


def load_department_lists(path: Path = LISTS_FILE) -> dict[str, DepartmentList]:
    """Load and check the file; return its newest version's lists by name."""
    try:
        data = ListsFileSchema().load(
            yaml.load(path.read_text(encoding="utf-8"), Loader=BASE_LOADER)
        )
    except (yaml.YAMLError, ValidationError) as error:
        raise RulePackError(f"{path.name}: {error}") from None
    newest = max(data["versions"], key=lambda v: v["effective_from"])
    return {
        name: DepartmentList(
            name=name,
            title=spec["title"],
            roles=tuple(spec["roles"]),
            flag=spec["flag"],
            severity=spec["severity"],
            violation_code=spec["violation_code"],
            removable=spec["removable"],
            columns=spec["columns"],
        )
        for name, spec in newest["lists"].items()
    }
