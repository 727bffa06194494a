"""JSON for record facts in the read model, with dates and Decimals kept exact."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any, Final

import orjson

DECIMAL_FIELDS: Final = frozenset(
    {"score", "points", "owner_satisfaction", "fine_amount"}
)
DATE_FIELDS: Final = frozenset(
    {
        "business_date",
        "rectification_deadline",
        "filed_on",
        "filing_date",
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
    faster (every grade computed reads each record's facts). But it
    reads an integer beyond 64 bits as a float, and facts hold no floats
    (Decimals are written as text): facts with one are read again the
    standard library's way, exactly as recorded (counts were unbounded
    before 2026-11-30, and the log keeps what it was given).
    """
    try:
        return _typed(orjson.loads(text))
    except _RoundedError:
        return _typed(json.loads(text), exact=True)


class _RoundedError(Exception):
    """orjson read a number as a float: it may have rounded it."""


def _typed(facts: dict[str, Any], *, exact: bool = False) -> dict[str, Any]:
    for name, value in facts.items():
        if value is not None and name in DECIMAL_FIELDS:
            facts[name] = Decimal(value)
        elif value is not None and name in DATE_FIELDS:
            facts[name] = date.fromisoformat(value)
        elif name == "changes":  # a correction's changed facts
            facts[name] = _typed(value, exact=exact)
        elif exact:
            continue
        elif (kind := type(value)) is float or (
            kind is list and float in map(type, value)
        ):
            raise _RoundedError
    return facts
