"""A batch of records: what a bureau posts, and what it is answered."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from credit_svc.api.fields import choice, credit_code
from credit_svc.api.record_schemas import REQUEST_SCHEMAS, RecordSchema
from credit_svc.usecases.record_batches import BATCH_MAX

ITEM_FIELDS = ("kind", "credit_code")  # what an item adds to its kind's body


class RecordBatchRequestSchema(Schema):
    """Records of any of the six kinds about registered enterprises."""

    records = fields.List(
        # Loaded item by item (load_item); the document still says what every
        # item must hold besides its kind's fields.
        fields.Dict(
            metadata={
                "required": list(ITEM_FIELDS),
                "properties": {
                    "kind": {"type": "string", "enum": sorted(REQUEST_SCHEMAS)},
                    "credit_code": {"type": "string"},
                },
            }
        ),
        required=True,
        validate=validate.Length(min=1, max=BATCH_MAX),
        metadata={
            "description": "each the body its kind's POST takes, with `kind` "
            "and `credit_code` (one of the six kinds)"
        },
    )


class RecordBatchItemSchema(Schema):
    """Which kind of record an item is, and about which enterprise."""

    kind = choice(tuple(REQUEST_SCHEMAS), required=True)
    credit_code = credit_code(required=True)


class RecordBatchSchema(Schema):
    """The records appended, and those that were in the log already."""

    recorded = fields.List(fields.Nested(RecordSchema))
    already_recorded = fields.List(
        fields.UUID(),
        metadata={"description": "ids of records the log held before: left out"},
    )


ITEM = RecordBatchItemSchema()
# One loader per kind, made once: a batch loads up to 100 items, an import
# a file of them, and a schema is built from its fields on every instance.
KIND_LOADERS = {kind: schema() for kind, schema in REQUEST_SCHEMAS.items()}


def load_item(item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Return an item's kind and facts, loaded as its kind's POST loads a body;
    ValidationError with every field's messages."""
    head = {k: item[k] for k in ITEM_FIELDS if k in item}
    body = {k: v for k, v in item.items() if k not in ITEM_FIELDS}
    messages: dict[str, Any] = {}
    try:
        loaded = ITEM.load(head)
    except ValidationError as error:
        messages |= _messages(error)
        loaded = {}
    try:
        loader = KIND_LOADERS.get(loaded.get("kind", ""))
        facts = loader.load(body) if loader else {}
    except ValidationError as error:
        messages |= _messages(error)
    if messages:
        raise ValidationError(messages)
    return loaded["kind"], facts | {"credit_code": loaded["credit_code"]}


def _messages(error: ValidationError) -> dict[str, Any]:
    messages = error.messages
    return messages if isinstance(messages, dict) else {"_schema": messages}
