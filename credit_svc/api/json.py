"""JSON output: ISO dates and exact decimal strings, Chinese text left readable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask.json.provider import DefaultJSONProvider


def decimal_text(value: Decimal) -> str:
    """Write an exact decimal the one way every answer does: "84", "92.5";
    never "84.0", "90.00" or "9E+1", whatever arithmetic made it."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)) + 0)  # + 0: no "-0"
    return str(value.normalize())


def _default(value: Any) -> Any:
    if isinstance(value, date):  # datetime too: ISO 8601, not Flask's HTTP date
        return value.isoformat()
    if isinstance(value, Decimal):
        return decimal_text(value)
    return DefaultJSONProvider.default(value)


class JSONProvider(DefaultJSONProvider):
    """Flask's provider with ISO dates and Decimals as strings."""

    ensure_ascii = False
    sort_keys = True
    default = staticmethod(_default)
