"""JSON output: ISO dates and exact decimal strings, Chinese text left readable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask.json.provider import DefaultJSONProvider


def _default(value: Any) -> Any:
    if isinstance(value, date):  # datetime too: ISO 8601, not Flask's HTTP date
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return DefaultJSONProvider.default(value)


class JSONProvider(DefaultJSONProvider):
    """Flask's provider with ISO dates and Decimals as strings."""

    ensure_ascii = False
    sort_keys = True
    default = staticmethod(_default)
