"""Rule packs as data: what a jurisdiction's credit-evaluation rules say.

Loading and validating pack files lives in credit_svc.rulepacks; this module only
describes a pack that is already valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from credit_svc.domain.disclosure import DisclosureRules
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.manager_rules import ManagerRules
from credit_svc.domain.project_rules import Combination, ProjectRules, Scope
from credit_svc.domain.rectification import RectificationRules, WatchCondition
from credit_svc.domain.validity import Validity


@dataclass(frozen=True)
class Condition:
    """One test on a record attribute: equal to one of values, or within a range."""

    attribute: str
    one_of: tuple[Any, ...] = ()
    at_least: Decimal | None = None
    below: Decimal | None = None

    def matches(self, fact: RecordFact) -> bool:
        """Tell whether the fact's attribute passes this test."""
        value = fact.get(self.attribute)
        if isinstance(value, list):  # e.g. flags: any listed value matches
            return any(item in self.one_of for item in value)
        if self.one_of:
            return value in self.one_of
        if value is None or isinstance(value, bool):
            return False
        above_floor = self.at_least is None or Decimal(value) >= self.at_least
        return above_floor and (self.below is None or Decimal(value) < self.below)


@dataclass(frozen=True)
class ScoringRule:
    """Points a matching record adds to (or takes from) a category."""

    number: int
    kind: str
    conditions: tuple[Condition, ...]
    points: Decimal
    category: str
    use_stated_points: bool = False  # the record's own `points`, as points_from
    points_from: str | None = None  # a record field whose value is the points

    def matches(self, fact: RecordFact) -> bool:
        """Tell whether the rule applies to the fact."""
        if fact.kind != self.kind:
            return False
        # A loop: all() over a generator takes twice as long, and every record of
        # every graded enterprise is matched against its kind's rules.
        for condition in self.conditions:  # noqa: SIM110
            if not condition.matches(fact):
                return False
        return True

    def points_for(self, fact: RecordFact) -> Decimal:
        """Return the points: the value the record states in the rule's field
        (with the sign of the rule's points: a deduction stays one), else the
        rule's own points."""
        field = self.points_from or ("points" if self.use_stated_points else None)
        stated = fact.get(field) if field else None
        if stated is None:
            return self.points
        return -Decimal(stated) if self.points < 0 else Decimal(stated)


@dataclass(frozen=True)
class Category:
    """A named sum of points, optionally clamped between `min` and `max`."""

    name: str
    max: Decimal | None = None
    min: Decimal | None = None

    def clamp(self, raw: Decimal) -> Decimal:
        """Return the raw sum limited to the category's range."""
        if self.max is not None and raw > self.max:
            return self.max
        if self.min is not None and raw < self.min:
            return self.min
        return raw


@dataclass(frozen=True)
class Band:
    """A grade for scores at or above an inclusive floor; None floor catches all."""

    grade: str
    floor: Decimal | None


@dataclass(frozen=True)
class Override:
    """A rule that replaces the band's grade when its condition holds."""

    condition: str  # blacklisted | veto | low_score_without_bad_records
    grade: str
    threshold: Decimal | None = None
    mode: str = "set"  # set: the grade becomes `grade`; at_most: no better than it


@dataclass(frozen=True)
class AwardExclusion:
    """A reason that bars an enterprise from awards (评优评先)."""

    reason: str
    condition: str  # grade_at_or_below | no_party_organisation | blacklisted
    #                 | flag_within_months | flag_in_calendar_year
    #                 | no_demonstration_project_in_year
    #                 | party_organisation_required | party_filing_late
    grade: str | None = None
    flag: str | None = None
    months: int | None = None
    description: str = ""
    members: int | None = None  # full Party members from which one is required
    due: str | None = None  # MM-DD: the yearly filing's last day


@dataclass(frozen=True)
class RulePack:
    """One version of one jurisdiction's credit-evaluation rules."""

    pack_id: str
    version: str
    name: str
    jurisdictions: tuple[str, ...]
    effective_from: date
    base_score: Decimal
    categories: tuple[Category, ...]
    validity: Validity
    rules: tuple[ScoringRule, ...]
    grades: tuple[tuple[str, str], ...]  # (code, label), best first
    bands: tuple[Band, ...]
    overrides: tuple[Override, ...]
    boards: Mapping[str, frozenset[str]]
    award_exclusions: tuple[AwardExclusion, ...]
    tender_points: Mapping[str, Decimal]
    objection_window_days: int = 15  # from the day a record is published
    disclosure: DisclosureRules = field(default_factory=DisclosureRules)  # on load
    managers: ManagerRules = field(default_factory=ManagerRules)
    scope: Scope = field(default_factory=Scope)
    combinations: Mapping[str, Combination] = field(default_factory=dict)  # by kind
    projects: ProjectRules = field(default_factory=ProjectRules)
    rectification: RectificationRules = field(default_factory=RectificationRules)
    watch_list: tuple[WatchCondition, ...] = ()
    # Working days a published board is in publicity (None: boards are not
    # published under the pack; the live boards stay).
    board_publicity_working_days: int | None = None
    # 双随机 sampling rate by grade (inspection frequency by credit grade).
    inspection_rates: Mapping[str, Decimal] = field(default_factory=dict)
    # Of the pack's content and the disclosure rules it was given (on load):
    # the grade view records the set it was computed under.
    digest: str = ""

    def rank(self, grade: str) -> int:
        """Return the grade's position, 0 for the best."""
        return [code for code, _ in self.grades].index(grade)

    def worse(self, first: str, second: str) -> str:
        """Return the worse of two grades."""
        return max(first, second, key=self.rank)

    def label(self, grade: str) -> str:
        """Return the grade's display label."""
        return dict(self.grades)[grade]

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the pack without its rule index (made again when asked)."""
        return {k: v for k, v in self.__dict__.items() if k != "_rules_by_kind"}

    @cached_property
    def category_names(self) -> tuple[str, ...]:
        """Return the names of the categories, in order (a tally's key reads
        them for every day a grade history changes)."""
        return tuple(category.name for category in self.categories)

    def rule_for(self, fact: RecordFact) -> ScoringRule | None:
        """Return the first rule that matches the fact, if any."""
        for rule in self._rules_by_kind.get(fact.kind, ()):
            if rule.matches(fact):
                return rule
        return None

    @cached_property
    def _rules_by_kind(self) -> dict[str, tuple[ScoringRule, ...]]:
        # Each fact is tried only against its own kind's rules, in pack order:
        # the projector asks this for every record of every regraded firm.
        kinds = dict.fromkeys(rule.kind for rule in self.rules)
        return {k: tuple(r for r in self.rules if r.kind == k) for k in kinds}

    def covers(self, jurisdiction: str) -> int:
        """Return the length of the longest prefix covering the jurisdiction, or 0."""
        return max(
            (len(p) for p in self.jurisdictions if jurisdiction.startswith(p)),
            default=0,
        )
