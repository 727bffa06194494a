"""Project rules as pure functions: scope, combination, working days, and the
shipped Mianyang 2027 pack's demonstration-enterprise condition."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from credit_svc.domain.eligibility import bars_on
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.project_rules import Scope, combine
from credit_svc.domain.working_days import CalendarMissingError
from credit_svc.rulepacks.calendar_load import load_calendar
from credit_svc.rulepacks.load import load_packs
from tests.factories import make_fact

CALENDAR = load_calendar()


def test_a_record_naming_no_project_is_the_enterprise_s_alone() -> None:
    scope = Scope({"list_entry:blacklist": "project", "inspection": "enterprise"})
    firm_wide = make_fact("list_entry", "2026-01-01", list_type="blacklist")
    at_project = make_fact(
        "list_entry", "2026-01-01", list_type="blacklist", project_code="P-1"
    )
    inspected = make_fact("inspection", "2026-01-01", project_code="P-1")
    board = make_fact(
        "list_entry", "2026-01-01", list_type="red_board", project_code="P"
    )

    assert [scope.of(f) for f in (firm_wide, at_project, inspected, board)] == [
        "enterprise",
        "project",
        "enterprise",
        "both",
    ]
    assert not scope.counts_for_enterprise(at_project)
    assert not scope.counts_for_project(inspected)


@pytest.mark.parametrize(
    ("how", "expected"),
    [("sum", "4"), ("mean", "1.33"), ("lowest", "-6")],
)
def test_figures_combine_as_the_pack_says(how: str, expected: str) -> None:
    figures = [Decimal(3), Decimal(-6), Decimal(7)]

    assert str(combine(how, figures)) == expected


def test_working_days_skip_holidays_and_count_make_up_days() -> None:
    # National Day 2026: 1-7 October off, Saturday 10 October worked.
    assert CALENDAR.add(date(2026, 9, 30), 3) == date(2026, 10, 10)
    # Spring Festival 2026: 15-23 February off, Saturday 14 February worked.
    assert CALENDAR.add(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CALENDAR.add(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_a_day_past_the_calendar_files_names_the_file_to_add() -> None:
    with pytest.raises(CalendarMissingError, match=r"calendar/2027\.yaml"):
        CALENDAR.add(date(2026, 12, 30), 5)


def test_the_2027_mianyang_rules_want_a_demonstration_project_that_year() -> None:
    pack = next(p for p in load_packs() if p.version == "2027.1")
    made = make_fact(
        "good_credit",
        "2027-03-01",
        category="demonstration_project",
        level="city",
        title="示范项目",
        project_code="P-1",
    )
    party = make_fact("party_building", "2027-01-10", has_party_organisation=True)

    def reasons(day: str, *facts: RecordFact) -> set[str]:
        bars = bars_on([party, *facts], "AA", False, pack, date.fromisoformat(day))
        return {bar.reason for bar in bars}

    assert reasons("2027-06-01") == {"no_demonstration_project"}
    assert reasons("2027-02-28", made) == {"no_demonstration_project"}
    assert reasons("2027-03-01", made) == set()
    assert reasons("2028-01-01", made) == {"no_demonstration_project"}
