"""When records start and stop counting: the boundary days exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from credit_svc.domain.assessment import assess
from tests.factories import make_fact, shipped_pack

YANTAI = shipped_pack("shandong-yantai")
HONOUR = {"category": "honour", "level": "provincial", "title": "t"}


@pytest.mark.parametrize(
    ("day", "counted"),
    [
        (date(2025, 2, 28), False),  # the day before its business date
        (date(2025, 3, 1), True),  # its business date
        (date(2026, 2, 28), True),  # the last day of the default 12 months
        (date(2026, 3, 1), False),  # the day it expires
    ],
)
def test_record_counts_from_its_business_date_until_the_day_it_expires(
    day: date, counted: bool
) -> None:
    fact = make_fact("good_credit", "2025-03-01", **HONOUR)

    assessment = assess([fact], YANTAI, day)

    assert (len(assessment.counted) == 1) is counted
    assert assessment.standing.score == Decimal(70 if counted else 60)


def test_uncounted_records_say_why() -> None:
    early = make_fact("good_credit", "2026-07-01", **HONOUR)
    expired = make_fact("good_credit", "2024-01-01", **HONOUR)
    unmatched = make_fact("list_entry", "2026-01-01", list_type="unknown", reason="r")

    reasons = [
        u.reason
        for u in assess([early, expired, unmatched], YANTAI, date(2026, 6, 1)).uncounted
    ]

    assert reasons == [
        "not yet in effect: business date 2026-07-01",
        "expired on 2025-01-01",
        "no rule of the pack matches this record",
    ]


def test_stated_term_overrides_the_default_validity() -> None:
    fact = make_fact("good_credit", "2025-03-01", term_months=3, **HONOUR)

    counted = assess([fact], YANTAI, date(2025, 5, 31)).counted

    assert counted[0].expires_on == date(2025, 6, 1)


def test_serious_bad_records_count_for_the_severity_period() -> None:
    serious = make_fact(
        "bad_credit",
        "2025-03-01",
        severity="serious",
        points=None,
        veto=False,
        flags=[],
        violation_code="V",
    )

    counted = assess([serious], YANTAI, date(2027, 2, 28)).counted

    assert counted[0].expires_on == date(2028, 3, 1)
    assert counted[0].points == Decimal(-15)
