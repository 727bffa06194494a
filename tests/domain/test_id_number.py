"""Resident ID numbers: GB 11643 shape, birth date and check digit."""

from __future__ import annotations

import pytest

from credit_svc.adapters.personal_data import Pseudonymiser
from credit_svc.domain.id_number import is_valid_id_number

# GB 11643-1999's own worked example, and one whose check character is X.
VALID = ("11010519491231002X", "110105194912310038")


@pytest.mark.parametrize("number", [VALID[0], VALID[0].lower(), f" {VALID[0]} "])
def test_a_valid_number_passes_whatever_its_case_and_spacing(number: str) -> None:
    assert is_valid_id_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "110105194902300021",  # 30 February
        "01010519491231002X",  # division code cannot start with 0
        "11010519491231002",  # 17 characters
        "1101051949123100X2",  # X only as the check character
        "",
    ],
)
def test_an_invalid_number_fails(number: str) -> None:
    assert not is_valid_id_number(number)


def test_pseudonyms_depend_on_the_key_and_not_on_case() -> None:
    one, other = Pseudonymiser(b"k" * 32), Pseudonymiser(b"j" * 32)

    assert one.pseudonym(VALID[0]) == one.pseudonym(VALID[0].lower())
    assert one.pseudonym(VALID[0]) != other.pseudonym(VALID[0])
    assert one.pseudonym(VALID[0]) != one.pseudonym(VALID[1])
