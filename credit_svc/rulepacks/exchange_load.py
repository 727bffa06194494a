"""Read the national exchange field sets (national/exchange.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError, fields, post_load, validate

from credit_svc.domain.exchange import (
    TYPE_RULES,
    ExchangeField,
    ExchangeStandard,
    FieldSet,
)
from credit_svc.rulepacks.load import BASE_LOADER, PACKAGED_DIR, RulePackError

EXCHANGE_FILE = PACKAGED_DIR / "national" / "exchange.yaml"
FIELD_TYPES = tuple(TYPE_RULES)


class FieldSchema(Schema):
    """One column and the record fact it is read from."""

    column = fields.String(required=True, validate=validate.Length(min=1))
    source = fields.String(required=True, validate=validate.Length(min=1))
    required = fields.Boolean(required=True)
    type = fields.String(load_default="text", validate=validate.OneOf(FIELD_TYPES))
    max_length = fields.Integer(load_default=None, validate=validate.Range(min=1))

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> ExchangeField:
        """Return the field."""
        return ExchangeField(**data)


class FieldSetSchema(Schema):
    """The columns of one kind of information."""

    title = fields.String(required=True)
    columns = fields.List(fields.Nested(FieldSchema), required=True, data_key="fields")


class VersionSchema(Schema):
    """One version of both field sets."""

    version = fields.String(required=True)
    effective_from = fields.Date(required=True)
    field_sets = fields.Dict(
        keys=fields.String(validate=validate.OneOf(("penalty", "list_decision"))),
        values=fields.Nested(FieldSetSchema),
        required=True,
    )

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> ExchangeStandard:
        """Return the standard's version."""
        sets = {
            name: FieldSet(name, spec["title"], tuple(spec["columns"]))
            for name, spec in data["field_sets"].items()
        }
        return ExchangeStandard(data["version"], data["effective_from"], sets)


class ExchangeFileSchema(Schema):
    """The file: every version."""

    versions = fields.List(
        fields.Nested(VersionSchema), required=True, validate=validate.Length(min=1)
    )


def load_exchange_standard(path: Path = EXCHANGE_FILE) -> ExchangeStandard:
    """Load and check the file; return its newest version."""
    try:
        data = ExchangeFileSchema().load(
            yaml.load(path.read_text(encoding="utf-8"), Loader=BASE_LOADER)
        )
    except (yaml.YAMLError, ValidationError) as error:
        raise RulePackError(f"{path.name}: {error}") from None
    newest: ExchangeStandard = max(data["versions"], key=lambda v: v.effective_from)
    return newest
