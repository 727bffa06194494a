"""What one record does under a pack: the counts a tally keeps of it."""

from __future__ import annotations

import pytest

from credit_svc.domain.effect import effect_of
from credit_svc.domain.fact import RecordFact
from tests.factories import make_fact, shipped_pack

YANTAI = shipped_pack("shandong-yantai")


def bad(points: str, **extra: object) -> RecordFact:
    """A bad-credit record whose stated points the pack uses."""
    attributes = {"severity": "general", "points": points, "veto": False, "flags": []}
    return make_fact("bad_credit", "2026-01-01", **(attributes | extra))


@pytest.mark.parametrize(
    ("fact", "counted_as", "matters"),
    [
        (
            make_fact("list_entry", "2026-01-01", list_type="blacklist"),
            ("blacklist",),
            True,
        ),
        (
            make_fact("list_entry", "2026-01-01", list_type="red_board"),
            ("board:red",),
            True,
        ),
        (
            make_fact("list_entry", "2026-01-01", list_type="black_board"),
            ("bad", "board:black"),
            True,
        ),
        (bad("2", veto=True), ("veto", "bad"), True),
        (bad("2"), ("bad",), True),
        (bad("0"), (), True),  # a rule matched: it still counts, for nothing
        (make_fact("appraisal", "2026-01-01", opinion="none_such"), (), False),
    ],
)
def test_the_counts_and_whether_a_record_matters(
    fact: RecordFact, counted_as: tuple[str, ...], matters: bool
) -> None:
    effect = effect_of(fact, YANTAI)

    assert effect.counted_as == counted_as
    assert effect.matters is matters
