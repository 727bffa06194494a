"""Parse a rule's `when` mapping into typed conditions on record attributes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Final

from marshmallow import ValidationError

from credit_svc.domain.rulepack import Condition

BOOLEAN_ATTRIBUTES: Final = frozenset(
    {"passed", "veto", "has_party_organisation", "joint_building"}
)
NUMERIC_ATTRIBUTES: Final = frozenset(
    {
        "score",
        "points",
        "party_member_count",
        "owner_satisfaction",
        "sample_size",
        "term_months",
    }
)
TRUTH: Final = {"true": True, "yes": True, "false": False, "no": False}


def parse_conditions(
    kind: str, when: dict[str, Any], path: str
) -> tuple[Condition, ...]:
    """Return one condition per attribute named in `when`."""
    try:
        return tuple(_parse(name, spec) for name, spec in when.items())
    except (ValueError, InvalidOperation) as error:
        raise ValidationError(f"{kind}: {error}", f"{path}.when") from None


def _parse(attribute: str, spec: Any) -> Condition:
    if isinstance(spec, dict):
        if attribute not in NUMERIC_ATTRIBUTES or not set(spec) <= {
            "at_least",
            "below",
        }:
            raise ValueError(f"{attribute}: a range takes at_least/below on a number")
        return Condition(
            attribute,
            at_least=_decimal(spec.get("at_least")),
            below=_decimal(spec.get("below")),
        )
    values = spec if isinstance(spec, list) else [spec]
    return Condition(attribute, one_of=tuple(_typed(attribute, v) for v in values))


def _typed(attribute: str, value: Any) -> Any:
    text = str(value).strip()
    if attribute in BOOLEAN_ATTRIBUTES:
        if text.lower() not in TRUTH:
            raise ValueError(f"{attribute}: {text!r} is not true or false")
        return TRUTH[text.lower()]
    if attribute in NUMERIC_ATTRIBUTES:
        return Decimal(text)
    return text


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
