"""A project manager's standing on one day: own records plus charged deductions.

Each project deduction an enterprise takes while a manager runs that project
can also be charged to the manager, at the share the enterprise's pack sets
(`project_managers.charge_share`). The manager's own records are scored under
the pack of the manager's jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from credit_svc.domain.assessment import Assessment, Uncounted, split_on
from credit_svc.domain.effect import Effect, end_of
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.rulepack import RulePack


@dataclass(frozen=True)
class Assignment:
    """A manager in charge of an enterprise's project from `starts_on`."""

    credit_code: str
    project_code: str
    manager_id: str
    starts_on: date


@dataclass(frozen=True)
class Charge:
    """An enterprise's deduction, part of which is charged to the manager."""

    credit_code: str
    effect: Effect
    share: Decimal

    @property
    def points(self) -> Decimal:
        """Return the points charged to the manager."""
        return self.effect.points * self.share


@dataclass(frozen=True)
class ManagerStanding:
    """Points, list status and whether the manager is barred, on one day."""

    as_of: date
    points: Decimal
    blacklisted: bool
    board: str | None
    barred: bool
    pack_id: str
    pack_version: str


@dataclass(frozen=True)
class ManagerAssessment:
    """A manager's standing with every record and charge that made it."""

    standing: ManagerStanding
    counted: tuple[Effect, ...]
    charged: tuple[Charge, ...]
    uncounted: tuple[Uncounted, ...]


def manager_on(
    assignments: Sequence[Assignment], credit_code: str, project: str, day: date
) -> str | None:
    """Return who ran the project on the day: the latest start on or before it."""
    starts = [
        a
        for a in assignments
        if (a.credit_code, a.project_code) == (credit_code, project)
        and a.starts_on <= day
    ]
    latest = max(starts, key=lambda a: a.starts_on, default=None)
    return latest.manager_id if latest else None


def with_ends(
    assignments: Sequence[Assignment],
) -> list[tuple[Assignment, date | None]]:
    """Pair each assignment with its end: the next start on the same project."""
    ordered = sorted(
        assignments, key=lambda a: (a.credit_code, a.project_code, a.starts_on)
    )
    following = [*ordered[1:], None]
    return [
        (current, _next_start(current, after))
        for current, after in zip(ordered, following[: len(ordered)], strict=True)
    ]


def _next_start(current: Assignment, after: Assignment | None) -> date | None:
    same_project = after is not None and (after.credit_code, after.project_code) == (
        current.credit_code,
        current.project_code,
    )
    return after.starts_on if after is not None and same_project else None


def charges_to(
    manager_id: str,
    enterprise: Assessment,
    credit_code: str,
    assignments: Sequence[Assignment],
    pack: RulePack,
) -> list[Charge]:
    """Return the enterprise's counted project deductions charged to the manager."""
    share = pack.managers.charge_share
    if not share:
        return []
    return [
        Charge(credit_code, effect, share)
        for effect in enterprise.counted
        if effect.is_bad
        and effect.fact.get("project_code")
        and manager_on(
            assignments,
            credit_code,
            effect.fact.get("project_code"),
            effect.fact.business_date,
        )
        == manager_id
    ]


def assess_manager(
    own: Iterable[RecordFact], charges: Sequence[Charge], pack: RulePack, as_of: date
) -> ManagerAssessment:
    """Score the manager on the day from own records and charged deductions."""
    counted, uncounted = split_on((manager_effect(f, pack) for f in own), as_of)
    own_points = sum((effect.points for effect in counted), Decimal(0))
    charged_points = sum((charge.points for charge in charges), Decimal(0))
    points = pack.managers.base_points + own_points + charged_points
    blacklisted = any(effect.blacklists for effect in counted)
    boards = {effect.board for effect in counted}
    board = next((b for b in ("black", "red") if b in boards), None)  # black wins
    standing = ManagerStanding(
        as_of,
        points,
        blacklisted,
        board,
        blacklisted or pack.managers.is_barred(points),
        pack.pack_id,
        pack.version,
    )
    return ManagerAssessment(standing, counted, tuple(charges), uncounted)


def manager_effect(fact: RecordFact, pack: RulePack) -> Effect:
    """Return what a manager's own record does under the pack, until it ends."""
    is_penalty = fact.kind == "manager_bad_credit"
    points = pack.managers.points_for(fact) if is_penalty else Decimal(0)
    expires_on, ended_by = end_of(fact, pack)
    return Effect(fact, None, points, fact.business_date, expires_on, ended_by)
