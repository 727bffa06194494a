"""Scores, bands, caps and overrides under the shipped Yantai pack."""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from credit_svc.domain.assessment import assess
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.rulepack import Category
from tests.factories import make_fact, shipped_pack

YANTAI = shipped_pack("shandong-yantai")
DAY = date(2026, 6, 1)


def good(points: int, day: str = "2026-01-01") -> RecordFact:
    """A good-credit honour worth `points` under the Yantai pack (5, 10 or 15)."""
    level = {5: "city", 10: "provincial", 15: "national"}[points]
    return make_fact(
        "good_credit", day, category="honour", level=level, title=f"{level}"
    )


def bad(points: str, day: str = "2026-01-01", **extra: object) -> RecordFact:
    """A bad-credit record whose stated points the pack uses."""
    attributes = {
        "severity": "general",
        "points": points,
        "veto": False,
        "flags": [],
        "violation_code": f"V{points}{day}",
    } | extra
    return make_fact("bad_credit", day, **attributes)


# Base 60. Good records add 5/10/15; stated bad points subtract.
@pytest.mark.parametrize(
    ("facts", "score", "grade"),
    [
        ([good(15), good(10)], "85", "AAA"),  # floor of AAA
        ([good(15), good(10), bad("0.01")], "84.99", "AA"),  # just under it
        ([good(10), good(10)], "80", "AA"),
        ([good(10), good(5), bad("0.01")], "74.99", "A"),
        ([good(10)], "70", "A"),
        ([good(5), bad("5.01")], "59.99", "C"),  # below 60 with a bad record
        ([bad("0")], "60", "B"),  # floor of B; 0 stated points is not a bad record
        ([], "60", "B"),
    ],
)
def test_score_on_and_below_band_floors_gets_the_right_grade(
    facts: list[RecordFact], score: str, grade: str
) -> None:
    standing = assess(facts, YANTAI, DAY).standing

    assert standing.score == Decimal(score)
    assert standing.grade == grade


def test_good_records_are_capped_at_forty() -> None:
    facts = [good(15, "2026-01-01"), good(15, "2026-01-02"), good(15, "2026-01-03")]

    standing = assess(facts, YANTAI, DAY).standing

    good_total = next(t for t in standing.categories if t.name == "good")
    assert (good_total.raw, good_total.applied, good_total.limited) == (
        Decimal(45),
        Decimal(40),
        True,
    )
    assert standing.score == Decimal(100)


def test_category_minimum_limits_deductions() -> None:
    assert Category("deduction", min=Decimal(-90)).clamp(Decimal(-120)) == Decimal(-90)


def test_blacklist_overrides_any_score_to_the_blacklist_tier() -> None:
    facts = [
        good(15),
        good(15),
        make_fact("list_entry", "2026-01-01", list_type="blacklist", reason="r"),
    ]

    standing = assess(facts, YANTAI, DAY).standing

    assert (standing.band_grade, standing.grade, standing.blacklisted) == (
        "AAA",
        "BL",
        True,
    )
    assert standing.board == "black"
    assert [(o.condition, o.applied) for o in standing.overrides] == [
        ("blacklisted", True)
    ]


def test_veto_caps_a_good_score_at_b() -> None:
    facts = [good(15), good(15), bad("2", veto=True)]

    standing = assess(facts, YANTAI, DAY).standing

    assert (standing.score, standing.band_grade, standing.grade) == (
        Decimal(88),
        "AAA",
        "B",
    )


def test_veto_does_not_lift_a_c_to_b() -> None:
    standing = assess([bad("20", veto=True)], YANTAI, DAY).standing

    assert (standing.score, standing.grade) == (Decimal(40), "C")


def test_low_score_without_bad_records_is_b_not_c() -> None:
    lean = replace(YANTAI, base_score=Decimal(50))

    standing = assess([], lean, DAY).standing

    assert (standing.band_grade, standing.grade) == ("C", "B")
    assert [o.condition for o in standing.overrides] == [
        "low_score_without_bad_records"
    ]


def test_first_matching_rule_wins() -> None:
    national = make_fact(
        "good_credit", "2026-01-01", category="honour", level="national", title="t"
    )

    effect = assess([national], YANTAI, DAY).counted[0]

    assert (effect.rule.number if effect.rule else None, effect.points) == (
        8,
        Decimal(15),
    )


def test_stated_bad_points_replace_the_pack_default() -> None:
    stated, default = bad("8"), bad("0", day="2026-01-02")
    unstated = make_fact(
        "bad_credit",
        "2026-01-03",
        severity="general",
        points=None,
        veto=False,
        flags=[],
        violation_code="V",
    )

    counted = assess([stated, unstated, default], YANTAI, DAY).counted

    assert [e.points for e in counted] == [Decimal(-8), Decimal(-5), Decimal(0)]


def test_grade_on_a_board_follows_the_pack() -> None:
    facts = [good(15), good(15)]

    standing = assess(facts, YANTAI, DAY).standing

    assert (standing.grade, standing.board, standing.tender_points) == (
        "AAA",
        "red",
        Decimal(3),
    )


def test_a_pickled_pack_grades_as_the_original() -> None:
    # Rebuilds send the packs to their grading workers.
    assess([bad("5")], YANTAI, DAY)

    copied = pickle.loads(pickle.dumps(YANTAI))

    assert copied == YANTAI
    assert assess([bad("5")], copied, DAY) == assess([bad("5")], YANTAI, DAY)
