"""Grade history: segments change on start and expiry days and agree with assess()."""

from __future__ import annotations

import random
from datetime import date, timedelta

from credit_svc.domain.assessment import assess
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.schedule import PackSchedule
from credit_svc.domain.timeline import Segment, grade_timeline
from credit_svc.rulepacks.load import load_packs
from tests.factories import make_fact

PACKS = load_packs()


def segment_on(segments: list[Segment], day: date) -> Segment | None:
    """Return the segment holding on the day."""
    return next(
        (
            s
            for s in segments
            if s.starts_on <= day and (s.ends_on is None or day < s.ends_on)
        ),
        None,
    )


def test_grade_changes_on_the_day_a_record_expires() -> None:
    schedule = PackSchedule("370602", PACKS)
    honour = make_fact(
        "good_credit", "2025-03-01", category="honour", level="national", title="t"
    )
    honour_2 = make_fact(
        "good_credit", "2025-04-01", category="honour", level="provincial", title="u"
    )

    segments = grade_timeline([honour, honour_2], schedule)

    assert [(s.starts_on, s.standing.grade) for s in segments] == [
        (date(2022, 1, 1), "B"),
        (date(2025, 3, 1), "A"),
        (date(2025, 4, 1), "AAA"),
        (date(2026, 3, 1), "A"),
        (date(2026, 4, 1), "B"),
    ]
    assert segments[-1].ends_on is None


def test_history_switches_pack_when_the_city_pack_takes_effect() -> None:
    segments = grade_timeline([], PackSchedule("510703", PACKS))

    assert [(s.starts_on, s.standing.pack_id) for s in segments] == [
        (date(2023, 1, 1), "sichuan"),
        (date(2025, 1, 1), "sichuan-mianyang"),
        (date(2027, 1, 1), "sichuan-mianyang"),  # its version 2027.1
    ]


def test_no_segment_before_any_pack_is_in_force() -> None:
    segments = grade_timeline([], PackSchedule("370602", PACKS))

    assert segment_on(segments, date(2021, 12, 31)) is None


def random_facts(rng: random.Random, count: int) -> list[RecordFact]:
    """Return a mixed bag of records across 2023-2026."""
    facts: list[RecordFact] = []
    for n in range(count):
        day = (date(2023, 1, 1) + timedelta(days=rng.randrange(1400))).isoformat()
        term = rng.choice([None, None, 3, 6, 24])
        kind = rng.choice(["good", "bad", "list", "inspection"])
        if kind == "good":
            facts.append(
                make_fact(
                    "good_credit",
                    day,
                    term,
                    category=rng.choice(
                        ["honour", "demonstration_project", "old_estate_takeover"]
                    ),
                    level=rng.choice(["national", "city"]),
                    title=str(n),
                )
            )
        elif kind == "bad":
            facts.append(
                make_fact(
                    "bad_credit",
                    day,
                    term,
                    severity=rng.choice(["minor", "general", "serious"]),
                    points=rng.choice([None, "3", "12"]),
                    veto=rng.random() < 0.1,
                    flags=[],
                    violation_code=str(n),
                )
            )
        elif kind == "list":
            facts.append(
                make_fact(
                    "list_entry",
                    day,
                    term,
                    reason=str(n),
                    list_type=rng.choice(["red_board", "black_board", "blacklist"]),
                )
            )
        else:
            facts.append(
                make_fact(
                    "inspection",
                    day,
                    term,
                    score=str(rng.randrange(40, 100)),
                    passed=None,
                    inspection_type="routine",
                    findings=[],
                )
            )
    return facts


def test_timeline_agrees_with_assess_on_every_day() -> None:
    rng = random.Random(20261122)
    for jurisdiction in ("370602", "510703", "511002"):
        schedule = PackSchedule(jurisdiction, PACKS)
        facts = random_facts(rng, 40)
        segments = grade_timeline(facts, schedule)
        for offset in range(0, 2200, 3):
            day = date(2022, 6, 1) + timedelta(days=offset)
            pack = schedule.pack_on(day)
            segment = segment_on(segments, day)
            if pack is None:
                assert segment is None
                continue
            assert segment is not None
            expected = assess(facts, pack, day).standing
            assert segment.standing.summary() == expected.summary(), (jurisdiction, day)
