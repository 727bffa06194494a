"""Grade one enterprise on one day, with the explanation an auditor checks by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from credit_svc.domain.effect import Effect, effect_of
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.grading import Standing, Tally, conclude
from credit_svc.domain.project_rules import PartyPart, combine, party_parts
from credit_svc.domain.record import MANAGER_KINDS
from credit_svc.domain.rectification import with_consequences
from credit_svc.domain.rulepack import RulePack

ENDINGS: Final = {
    "validity": "expired on",
    "disclosure": "disclosure period ended on",
    "repair": "credit repair granted from",
    "lifting": "lifted from",
    "rectification": "rectified on",
}


@dataclass(frozen=True)
class Uncounted:
    """A record that did not count on the day, and why."""

    fact: RecordFact
    reason: str


@dataclass(frozen=True)
class ProjectFigure:
    """A project's figure of a combined kind, and each party's part in it."""

    project: str  # the project code, or the record id of one naming none
    figure: Decimal
    parties: tuple[PartyPart, ...]  # weighted combinations only
    record_ids: tuple[str, ...]


@dataclass(frozen=True)
class CombinedFigure:
    """How a combined kind's records made the figure in its category."""

    kind: str
    category: str
    figure: Decimal
    projects: tuple[ProjectFigure, ...]


@dataclass(frozen=True)
class Assessment:
    """A standing with every record that counted and every one that did not."""

    as_of: date
    standing: Standing
    counted: tuple[Effect, ...]
    uncounted: tuple[Uncounted, ...]
    combined: tuple[CombinedFigure, ...] = ()


def combined_figures(
    pack: RulePack, counted: Iterable[Effect]
) -> tuple[CombinedFigure, ...]:
    """Return, for each kind the pack combines, each project's figure (with
    each party's part) and the figure they make: the explanation of a sum
    that is not a sum."""
    figures = []
    effects = list(counted)
    for kind, how in pack.combinations.items():
        units: dict[str, list[Effect]] = {}
        for effect in effects:
            if effect.fact.kind == kind:
                unit = effect.fact.get("project_code") or effect.fact.record_id
                units.setdefault(unit, []).append(effect)
        projects = []
        for unit, mine in sorted(units.items()):
            members = [(e.fact.get("assessor_type") or "", e.points) for e in mine]
            parts = party_parts(how.weights, members) if how.weights else ()
            projects.append(
                ProjectFigure(
                    unit,
                    how.project_figure(members),
                    parts,
                    tuple(e.fact.record_id for e in mine),
                )
            )
        total = combine(how.across_projects, [p.figure for p in projects])
        figures.append(CombinedFigure(kind, how.category, total, tuple(projects)))
    return tuple(figures)


def assess(facts: Iterable[RecordFact], pack: RulePack, as_of: date) -> Assessment:
    """Grade the facts under the pack as of the day."""
    about_enterprise = [fact for fact in facts if fact.kind not in MANAGER_KINDS]
    tally, counted, uncounted = tally_of(
        about_enterprise,
        pack,
        as_of,
        pack.scope.counts_for_enterprise,
        lambda fact: f"counts against project {fact.get('project_code')} only",
    )
    standing = conclude(tally, pack)
    combined = combined_figures(pack, counted) if pack.combinations else ()
    return Assessment(as_of, standing, counted, uncounted, combined)


def tally_of(
    facts: Sequence[RecordFact],
    pack: RulePack,
    as_of: date,
    counts: Callable[[RecordFact], bool],
    why_elsewhere: Callable[[RecordFact], str],
) -> tuple[Tally, tuple[Effect, ...], tuple[Uncounted, ...]]:
    """Tally the facts the subject's scope admits (`counts`) as of the day;
    return the tally, the effects counted, and every fact not counted with
    why: an enterprise's grade and a project's standing alike."""
    facts = with_consequences(facts, pack.rectification)  # of overdue deadlines
    effects = (effect_of(fact, pack) for fact in facts if counts(fact))
    counted, uncounted = split_on(effects, as_of, pack)
    tally = Tally.under(pack)
    for effect in counted:
        tally.add(effect)
    elsewhere = tuple(Uncounted(f, why_elsewhere(f)) for f in facts if not counts(f))
    return tally, counted, uncounted + elsewhere


def split_on(
    effects: Iterable[Effect], as_of: date, pack: RulePack | None = None
) -> tuple[tuple[Effect, ...], tuple[Uncounted, ...]]:
    """Split effects into those that count on the day and those that do not, why."""
    combined = pack.combinations if pack else {}
    counted, uncounted = [], []
    for effect in effects:
        reason = why_not_counted(effect, as_of, effect.fact.kind in combined)
        if reason:
            uncounted.append(Uncounted(effect.fact, reason))
        else:
            counted.append(effect)
    return tuple(counted), tuple(uncounted)


def why_not_counted(effect: Effect, as_of: date, combined: bool = False) -> str | None:
    """Return why the record does not count on the day, or None when it counts."""
    if as_of < effect.starts_on:
        return f"not yet in effect: business date {effect.starts_on.isoformat()}"
    if as_of >= effect.expires_on:
        return f"{ENDINGS[effect.ended_by]} {effect.expires_on.isoformat()}"
    if not effect.matters and not combined:
        return "no rule of the pack matches this record"
    return None
