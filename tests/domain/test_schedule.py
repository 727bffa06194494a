"""Which pack governs a jurisdiction on a day."""

from __future__ import annotations

from datetime import date

import pytest

from credit_svc.domain.schedule import PackSchedule
from credit_svc.rulepacks.load import load_packs

PACKS = load_packs()


@pytest.mark.parametrize(
    ("jurisdiction", "day", "pack_id"),
    [
        (
            "510703",
            date(2024, 12, 31),
            "sichuan",
        ),  # the province pack before the city's
        (
            "510703",
            date(2025, 1, 1),
            "sichuan-mianyang",
        ),  # the city pack from its first day
        (
            "511002",
            date(2026, 1, 1),
            "sichuan",
        ),  # other Sichuan cities keep the province's
        ("370602", date(2022, 1, 1), "shandong-yantai"),
        ("370602", date(2021, 12, 31), None),
        ("110105", date(2026, 1, 1), None),
    ],
)
def test_most_specific_pack_in_force_governs(
    jurisdiction: str, day: date, pack_id: str | None
) -> None:
    pack = PackSchedule(jurisdiction, PACKS).pack_on(day)

    assert (pack.pack_id if pack else None) == pack_id
