"""Verifiable 双随机 draws: inspection targets and inspectors drawn at
random, in a way anyone can re-run from the published inputs.

The algorithm (docs/api.md says the same):

1. The population is the jurisdiction's firms by grade on the draw's day.
2. For each grade, in the pack's order, the firms are ordered by the
   SHA-256 of "seed|credit code" (hex, ascending) and the first
   ceil(rate × population) are taken (the pack's rate for the grade; the
   ceiling means a grade with firms and a rate above 0 gets at least one).
3. For each target, the inspectors are ordered by the SHA-256 of
   "seed|credit code|inspector" and the first `per_target` are taken.
4. The commitment is the SHA-256 of the canonical JSON (sorted keys, no
   spaces, UTF-8) of the targets: published before the list is.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from credit_svc.domain.credit_code import NAMESPACE


def draw_id(jurisdiction: str, period: str) -> UUID:
    """Return the aggregate id of a jurisdiction's draw for a period."""
    return uuid5(NAMESPACE, f"draw:{jurisdiction}:{period}")


def _order(seed: str, *parts: str) -> str:
    return hashlib.sha256("|".join((seed, *parts)).encode()).hexdigest()


def count_for(rate: Decimal, population: int) -> int:
    """Return how many of a grade's population are drawn: rate × population,
    rounded up."""
    return min(population, math.ceil(rate * population))


@dataclass(frozen=True)
class DrawInputs:
    """Everything a draw is made from, as published with it."""

    seed: str
    population: Mapping[str, Sequence[str]]  # credit codes by grade
    rates: Mapping[str, Decimal]  # by grade
    grades: Sequence[str]  # the pack's, best first
    inspectors: Sequence[str]
    per_target: int

    def as_json(self) -> dict[str, Any]:
        """Return the inputs in JSON types, as recorded and published."""
        return {
            "seed": self.seed,
            "population": {g: list(codes) for g, codes in self.population.items()},
            "rates": {g: str(rate) for g, rate in self.rates.items()},
            "grades": list(self.grades),
            "inspectors": list(self.inspectors),
            "per_target": self.per_target,
        }

    @classmethod
    def of_json(cls, data: Mapping[str, Any]) -> DrawInputs:
        """Return the inputs recorded or published."""
        return cls(
            str(data["seed"]),
            {g: list(codes) for g, codes in data["population"].items()},
            {g: Decimal(str(rate)) for g, rate in data["rates"].items()},
            list(data["grades"]),
            list(data["inspectors"]),
            int(data["per_target"]),
        )


def draw_targets(inputs: DrawInputs) -> list[dict[str, Any]]:
    """Return the targets drawn, grade by grade, each with its inspectors."""
    seed = inputs.seed
    targets = []
    for grade in inputs.grades:
        firms = sorted(inputs.population.get(grade, ()), key=lambda c: _order(seed, c))
        rate = inputs.rates.get(grade, Decimal(0))
        for code in firms[: count_for(rate, len(firms))]:
            chosen = sorted(inputs.inspectors, key=lambda who: _order(seed, code, who))
            targets.append(
                {
                    "credit_code": code,
                    "grade": grade,
                    "inspectors": chosen[: inputs.per_target],
                }
            )
    return targets


def commitment(targets: Sequence[Mapping[str, Any]]) -> str:
    """Return the SHA-256 of the targets' canonical JSON."""
    text = json.dumps(
        list(targets), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode()).hexdigest()


class Draw(Aggregate):
    """A jurisdiction's 双随机 draw for a period; it has no later events."""

    class Made(Aggregate.Created):
        """The draw was made from its inputs."""

        class_version = 1
        jurisdiction: str
        period: str
        as_of: date
        inspections_end: date  # the list is public from the day after
        inputs: dict[str, Any]  # seed, population, rates, grades, inspectors
        targets: list[dict[str, Any]]
        commitment: str
        made_by: str

    @staticmethod
    def create_id(jurisdiction: str, period: str, **_: Any) -> UUID:
        """One draw per jurisdiction and period."""
        return draw_id(jurisdiction, period)

    @event(Made)
    def __init__(  # noqa: PLR0913, PLR0917 (one each of the event's facts)
        self,
        jurisdiction: str,
        period: str,
        as_of: date,
        inspections_end: date,
        inputs: dict[str, Any],
        targets: list[dict[str, Any]],
        commitment: str,
        made_by: str,
    ) -> None:
        self.jurisdiction = jurisdiction
        self.period = period
        self.as_of = as_of
        self.inspections_end = inspections_end
        self.inputs = inputs
        self.targets = targets
        self.commitment = commitment
        self.made_by = made_by

    def revealed_on(self, day: date) -> bool:
        """Tell whether the list is public on the day (after the inspections)."""
        return day > self.inspections_end
