"""The score-over-time chart as SVG geometry: pure, so it is tested without a browser.

Scores are drawn as a step line (a grade holds until the next change), with
each band's floor as a dashed line, so an auditor sees when a score crossed
into another grade.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

WIDTH, HEIGHT, MARGIN = 760, 280, 48  # the auditor's chart
SMALL: Final = (360, 120, 20)  # the public page's: width, height, margin
TICKS: Final = 5  # dates marked along the auditor's time axis


@dataclass(frozen=True)
class Step:
    """One grade segment as drawn: where it starts, its score and grade."""

    x: float
    y: float
    starts_on: date
    grade: str
    score: str


@dataclass(frozen=True)
class Floor:
    """A band floor drawn across the chart."""

    y: float
    grade: str
    floor: str


@dataclass(frozen=True)
class Tick:
    """A date marked along the time axis."""

    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw the chart."""

    width: int
    height: int
    line: str  # SVG polyline points
    steps: tuple[Step, ...]
    floors: tuple[Floor, ...]
    first: date
    last: date
    ticks: tuple[Tick, ...] = ()  # dates along the axis
    today: float | None = None  # where the day asked about is, if drawn


def score_chart(
    segments: Sequence[dict[str, Any]],
    floors: Sequence[tuple[Decimal, str]],
    until: date,
    since: date | None = None,
    size: tuple[int, int, int] = (WIDTH, HEIGHT, MARGIN),
) -> Chart | None:
    """Return the chart from `since` (else the first segment) up to `until`.

    A pack's first segment often starts years before any record: `since`
    keeps that flat stretch from squeezing the changes into a corner.
    """
    if not segments:
        return None
    first: date = max(segments[0]["starts_on"], since or segments[0]["starts_on"])
    last: date = max(until, segments[-1]["starts_on"] + timedelta(days=30))
    scores = [Decimal(s["score"]) for s in segments] + [f for f, _ in floors]
    # A margin of 5 points around what is drawn, never below 0.
    low = max(Decimal(0), min(scores) - 5)
    high = max(scores) + 5

    width, height, margin = size

    def x(day: date) -> float:
        span = max((last - first).days, 1)
        return margin + (width - 2 * margin) * (day - first).days / span

    def y(score: Decimal) -> float:
        share = float((score - low) / (high - low))
        return height - margin - (height - 2 * margin) * share

    steps, points = [], []
    for segment in segments:
        if segment["ends_on"] and segment["ends_on"] <= first:
            continue  # wholly before the chart starts
        score = Decimal(segment["score"])
        starts = max(segment["starts_on"], first)
        ends = min(segment["ends_on"] or last, last)
        points += [(x(starts), y(score)), (x(ends), y(score))]
        steps.append(
            Step(
                round(x(starts), 1),
                round(y(score), 1),
                segment["starts_on"],
                segment["grade"],
                segment["score"],
            )
        )
    line = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    drawn = tuple(Floor(round(y(f), 1), grade, str(f)) for f, grade in floors)
    ticks = tuple(
        Tick(round(x(day), 1), day.isoformat())
        for day in _tick_days(first, last, TICKS)
    )
    return Chart(
        width,
        height,
        line,
        tuple(steps),
        drawn,
        first,
        last,
        ticks,
        round(x(until), 1) if first <= until <= last else None,
    )


def _tick_days(first: date, last: date, count: int) -> list[date]:
    """Return `count` evenly spaced days from first to last, both included."""
    span = (last - first).days
    return [first + timedelta(days=round(span * n / (count - 1))) for n in range(count)]
