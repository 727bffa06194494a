"""GB 32100 check characters and division codes."""

from __future__ import annotations

import pytest

from credit_svc.domain.credit_code import (
    enterprise_id,
    is_valid_credit_code,
    is_valid_division_code,
)


def test_published_example_code_is_valid() -> None:
    assert is_valid_credit_code("91350100M000100Y43")


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100m000100Y43",  # lower case
        "91350100M000100Y4",  # 17 characters
        "91350100M000100I43",  # I is not in the GB 32100 alphabet
        "",
    ],
)
def test_malformed_codes_are_invalid(code: str) -> None:
    assert not is_valid_credit_code(code)


@pytest.mark.parametrize(
    ("code", "valid"),
    [("370602", True), ("3706", False), ("037060", False), ("37060a", False)],
)
def test_division_codes_have_six_digits_and_no_leading_zero(
    code: str, valid: bool
) -> None:
    assert is_valid_division_code(code) is valid


def test_enterprise_id_is_stable_per_code() -> None:
    assert enterprise_id("91350100M000100Y43") == enterprise_id("91350100M000100Y43")
    assert enterprise_id("91350100M000100Y43") != enterprise_id("91370602MA3C4K7Q11")
