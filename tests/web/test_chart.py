"""The dashboard chart's geometry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from credit_svc.web.chart import HEIGHT, MARGIN, score_chart

SEGMENTS = [
    {
        "starts_on": date(2022, 1, 1),
        "ends_on": date(2026, 1, 1),
        "score": "60",
        "grade": "B",
    },
    {"starts_on": date(2026, 1, 1), "ends_on": None, "score": "85", "grade": "AAA"},
]
FLOORS = [(Decimal(85), "AAA"), (Decimal(60), "B")]


def test_no_segment_no_chart() -> None:
    assert score_chart([], FLOORS, date(2026, 6, 1)) is None


def test_higher_scores_are_drawn_higher_and_floors_at_their_score() -> None:
    chart = score_chart(SEGMENTS, FLOORS, date(2026, 6, 1))

    assert chart is not None
    low, high = chart.steps
    assert high.y < low.y  # SVG y grows downwards
    assert {f.grade: f.y for f in chart.floors} == {"AAA": high.y, "B": low.y}
    assert MARGIN <= high.y <= HEIGHT - MARGIN


def test_the_line_steps_through_every_segment() -> None:
    chart = score_chart(SEGMENTS, FLOORS, date(2026, 6, 1))

    assert chart is not None
    assert len(chart.line.split()) == 4  # two points per segment


def test_since_clips_the_long_first_segment() -> None:
    chart = score_chart(SEGMENTS, FLOORS, date(2026, 6, 1), since=date(2025, 12, 1))

    assert chart is not None
    assert chart.first == date(2025, 12, 1)
    assert chart.steps[0].x == MARGIN  # the first segment starts at the left edge


def test_dates_run_along_the_axis_and_the_day_asked_is_marked() -> None:
    chart = score_chart(SEGMENTS, FLOORS, date(2026, 6, 1), since=date(2025, 12, 1))

    assert chart is not None
    assert [t.label for t in (chart.ticks[0], chart.ticks[-1])] == [
        "2025-12-01",
        chart.last.isoformat(),
    ]
    xs = [t.x for t in chart.ticks]
    assert xs == sorted(xs)
    assert len(set(xs)) == len(xs) == 5
    assert chart.today is not None
    assert xs[0] < chart.today <= xs[-1]
