"""Mianyang award exclusions: every reason, with its window."""

from __future__ import annotations

from datetime import date

import pytest

from credit_svc.domain.assessment import assess
from credit_svc.domain.eligibility import (
    award_eligibility,
    bars_on,
    record_kinds_needed,
)
from credit_svc.domain.fact import RecordFact
from tests.factories import make_fact, shipped_pack

MIANYANG = shipped_pack("sichuan-mianyang")
PARTY = make_fact(
    "party_building",
    "2025-01-10",
    period="2024",
    has_party_organisation=True,
    party_member_count=5,
    joint_building=True,
    level="good",
)


def reasons(facts: list[RecordFact], day: date) -> list[str]:
    """Return the reasons that bar the enterprise on the day."""
    standing = assess(facts, MIANYANG, day).standing
    return [
        bar.reason for bar in award_eligibility(facts, standing, MIANYANG, day).bars
    ]


def flagged(day: str, flag: str) -> RecordFact:
    """Return a minor bad-credit record carrying a flag."""
    return make_fact(
        "bad_credit",
        day,
        severity="minor",
        points="1",
        veto=False,
        flags=[flag],
        violation_code=f"{flag}-{day}",
    )


def test_clean_enterprise_with_a_party_organisation_is_eligible() -> None:
    assert reasons([PARTY], date(2025, 6, 1)) == []


def test_no_party_building_assessment_bars() -> None:
    assert reasons([], date(2025, 6, 1)) == ["no_party_organisation"]


@pytest.mark.parametrize(
    ("form", "members", "barred"),
    [
        ("none", 3, True),  # required (3 or more) and has none of any form
        ("none", 2, False),  # not required to form its own
        ("joint", 5, False),  # a joint branch is an organisation
        ("attached", 1, False),
        (None, 3, True),  # stored before the form was asked: from the boolean
    ],
)
def test_the_latest_assessment_bars_a_firm_required_to_form_one(
    form: str | None, members: int, barred: bool
) -> None:
    later = make_fact(
        "party_building",
        "2025-03-01",
        period="2025-Q1",
        has_party_organisation=form not in ("none", None),
        party_member_count=members,
        joint_building=False,
        level="fail",
        **({"organisation_form": form} if form else {}),
    )

    assert ("no_party_organisation" in reasons([PARTY, later], date(2025, 6, 1))) is (
        barred
    )


@pytest.mark.parametrize(
    ("day", "barred"),
    [
        (date(2027, 8, 9), True),  # the last day of the two years
        (date(2027, 8, 10), False),  # two years on
    ],
)
def test_major_safety_accident_bars_for_two_years(day: date, barred: bool) -> None:
    facts = [PARTY, flagged("2025-08-10", "major_safety_accident")]

    assert ("major_safety_accident" in reasons(facts, day)) is barred


@pytest.mark.parametrize(
    ("day", "barred"),
    [
        (date(2025, 12, 31), True),
        (date(2026, 1, 1), False),
    ],
)
def test_labour_violation_bars_for_the_calendar_year(day: date, barred: bool) -> None:
    facts = [PARTY, flagged("2025-02-01", "major_labour_violation")]

    assert ("major_labour_violation" in reasons(facts, day)) is barred


def test_grade_b_or_below_and_blacklist_both_bar() -> None:
    blacklist = make_fact("list_entry", "2025-05-01", list_type="blacklist", reason="r")

    assert reasons([PARTY, blacklist], date(2025, 6, 1)) == [
        "grade_b_or_below",
        "blacklisted",
    ]


def test_record_after_the_day_asked_does_not_bar() -> None:
    facts = [PARTY, flagged("2025-08-10", "abnormal_operations_list")]

    assert reasons(facts, date(2025, 8, 9)) == []
    assert reasons(facts, date(2025, 8, 10)) == ["abnormal_operations_list"]


def test_grade_readers_fetch_only_the_record_kinds_the_exclusions_read() -> None:
    day = date(2025, 6, 1)
    facts = [PARTY, flagged("2025-03-01", "major_safety_accident")]
    standing = assess(facts, MIANYANG, day).standing
    kinds = record_kinds_needed(MIANYANG)
    read = [fact for fact in facts if fact.kind in kinds]

    bars = bars_on(read, standing.grade, standing.blacklisted, MIANYANG, day)

    assert kinds == {"party_building", "bad_credit"}
    assert record_kinds_needed(shipped_pack("shandong-yantai")) == frozenset()
    assert bars == award_eligibility(facts, standing, MIANYANG, day).bars
    assert [bar.reason for bar in bars] == ["major_safety_accident"]
