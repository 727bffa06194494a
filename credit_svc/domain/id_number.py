"""Resident identity numbers (公民身份号码, GB 11643-1999): shape and check digit.

The number itself is personal data. The domain only validates it; turning it
into a keyed pseudonym needs a secret key and so lives outside the domain
(credit_svc.adapters.personal_data).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS: Final = "10X98765432"  # indexed by the weighted sum mod 11
ID_PATTERN: Final = re.compile(r"[1-9][0-9]{16}[0-9X]")  # ASCII digits only


def normalised(id_number: str) -> str:
    """Return the number as it is compared: no spaces, a capital X."""
    return id_number.strip().upper()


def check_character(first_17: str) -> str:
    """Return the GB 11643 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first_17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def is_valid_id_number(id_number: str) -> bool:
    """Tell whether an 18-character number has a real birth date and check digit."""
    number = normalised(id_number)
    if not ID_PATTERN.fullmatch(number):
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return check_character(number[:17]) == number[17]
