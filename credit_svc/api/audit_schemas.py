"""Schemas of the auditors' and tender platforms' integrity answers."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate

from credit_svc.api.fields import MAX_BIGINT, Amount

HEX_LINK = validate.Regexp(r"^[0-9a-f]{64}$", error="64 lowercase hex digits")


class HeadSchema(Schema):
    """A position in the event log and the chain link there."""

    position = fields.Integer(
        required=True, validate=validate.Range(min=0, max=MAX_BIGINT)
    )
    hash = fields.String(required=True, validate=HEX_LINK)


class VerifyQueryArgsSchema(Schema):
    """A head saved earlier, to detect a cut or rewritten tail."""

    head_position = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=MAX_BIGINT)
    )
    head_hash = fields.String(load_default=None, validate=HEX_LINK)


class CheckpointBodySchema(Schema):
    """What a checkpoint states, as signed."""

    type = fields.String(metadata={"description": "credit_svc log checkpoint"})
    position = fields.Integer()
    hash = fields.String(metadata={"description": "the chain link there (hex)"})
    key_id = fields.String()


class SignedCheckpointSchema(Schema):
    """A checkpoint with its Ed25519 signature over its canonical JSON."""

    checkpoint = fields.Nested(CheckpointBodySchema)
    algorithm = fields.String()
    signature = fields.String(metadata={"description": "base64"})


class CheckpointQueryArgsSchema(Schema):
    """Where to resume and how many checkpoints."""

    after = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_BIGINT),
        metadata={"description": "the last checkpoint position already held"},
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class CheckpointPageSchema(Schema):
    """Signed checkpoints in position order, and how often they are made."""

    every = fields.Integer(metadata={"description": "a checkpoint every N events"})
    checkpoints = fields.List(fields.Nested(SignedCheckpointSchema))
    next_after = fields.Integer(metadata={"description": "pass as `after` next"})


class VerdictSchema(Schema):
    """The result of walking the chain."""

    intact = fields.Boolean()
    checked = fields.Integer(metadata={"description": "events whose link held"})
    head = fields.Nested(HeadSchema, allow_none=True)
    broken_at = fields.Integer(allow_none=True)
    problem = fields.String(allow_none=True)


class EventSchema(Schema):
    """One event of an enterprise's audit history."""

    position = fields.Integer()
    aggregate_id = fields.String(metadata={"description": "enterprise or record id"})
    aggregate_version = fields.Integer()
    event_type = fields.String()
    recorded_at = fields.DateTime()
    recorded_by = fields.String()
    acting_key = fields.String(
        metadata={"description": "id of the API key that caused the event"}
    )
    document_number = fields.String()


def check_iso_date(value: str) -> None:
    """Refuse a string that is not an ISO 8601 calendar date."""
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValidationError("not an ISO 8601 date (YYYY-MM-DD)") from None


class ReceiptPackSchema(Schema):
    """Which pack a receipt's grade came from."""

    id = fields.String(required=True)
    version = fields.String(required=True)


class ReceiptSchema(Schema):
    """What a receipt states; every field is covered by the signature."""

    credit_code = fields.String(required=True)
    # Kept as the exact strings that were signed, but they must be real dates.
    as_of = fields.String(
        required=True, validate=check_iso_date, metadata={"format": "date"}
    )
    issued_at = fields.String(required=True, metadata={"format": "date-time"})
    grade = fields.String(required=True)
    score = Amount(required=True)
    tender_points = Amount(required=True)
    blacklisted = fields.Boolean(required=True, truthy={True}, falsy={False})
    eligible = fields.Boolean(required=True, truthy={True}, falsy={False})
    pack = fields.Nested(ReceiptPackSchema, required=True)
    log_head = fields.Nested(HeadSchema, required=True)
    key_id = fields.String(required=True)


class SignedReceiptSchema(Schema):
    """A receipt with its signature, as issued and as sent back to be checked."""

    receipt = fields.Nested(ReceiptSchema, required=True)
    algorithm = fields.String(required=True, validate=validate.Equal("Ed25519"))
    signature = fields.String(required=True, metadata={"description": "base64"})


class ReceiptCheckSchema(Schema):
    """What checking a receipt found."""

    valid = fields.Boolean()
    signature_valid = fields.Boolean()
    log_matches = fields.Boolean()
    grade_confirmed = fields.Boolean()
    recomputed = fields.Dict()
    problems = fields.List(fields.String())


class PublicKeySchema(Schema):
    """The key that verifies receipts."""

    algorithm = fields.String()
    key_id = fields.String()
    public_key_pem = fields.String()
