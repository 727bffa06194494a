"""What a rule pack says about projects (estates): scope, combination, stars.

- Scope: whether a record naming a project counts against the enterprise, the
  project, or both; a record naming no project is the enterprise's alone.
- Combination: how the records of one kind (appraisals) form each project's
  figure, and how the projects' figures form the enterprise's, instead of
  adding every record's points up.
- Star ratings and demonstration-project exclusions of a project.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record import LIST_KINDS

SCOPES: Final = ("enterprise", "project", "both")
COMBINERS: Final = ("sum", "mean", "lowest")
# Within a project only: each party's mean, weighted by the pack (Nanning-
# style separate scores of the street, the community and the owners).
WEIGHTED: Final = "weighted"
CENT: Final = Decimal("0.01")


@dataclass(frozen=True)
class Scope:
    """Which subjects a record naming a project counts against, by kind.

    Keys are a kind (`bad_credit`) or a list kind and its type
    (`list_entry:blacklist`), which wins over the kind; unnamed: both.
    """

    by_kind: Mapping[str, str] = field(default_factory=dict)
    # The kinds some record of which counts against projects only: any other
    # record counts against its enterprise without a look at its project.
    # Asked for every record of every graded firm, and of every read that
    # checks award exclusions.
    project_only_kinds: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kinds = frozenset(
            key.partition(":")[0]
            for key, scope in self.by_kind.items()
            if scope == "project"
        )
        object.__setattr__(self, "project_only_kinds", kinds)  # frozen: set once

    def of(self, fact: RecordFact) -> str:
        """Return enterprise, project or both for the fact."""
        if not fact.get("project_code"):
            return "enterprise"
        if fact.kind in LIST_KINDS:
            listed = self.by_kind.get(f"{fact.kind}:{fact.get('list_type')}")
            if listed:
                return listed
        return self.by_kind.get(fact.kind, "both")

    def counts_for_enterprise(self, fact: RecordFact) -> bool:
        """Tell whether the fact counts in its enterprise's grade."""
        if fact.kind not in self.project_only_kinds:
            return True
        return self.of(fact) != "project"

    def counts_for_project(self, fact: RecordFact) -> bool:
        """Tell whether the fact counts in its project's standing."""
        return bool(fact.get("project_code")) and self.of(fact) != "enterprise"


def combine(how: str, figures: Sequence[Decimal]) -> Decimal:
    """Return the figures combined: their sum, mean (to the cent) or lowest."""
    if not figures:
        return Decimal(0)
    if how == "sum":
        return sum(figures, Decimal(0))
    if how == "lowest":
        return min(figures)
    return cents(sum(figures, Decimal(0)) / len(figures))


def cents(value: Decimal) -> Decimal:
    """Round to the cent, half up; 3.00 is shown as 3, as every other figure."""
    rounded = value.quantize(CENT, ROUND_HALF_UP)
    return (
        rounded.to_integral()
        if rounded == rounded.to_integral()
        else rounded.normalize()
    )


@dataclass(frozen=True)
class PartyPart:
    """One party's appraisals of one project, and its part in the figure."""

    party: str
    weight: Decimal
    figure: Decimal  # the mean of the party's points
    part: Decimal  # weight × figure ÷ the weights of the parties that appraised


def party_parts(
    weights: Mapping[str, Decimal], members: Sequence[tuple[str, Decimal]]
) -> tuple[PartyPart, ...]:
    """Return each weighted party's part of a project's figure: parties with
    no weight in the pack take no part; the weights of the parties that did
    appraise are scaled to one, so a party that did not does not count as 0."""
    by_party: dict[str, list[Decimal]] = {}
    for party, points in members:
        if weights.get(party):
            by_party.setdefault(party, []).append(points)
    total = sum((weights[p] for p in by_party), Decimal(0))
    return tuple(
        PartyPart(
            party,
            weights[party],
            mean := combine("mean", points),
            cents(weights[party] * mean / total),
        )
        for party, points in sorted(by_party.items())
    )


@dataclass(frozen=True)
class Combination:
    """How one kind's points combine: within a project, then across projects.

    The combined figure goes to `category`. A record naming no project is a
    unit of its own.
    """

    kind: str
    category: str
    per_project: str = "mean"  # or sum, lowest, weighted (by `weights`)
    across_projects: str = "mean"
    weights: Mapping[str, Decimal] = field(default_factory=dict)  # by assessor

    def project_figure(self, members: Sequence[tuple[str, Decimal]]) -> Decimal:
        """Return one project's figure from its records' (party, points)."""
        if self.per_project == WEIGHTED:
            parts = party_parts(self.weights, members)
            return sum((p.part for p in parts), Decimal(0))
        return combine(self.per_project, [points for _, points in members])


@dataclass(frozen=True)
class StarThreshold:
    """The stars for a rating score at or above a floor."""

    stars: int
    at_least: Decimal


@dataclass(frozen=True)
class StarBonus:
    """Points added to the rating score for a fact of the estate or a record.

    `fact` with `one_of`: the estate's fact on the rating day is one of the
    values; `good_category`: a good-credit record of that category names the
    project in the twelve months up to the rating day.
    """

    reason: str
    points: Decimal
    description: str = ""
    fact: str | None = None
    one_of: tuple[str, ...] = ()
    good_category: str | None = None


@dataclass(frozen=True)
class StarRating:
    """A yearly star rating of projects (物业服务质量星级评定)."""

    rated_month: int
    rated_day: int
    publicity_working_days: int
    thresholds: tuple[StarThreshold, ...]  # most stars first
    bonuses: tuple[StarBonus, ...] = ()
    withdrawn_by_flags: tuple[str, ...] = ()
    withdrawn_by_severities: tuple[str, ...] = ()

    def stars_for(self, score: Decimal) -> int:
        """Return the stars a rating score earns (0: none)."""
        return next((t.stars for t in self.thresholds if score >= t.at_least), 0)


@dataclass(frozen=True)
class DemonstrationExclusion:
    """A reason a project may not be a demonstration project (示范项目)."""

    reason: str
    condition: str  # no_party_organisation | blacklisted | flag_within_months
    flag: str | None = None
    months: int | None = None
    description: str = ""


@dataclass(frozen=True)
class ProjectRules:
    """A pack's rules for projects; an empty one rates no project."""

    base_score: Decimal | None = None  # None: the pack's base score
    stars: StarRating | None = None
    demonstration: tuple[DemonstrationExclusion, ...] = ()
