"""Read the national Party-coverage rule (national/party.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError, fields, post_load, validate

from credit_svc.domain.coverage import PartyRule
from credit_svc.rulepacks.load import BASE_LOADER, PACKAGED_DIR, RulePackError

PARTY_FILE = PACKAGED_DIR / "national" / "party.yaml"


class PartyRuleSchema(Schema):
    """One version of the rule, from its effective date."""

    effective_from = fields.Date(required=True)
    branch_members = fields.Integer(
        required=True, validate=validate.Range(min=1, max=50)
    )
    source = fields.String(load_default="")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> PartyRule:
        """Return the rule."""
        return PartyRule(**data)


class PartyFileSchema(Schema):
    """The file: every version of the rule."""

    versions = fields.List(fields.Nested(PartyRuleSchema), required=True)


def load_party_rules(path: Path = PARTY_FILE) -> tuple[PartyRule, ...]:
    """Load and check the file."""
    try:
        data = PartyFileSchema().load(
            yaml.load(path.read_text(encoding="utf-8"), Loader=BASE_LOADER)
        )
    except (yaml.YAMLError, ValidationError) as error:
        raise RulePackError(f"{path.name}: {error}") from None
    return tuple(data["versions"])
