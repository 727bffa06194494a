"""A project's file folded from its events, on both time axes.

Business time: each fact and each management period holds from a date the
bureau stated. Record time: only events stored by `recorded_at` are folded,
so "who managed this estate on day D, as the service knew on day T" has an
answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from credit_svc.domain.project import Project


@dataclass(frozen=True)
class Period:
    """A firm's management of the estate: from `starts_on` until `ends_on`."""

    credit_code: str
    starts_on: date
    ends_on: date | None  # the first day without; None: still managing
    contract_ends_on: date | None
    took_over_old_estate: bool
    end_reason: str | None = None

    def covers(self, day: date) -> bool:
        """Tell whether the firm managed the estate on the day."""
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


@dataclass(frozen=True)
class RatingObjection:
    """An objection to a year's star rating, and its decision if there is one."""

    year: int
    filed_on: date
    reason: str
    decided_on: date | None = None
    upheld: bool | None = None


@dataclass(frozen=True)
class ProjectFile:
    """What the service knew of an estate at one record time."""

    project_code: str
    name: str
    jurisdiction: str
    statements: tuple[tuple[date, dict[str, Any]], ...]  # in the order recorded
    periods: tuple[Period, ...]
    objections: tuple[RatingObjection, ...]

    def facts_on(self, day: date) -> dict[str, Any]:
        """Return the estate's facts on the day: the latest statement of each."""
        facts: dict[str, Any] = {}
        dated = sorted(
            (s for s in self.statements if s[0] <= day), key=lambda s: s[0]
        )  # stable: of two statements from one day, the later recorded wins
        for _, stated in dated:
            facts.update(stated)
        return facts

    def period_on(self, day: date) -> Period | None:
        """Return the management period covering the day, if any."""
        return next((p for p in self.periods if p.covers(day)), None)

    def firms(self) -> tuple[str, ...]:
        """Return every firm that managed the estate, in order, each once."""
        return tuple(dict.fromkeys(p.credit_code for p in self.periods))

    def objection_of(self, year: int) -> RatingObjection | None:
        """Return the latest objection to the year's rating, if any."""
        found = [o for o in self.objections if o.year == year]
        return found[-1] if found else None


def project_file(  # noqa: C901 (a branch per event type)
    events: Iterable[Any], recorded_at: datetime | None = None
) -> ProjectFile:
    """Fold a project's events (oldest first) stored by `recorded_at`."""
    head: Any = None
    statements: list[tuple[date, dict[str, Any]]] = []
    periods: list[Period] = []
    objections: list[RatingObjection] = []
    for e in events:
        if recorded_at is not None and e.timestamp > recorded_at:
            break
        if isinstance(e, Project.Registered):
            head = e
        elif isinstance(e, Project.FactsStated):
            statements.append((e.effective_on, dict(e.facts)))
        elif isinstance(e, Project.ManagementStarted):
            periods.append(
                Period(
                    e.credit_code,
                    e.starts_on,
                    None,
                    e.contract_ends_on,
                    e.took_over_old_estate,
                )
            )
        elif isinstance(e, Project.ManagementEnded):
            last = periods[-1]
            periods[-1] = Period(
                last.credit_code,
                last.starts_on,
                e.ends_on,
                last.contract_ends_on,
                last.took_over_old_estate,
                e.reason,
            )
        elif isinstance(e, Project.RatingObjected):
            objections.append(RatingObjection(e.year, e.filed_on, e.reason))
        elif isinstance(e, Project.RatingObjectionDecided):
            i = max(i for i, o in enumerate(objections) if o.year == e.year)
            o = objections[i]
            objections[i] = RatingObjection(
                o.year, o.filed_on, o.reason, e.decided_on, e.upheld
            )
    if head is None:
        raise ValueError("a project's events begin with its registration")
    return ProjectFile(
        head.project_code,
        head.name,
        head.jurisdiction,
        tuple(statements),
        tuple(periods),
        tuple(objections),
    )
