"""Read the credit reports' validity terms (reports/terms.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError, fields, post_load, validate

from credit_svc.domain.credit_report import ReportTerms
from credit_svc.rulepacks.load import BASE_LOADER, PACKAGED_DIR, RulePackError

TERMS_FILE = PACKAGED_DIR / "reports" / "terms.yaml"


class ReportTermsSchema(Schema):
    """One version of the terms, from its effective date."""

    effective_from = fields.Date(required=True)
    valid_days = fields.Integer(required=True, validate=validate.Range(min=1, max=730))
    source = fields.String(load_default="")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> ReportTerms:
        """Return the terms."""
        return ReportTerms(**data)


class ReportTermsFileSchema(Schema):
    """The file: every version of the terms."""

    terms = fields.List(fields.Nested(ReportTermsSchema), required=True)


def load_report_terms(path: Path = TERMS_FILE) -> tuple[ReportTerms, ...]:
    """Load and check the terms file."""
    try:
        data = ReportTermsFileSchema().load(
            yaml.load(path.read_text(encoding="utf-8"), Loader=BASE_LOADER)
        )
    except (yaml.YAMLError, ValidationError) as error:
        raise RulePackError(f"{path.name}: {error}") from None
    return tuple(data["terms"])
