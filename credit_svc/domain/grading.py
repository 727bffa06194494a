"""Pure grading: a tally of valid records, concluded into a score and a grade."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from credit_svc.domain.effect import ZERO, Effect
from credit_svc.domain.project_rules import Combination, combine
from credit_svc.domain.rulepack import Override, RulePack


@dataclass
class Pool:
    """The records of one combined kind, by unit (project), and the figure
    they make under the pack's combination, as it stands in the tally."""

    combination: Combination
    # unit (project) -> record id -> (party, points)
    units: dict[str, dict[str, tuple[str, Decimal]]] = field(default_factory=dict)
    figure: Decimal = ZERO

    def change(self, effect: Effect, sign: int) -> Decimal:
        """Take the effect in or out; return how much the figure moved."""
        unit = effect.fact.get("project_code") or effect.fact.record_id
        members = self.units.setdefault(unit, {})
        if sign > 0:
            party = effect.fact.get("assessor_type") or ""
            members[effect.fact.record_id] = (party, effect.points)
        else:
            members.pop(effect.fact.record_id, None)
            if not members:
                del self.units[unit]
        how = self.combination
        figures = [how.project_figure(list(m.values())) for m in self.units.values()]
        figure = combine(how.across_projects, figures)
        moved, self.figure = figure - self.figure, figure
        return moved


@dataclass
class Tally:
    """Running sums of the records valid on one day; add and remove are exact."""

    sums: dict[str, Decimal] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    pools: dict[str, Pool] | None = None  # by kind, for the pack's combinations

    @classmethod
    def under(cls, pack: RulePack) -> Tally:
        """Return an empty tally that combines what the pack says to combine."""
        if not pack.combinations:
            return cls()
        return cls(pools={k: Pool(c) for k, c in pack.combinations.items()})

    def add(self, effect: Effect, sign: int = 1) -> None:
        """Count an effect in (sign 1) or out (sign -1)."""
        pool = self.pools.get(effect.fact.kind) if self.pools else None
        if pool is not None:
            category = pool.combination.category
            moved = pool.change(effect, sign)
            self.sums[category] = self.sums.get(category, ZERO) + moved
        elif effect.category:
            self.sums[effect.category] = self.sums.get(effect.category, ZERO) + (
                effect.points * sign
            )
        for name in effect.counted_as:
            self.counts[name] += sign

    def key(self, pack: RulePack) -> Hashable:
        """Return all that `conclude` reads of the tally under the pack.

        Sums go in as text: Decimal("3") equals Decimal("3.0"), but a score
        concluded from one must not be shown as the other.
        """
        counts, sums = self.counts, self.sums
        return (
            tuple([str(sums.get(name, ZERO)) for name in pack.category_names]),
            # get(): a Counter's own lookup of a missing name calls Python
            counts.get("blacklist", 0) > 0,
            counts.get("veto", 0) > 0,
            counts.get("bad", 0) > 0,
            counts.get("board:black", 0) > 0,
            counts.get("board:red", 0) > 0,
        )


@dataclass(frozen=True)
class CategoryTotal:
    """A category's raw sum and the sum after its limits."""

    name: str
    raw: Decimal
    applied: Decimal

    @property
    def limited(self) -> bool:
        """Tell whether a cap or floor changed the sum."""
        return self.raw != self.applied


@dataclass(frozen=True)
class FiredOverride:
    """An override whose condition held; only the first one sets the grade."""

    condition: str
    grade: str
    applied: bool


@dataclass(frozen=True)
class Standing:
    """The score and grade of an enterprise under one pack on one day."""

    pack_id: str
    pack_version: str
    base_score: Decimal
    score: Decimal
    band_grade: str
    grade: str
    categories: tuple[CategoryTotal, ...]
    overrides: tuple[FiredOverride, ...]
    board: str | None
    blacklisted: bool
    tender_points: Decimal

    def summary(self) -> tuple[object, ...]:
        """Return what a grade history compares to tell a change."""
        return (
            self.pack_id,
            self.pack_version,
            self.score,
            self.grade,
            self.board,
            self.blacklisted,
        )


# Turns a tally into a standing under a pack: `conclude`, or a caller's
# memoised version of it (see projections/standing_cache.py).
Conclude = Callable[[Tally, RulePack], Standing]


def conclude(tally: Tally, pack: RulePack) -> Standing:
    """Turn a tally into a standing: limits, base, bands, overrides, boards.

    A standing depends on nothing but the pack and what `Tally.key` reads.
    """
    totals = tuple(
        CategoryTotal(c.name, raw := tally.sums.get(c.name, ZERO), c.clamp(raw))
        for c in pack.categories
    )
    score = pack.base_score + sum((t.applied for t in totals), ZERO)
    band_grade = next(
        b.grade for b in pack.bands if b.floor is None or score >= b.floor
    )
    fired = [o for o in pack.overrides if _holds(o, tally, score)]
    grade = _overridden(fired[0], band_grade, pack) if fired else band_grade
    return Standing(
        pack_id=pack.pack_id,
        pack_version=pack.version,
        base_score=pack.base_score,
        score=score,
        band_grade=band_grade,
        grade=grade,
        categories=totals,
        overrides=tuple(
            FiredOverride(o.condition, o.grade, i == 0) for i, o in enumerate(fired)
        ),
        board=_board(tally, grade, pack),
        blacklisted=tally.counts["blacklist"] > 0,
        tender_points=pack.tender_points[grade],
    )


def _overridden(override: Override, band_grade: str, pack: RulePack) -> str:
    if override.mode == "at_most":
        return pack.worse(band_grade, override.grade)
    return override.grade


def _holds(override: Override, tally: Tally, score: Decimal) -> bool:
    if override.condition == "blacklisted":
        return tally.counts["blacklist"] > 0
    if override.condition == "veto":
        return tally.counts["veto"] > 0
    # low_score_without_bad_records: a low score from a thin file is not bad credit.
    assert override.threshold is not None
    return score < override.threshold and tally.counts["bad"] == 0


def _board(tally: Tally, grade: str, pack: RulePack) -> str | None:
    # Black wins over red: a firm named on both is shown on the black board.
    if tally.counts["board:black"] or grade in pack.boards.get("black", ()):
        return "black"
    if tally.counts["board:red"] or grade in pack.boards.get("red", ()):
        return "red"
    return None
