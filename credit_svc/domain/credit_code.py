"""Unified social credit codes (统一社会信用代码, GB 32100-2015) and jurisdictions."""

from __future__ import annotations

import re
from typing import Final
from uuid import UUID, uuid5

# GB 32100 uses 31 characters: digits and capitals without I, O, S, V, Z.
ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CODE_PATTERN: Final = re.compile(rf"[{ALPHABET}]{{18}}")
DIVISION_PATTERN: Final = re.compile(r"[1-9][0-9]{5}")  # ASCII digits only
NAMESPACE: Final = UUID("6f1c8b52-4e0a-4c55-9a43-3f7d2f0d9a11")


def check_character(first_17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first_17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """Tell whether a code has the GB 32100 shape and a correct check character."""
    return bool(CODE_PATTERN.fullmatch(code)) and check_character(code[:17]) == code[17]


def is_valid_division_code(code: str) -> bool:
    """Tell whether a code looks like a 6-digit administrative division code."""
    return bool(DIVISION_PATTERN.fullmatch(code))


def enterprise_id(credit_code: str) -> UUID:
    """Return the aggregate id of the enterprise with this credit code."""
    return uuid5(NAMESPACE, f"enterprise:{credit_code}")


def record_id(natural_key: str) -> UUID:
    """Return the aggregate id of a record from its natural key."""
    return uuid5(NAMESPACE, f"record:{natural_key}")
