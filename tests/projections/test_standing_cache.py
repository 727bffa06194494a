"""The projector's cache of concluded standings: the same standings as the
domain's own `conclude`, each concluded once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from credit_svc.domain import grading
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.schedule import PackSchedule
from credit_svc.domain.timeline import Segment, grade_timeline
from credit_svc.projections.regrading import StandingCache
from credit_svc.rulepacks.load import load_packs
from tests.factories import make_fact

YANTAI = PackSchedule("370602", load_packs())


def bad(points: str, day: str = "2026-01-01") -> RecordFact:
    """A general bad-credit record worth its stated points."""
    return make_fact(
        "bad_credit", day, severity="general", points=points, veto=False, flags=[]
    )


JUNE = date(2026, 6, 1)


def _on(segments: list[Segment], day: date) -> Decimal:
    """Return the score of the segment in force on the day."""
    return next(
        s.standing.score
        for s in segments
        if s.starts_on <= day and (s.ends_on is None or s.ends_on > day)
    )


def test_cached_standings_are_those_the_domain_concludes() -> None:
    facts = [bad("5"), bad("3", "2026-03-01"), bad("5", "2026-05-01")]

    cached = grade_timeline(facts, YANTAI, StandingCache().conclude)

    assert cached == grade_timeline(facts, YANTAI)


def test_a_cached_standing_shows_the_score_as_its_records_wrote_it() -> None:
    # 5 and 5.0 points are equal numbers, but a view rebuilt in another order
    # must show the same text, so neither may stand for the other.
    cache = StandingCache()

    first = grade_timeline([bad("5")], YANTAI, cache.conclude)
    second = grade_timeline([bad("5.0")], YANTAI, cache.conclude)

    assert (str(_on(first, JUNE)), str(_on(second, JUNE))) == ("55", "55.0")


def test_each_standing_is_concluded_once_and_the_cache_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    concluded: list[Any] = []
    original = grading.conclude

    def counted(tally: grading.Tally, pack: Any) -> grading.Standing:
        concluded.append(tally.key(pack))
        return original(tally, pack)

    monkeypatch.setattr("credit_svc.projections.regrading.conclude", counted)
    cache = StandingCache(maxsize=1)

    grade_timeline([bad("5")], YANTAI, cache.conclude)
    once = len(concluded)
    grade_timeline([bad("5")], YANTAI, cache.conclude)  # only the last is kept

    assert 0 < once < len(concluded) <= 2 * once
    assert len(cache._standings) == 1


def test_a_day_is_concluded_once_however_many_histories_share_it() -> None:
    cache = StandingCache()
    day = date(2026, 1, 1)

    first = grade_timeline([bad("5", day.isoformat())], YANTAI, cache.conclude)
    second = grade_timeline([bad("5", day.isoformat())], YANTAI, cache.conclude)

    assert all(a.standing is b.standing for a, b in zip(first, second, strict=True))
