"""A manager's standing: who ran a project when, charged shares, own records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from credit_svc.domain.assessment import assess
from credit_svc.domain.manager_rules import ManagerRules
from credit_svc.domain.manager_standing import (
    Assignment,
    assess_manager,
    charges_to,
    manager_on,
    with_ends,
)
from tests.factories import make_fact, shipped_pack

YANTAI = shipped_pack("shandong-yantai")
CODE = "E1"
SPELLS = [
    Assignment(CODE, "P-1", "alice", date(2026, 1, 1)),
    Assignment(CODE, "P-1", "bob", date(2026, 5, 1)),
    Assignment(CODE, "P-2", "alice", date(2026, 3, 1)),
]


def test_the_latest_start_on_or_before_the_day_runs_the_project() -> None:
    assert manager_on(SPELLS, CODE, "P-1", date(2025, 12, 31)) is None
    assert manager_on(SPELLS, CODE, "P-1", date(2026, 4, 30)) == "alice"
    assert manager_on(SPELLS, CODE, "P-1", date(2026, 5, 1)) == "bob"
    assert manager_on(SPELLS, CODE, "P-2", date(2026, 5, 1)) == "alice"


def test_each_spell_ends_when_the_next_manager_of_that_project_starts() -> None:
    ends = {(a.project_code, a.manager_id): end for a, end in with_ends(SPELLS)}

    assert ends == {
        ("P-1", "alice"): date(2026, 5, 1),
        ("P-1", "bob"): None,
        ("P-2", "alice"): None,
    }


def test_a_project_without_managers_has_no_spells() -> None:
    assert with_ends([]) == []


def _enterprise_deduction(day: str, project: str = "P-1") -> list[object]:
    fact = make_fact(
        "bad_credit", day, severity="general", points="8", project_code=project
    )
    return [fact]


def test_a_deduction_goes_to_whoever_ran_the_project_on_its_business_date() -> None:
    graded = assess(_enterprise_deduction("2026-04-01"), YANTAI, date(2026, 6, 1))

    alice = charges_to("alice", graded, CODE, SPELLS, YANTAI)
    bob = charges_to("bob", graded, CODE, SPELLS, YANTAI)

    assert [c.points for c in alice] == [Decimal(-8)]
    assert bob == []


def test_a_pack_with_no_share_charges_nothing() -> None:
    pack = replace(YANTAI, managers=ManagerRules())
    graded = assess(_enterprise_deduction("2026-04-01"), pack, date(2026, 6, 1))

    assert charges_to("alice", graded, CODE, SPELLS, pack) == []


def test_an_expired_deduction_is_no_longer_charged() -> None:
    graded = assess(_enterprise_deduction("2026-04-01"), YANTAI, date(2028, 6, 1))

    assert charges_to("alice", graded, CODE, SPELLS, YANTAI) == []


def test_points_add_own_records_and_charges_to_the_base() -> None:
    penalty = make_fact("manager_bad_credit", "2026-02-01", severity="serious")
    graded = assess(_enterprise_deduction("2026-04-01"), YANTAI, date(2026, 6, 1))
    charges = charges_to("alice", graded, CODE, SPELLS, YANTAI)

    standing = assess_manager([penalty], charges, YANTAI, date(2026, 6, 1)).standing

    assert standing.points == Decimal(100 - 10 - 8)
    assert (standing.blacklisted, standing.barred) == (False, False)


def test_a_black_board_entry_shows_but_does_not_bar() -> None:
    board = make_fact("manager_list_entry", "2026-02-01", list_type="black_board")

    standing = assess_manager([board], [], YANTAI, date(2026, 6, 1)).standing

    assert (standing.board, standing.blacklisted, standing.barred) == (
        "black",
        False,
        False,
    )
