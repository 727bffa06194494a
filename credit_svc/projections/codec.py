"""JSON for record facts in the read model, with dates and Decimals kept exact."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any, Final

import orjson

DECIMAL_FIELDS: Final = frozenset({"score", "points", "owner_satisfaction"})
DATE_FIELDS: Final = frozenset(
    {
        "business_date",
        "rectification_deadline",
        "filed_on",
        "resolved_on",
        "applied_on",
        "decided_on",
        "lifted_on",
        "rectified_on",
    }
)


# One encoder for all: json.dumps with options makes a new one per call (a
# fifth of the time of encoding a record's facts, made for every record a
# rebuild replays).
_ENCODER: Final = json.JSONEncoder(default=str, ensure_ascii=False, sort_keys=True)


def encode_facts(facts: dict[str, Any]) -> str:
    """Return the facts as JSON text; Decimals and dates become strings."""
    return _ENCODER.encode(facts)


def decode_facts(text: str) -> dict[str, Any]:
    """Return facts from JSON text with Decimals and dates restored.

    orjson reads what `encode_facts` writes as the standard library would,
    in a fraction of the time: every grade computed reads each record's facts
    (a sixth of the time of grading a rebuild's 2,000 enterprises).
    """
    return _typed(orjson.loads(text))


def _typed(facts: dict[str, Any]) -> dict[str, Any]:
    for name, value in facts.items():
        if value is not None and name in DECIMAL_FIELDS:
            facts[name] = Decimal(value)
        elif value is not None and name in DATE_FIELDS:
            facts[name] = date.fromisoformat(value)
        elif name == "changes":  # a correction's changed facts
            facts[name] = _typed(value)
    return facts
