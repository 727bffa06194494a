"""Schemas of credit reports (信用报告) over the API."""

from __future__ import annotations

from marshmallow import Schema, fields


class IssueReportRequestSchema(Schema):
    """What a report is asked for."""

    as_of = fields.Date(
        load_default=None,
        metadata={
            "description": "the day the report states the firm's credit on; "
            "today by default"
        },
    )


class ReportVerificationSchema(Schema):
    """What checking the issued report against the log found."""

    genuine = fields.Boolean()
    signature_valid = fields.Boolean()
    log_matches = fields.Boolean()
    content_matches = fields.Boolean()
    grade_confirmed = fields.Boolean()
    problems = fields.List(fields.String())


class ReportLinksSchema(Schema):
    """Where the report is read, printed and checked."""

    page = fields.String(metadata={"description": "the public check page (QR code)"})
    pdf = fields.String()
    document = fields.String(metadata={"description": "the report as an HTML page"})


class CreditReportSchema(Schema):
    """An issued credit report: what it says, and the signed statement fixing it."""

    report_number = fields.String()
    credit_code = fields.String()
    as_of = fields.Date()
    issued_on = fields.Date()
    valid_until = fields.Date(metadata={"description": "its last valid day (有效期)"})
    valid_today = fields.Boolean()
    issued_by = fields.String()
    content = fields.Dict(
        metadata={
            "description": "what the report says; content_sha256 hashes "
            "its canonical JSON"
        }
    )
    statement = fields.Dict(
        metadata={
            "description": "what the signature covers, in canonical JSON "
            "(sorted keys, no spaces, UTF-8)"
        }
    )
    algorithm = fields.String()
    signature = fields.String(metadata={"description": "base64"})
    links = fields.Nested(ReportLinksSchema)
    verification = fields.Nested(ReportVerificationSchema)
    changes_since = fields.Dict(
        allow_none=True,
        metadata={
            "description": "the grade today, and the records listed in "
            "reports recorded or changed after the report's log head"
        },
    )
