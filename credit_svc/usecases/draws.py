"""双随机 draws: make one from its inputs and the view's grades, read it,
and verify one by running it again (credit-svc draw --verify)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from credit_svc.adapters.ledger import Ledger
from credit_svc.domain.draws import (
    Draw,
    DrawInputs,
    commitment,
    draw_id,
    draw_targets,
)
from credit_svc.domain.errors import (
    DrawNotFoundError,
    LifecycleConflictError,
    LifecycleRuleError,
    NoRulePackError,
)
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.projections.view import GradeView
from credit_svc.usecases.application import CreditService


class Draws:
    """The use cases of 双随机 draws."""

    def __init__(
        self,
        app: CreditService,
        view: GradeView,
        packs: Sequence[RulePack],
        ledger: Ledger,
    ) -> None:
        self.app = app
        self.view = view
        self.packs = packs
        self.ledger = ledger

    def make(  # noqa: PLR0913 (a draw and all its inputs)
        self,
        jurisdiction: str,
        period: str,
        as_of: date,
        *,
        inspections_end: date,
        seed: str | None,
        seed_position: int | None,
        inspectors: Sequence[str],
        per_target: int,
        made_by: str,
    ) -> Draw:
        """Draw the period's targets from the firms' grades on the day."""
        pack = PackSchedule(jurisdiction, self.packs).pack_on(as_of)
        if pack is None:
            raise NoRulePackError(jurisdiction, as_of.isoformat())
        if not pack.inspection_rates:
            msg = f"{pack.pack_id} {pack.version} sets no inspection rates"
            raise LifecycleRuleError(msg)
        inputs = DrawInputs(
            self._seed(seed, seed_position),
            self._population(jurisdiction, as_of),
            pack.inspection_rates,
            [code for code, _ in pack.grades],
            list(inspectors),
            per_target,
        )
        targets = draw_targets(inputs)
        recorded = inputs.as_json() | {"seed_position": seed_position}
        draw = Draw(
            jurisdiction=jurisdiction,
            period=period,
            as_of=as_of,
            inspections_end=inspections_end,
            inputs=recorded,
            targets=targets,
            commitment=commitment(targets),
            made_by=made_by,
        )
        try:
            self.app.save(draw)
        except IntegrityError:
            msg = f"the draw of {jurisdiction} for {period} was made already"
            raise LifecycleConflictError(msg) from None
        return draw

    def get(self, jurisdiction: str, period: str) -> Draw:
        """Return the draw of a jurisdiction and period."""
        try:
            found = self.app._get(draw_id(jurisdiction, period))
        except AggregateNotFoundError:
            raise DrawNotFoundError(jurisdiction, period) from None
        if not isinstance(found, Draw):
            raise DrawNotFoundError(jurisdiction, period)
        return found

    def _seed(self, seed: str | None, position: int | None) -> str:
        """Return the seed: the value published, or the log's link at the
        position announced (refused until the log reaches it)."""
        if position is None:
            assert seed is not None  # the schema asks for one of the two
            return seed
        link = self.ledger.link_at(position)
        if link is None:
            msg = f"the log has not reached position {position} yet"
            raise LifecycleRuleError(msg)
        return link

    def _population(self, jurisdiction: str, day: date) -> dict[str, list[str]]:
        """Return the jurisdiction's firms by their grade on the day."""
        with self.view.db.reading_together() as cursor:
            codes = list(self.view.grades.enterprises_within(cursor, jurisdiction))
        rows, _ = self.view.grades.grades_on(codes, day, lambda _: frozenset())
        population: dict[str, list[str]] = defaultdict(list)
        for code, row in sorted(rows.items()):
            if row.get("grade"):
                population[row["grade"]].append(code)
        return dict(population)


def verify(draw: Mapping[str, Any]) -> list[str]:
    """Return what disagrees when the draw is run again from its inputs
    (nothing: the draw is what its inputs give)."""
    problems = []
    targets = draw_targets(DrawInputs.of_json(draw["inputs"]))
    if targets != list(draw["targets"]):
        problems.append("the inputs give another list of targets")
    if commitment(draw["targets"]) != draw["commitment"]:
        problems.append("the list is not the one committed to")
    return problems


def published(draw: Draw, day: date, full: bool) -> dict[str, Any]:
    """Return the draw as it may be shown on the day: before its inspections
    end, only the commitment and the counts (unless `full`, for readers)."""
    shown: dict[str, Any] = {
        "jurisdiction": draw.jurisdiction,
        "period": draw.period,
        "as_of": draw.as_of,
        "inspections_end": draw.inspections_end,
        "commitment": draw.commitment,
        "made_by": draw.made_by,
        "revealed": draw.revealed_on(day),
        "counts": _counts(draw.targets),
        "population_counts": {
            grade: len(codes) for grade, codes in draw.inputs["population"].items()
        },
        "rates": draw.inputs["rates"],
    }
    if full or draw.revealed_on(day):
        shown |= {"inputs": draw.inputs, "targets": draw.targets}
    return shown


def _counts(targets: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for target in targets:
        counts[target["grade"]] += 1
    return dict(counts)
