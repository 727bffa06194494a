"""Schemas of the change feed."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from credit_svc.api.audit_schemas import SignedCheckpointSchema
from credit_svc.api.fields import MAX_BIGINT
from credit_svc.api.grade_schemas import SegmentSchema
from credit_svc.api.record_schemas import RecordSchema

MAX_PAGE = 1000


class FeedQueryArgsSchema(Schema):
    """Where to resume, how many items, and optionally which jurisdiction."""

    after = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_BIGINT),
        metadata={"description": "the last seq already processed (0 from the start)"},
    )
    limit = fields.Integer(
        load_default=100, validate=validate.Range(min=1, max=MAX_PAGE)
    )
    jurisdiction = fields.String(
        load_default=None,
        validate=validate.Regexp(
            r"^([0-9]{2}|[0-9]{4}|[0-9]{6})$",
            error="2, 4 or 6 digits of a division code",
        ),
        metadata={"description": "only enterprises registered under this division"},
    )


class FeedItemSchema(Schema):
    """A new record, or an enterprise's grade timeline after it changed."""

    seq = fields.Integer(metadata={"description": "the feed cursor; only grows"})
    position = fields.Integer(metadata={"description": "event log position behind it"})
    type = fields.String(metadata={"description": "record or grade"})
    credit_code = fields.String()
    jurisdiction = fields.String()
    record = fields.Nested(RecordSchema, allow_none=True)
    grades = fields.List(
        fields.Nested(SegmentSchema),
        allow_none=True,
        metadata={"description": "the whole grade timeline as it now stands"},
    )


class FeedPageSchema(Schema):
    """One page of the feed and where to resume."""

    items = fields.List(fields.Nested(FeedItemSchema))
    next_after = fields.Integer(metadata={"description": "pass as `after` next time"})
    view_position = fields.Integer(
        metadata={"description": "event log position the grade view has reached"}
    )
    checkpoint = fields.Nested(
        SignedCheckpointSchema,
        allow_none=True,
        metadata={
            "description": "the newest signed checkpoint of the log up to "
            "view_position (see /log/checkpoints): keep it"
        },
    )
