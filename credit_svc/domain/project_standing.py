"""A project's standing on a day: score, board, stars, demonstration eligibility.

Pure, like the enterprise's grading: the records naming the project, the
project's file (folded on both time axes), the pack and the day are given;
nothing is read and no clock is asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from credit_svc.domain.assessment import Uncounted, tally_of
from credit_svc.domain.calendar import add_months
from credit_svc.domain.effect import ZERO, Effect
from credit_svc.domain.eligibility import Bar
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.grading import CategoryTotal
from credit_svc.domain.project_file import ProjectFile
from credit_svc.domain.project_rules import DemonstrationExclusion, StarRating
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.working_days import WorkingDays

# 小区党组织 for the demonstration rules: a working group sent by the
# community (党的工作小组) is not yet an organisation.
PARTY_ORGANISATIONS = ("branch", "joint_branch")


@dataclass(frozen=True)
class ProjectAssessment:
    """The project's score on a day and every record's part in it."""

    as_of: date
    base_score: Decimal
    score: Decimal
    categories: tuple[CategoryTotal, ...]
    board: str | None
    blacklisted: bool
    counted: tuple[Effect, ...]
    uncounted: tuple[Uncounted, ...]


@dataclass(frozen=True)
class StarBonusGiven:
    """A bonus item that held on the rating day."""

    reason: str
    points: Decimal
    description: str


@dataclass(frozen=True)
class Rating:
    """One year's star rating of the project and where it stands on a day.

    state: in_publicity | held_by_objection | in_force | withdrawn | superseded
    """

    year: int
    rated_on: date
    credit_code: str
    score: Decimal  # the project's score on the rating day, bonuses included
    bonuses: tuple[StarBonusGiven, ...]
    stars: int
    publicity_ends_on: date  # the last day of publicity
    effective_on: date | None  # None: not (yet) in force
    state: str
    ended_on: date | None = None
    ended_by: str | None = None  # objection_upheld | contract_ended | violation
    #                              | next_rating
    record_ids: tuple[str, ...] = ()


def assess_project(
    facts: Sequence[RecordFact], pack: RulePack, as_of: date
) -> ProjectAssessment:
    """Score the records naming the project that count against it on the day."""
    tally, counted, uncounted = tally_of(
        facts,
        pack,
        as_of,
        pack.scope.counts_for_project,
        lambda _: "counts against the enterprise only",
    )
    totals = tuple(
        CategoryTotal(c.name, raw := tally.sums.get(c.name, ZERO), c.clamp(raw))
        for c in pack.categories
    )
    base = pack.projects.base_score
    base = pack.base_score if base is None else base
    blacklisted = tally.counts.get("blacklist", 0) > 0
    board = (
        "black"
        if blacklisted or tally.counts.get("board:black", 0)
        else "red"
        if tally.counts.get("board:red", 0)
        else None
    )
    return ProjectAssessment(
        as_of,
        base,
        base + sum((t.applied for t in totals), ZERO),
        totals,
        board,
        blacklisted,
        counted,
        uncounted,
    )


def ratings(
    file: ProjectFile,
    facts: Sequence[RecordFact],
    pack: RulePack,
    as_of: date,
    calendar: WorkingDays,
) -> tuple[Rating, ...]:
    """Return the project's star ratings of the years rated by the day, newest
    first, each as it stands on the day (none if the pack rates no stars)."""
    rules = pack.projects.stars
    if rules is None:
        return ()
    found: list[Rating] = []
    year = as_of.year
    while year >= pack.effective_from.year and len(found) < 2:
        rated_on = date(year, rules.rated_month, rules.rated_day)
        if pack.effective_from <= rated_on <= as_of:
            rating = _rating(file, facts, pack, rules, rated_on, as_of, calendar)
            if rating is not None:
                found.append(rating)
        year -= 1
    if len(found) == 2 and found[0].state == "in_force":  # the newer replaces it
        older = found[1]
        if older.state == "in_force":
            assert found[0].effective_on is not None
            found[1] = _ended(older, found[0].effective_on, "next_rating", "superseded")
    return tuple(found)


def _rating(  # noqa: PLR0913, PLR0917 (a rating on a day reads all of these)
    file: ProjectFile,
    facts: Sequence[RecordFact],
    pack: RulePack,
    rules: StarRating,
    rated_on: date,
    as_of: date,
    calendar: WorkingDays,
) -> Rating | None:
    period = file.period_on(rated_on)
    if period is None:
        return None  # no firm managed the estate on the rating day
    known = [f for f in facts if f.business_date <= rated_on]
    score = assess_project(known, pack, rated_on).score
    bonuses = _bonuses(file, facts, rules, rated_on)
    score += sum((b.points for b in bonuses), ZERO)
    last_day = calendar.add(rated_on, rules.publicity_working_days)
    rating = Rating(
        rated_on.year,
        rated_on,
        period.credit_code,
        score,
        bonuses,
        rules.stars_for(score),
        last_day,
        None,
        "in_publicity",
    )
    effective_on = last_day + timedelta(days=1)
    objection = file.objection_of(rated_on.year)
    if objection is not None and objection.filed_on <= min(last_day, as_of):
        decided_on = objection.decided_on
        if decided_on is None or decided_on > as_of:
            return rating if as_of <= last_day else _held(rating)
        if objection.upheld:
            return _ended(rating, decided_on, "objection_upheld", "withdrawn")
        effective_on = max(effective_on, decided_on)
    if as_of < effective_on:
        return rating
    rating = Rating(
        **{**vars(rating), "effective_on": effective_on, "state": "in_force"}
    )
    return _withdrawal(rating, period.ends_on, facts, rules, as_of)


def _held(rating: Rating) -> Rating:
    return Rating(**{**vars(rating), "state": "held_by_objection"})


def _ended(rating: Rating, on: date, by: str, state: str) -> Rating:
    return Rating(**{**vars(rating), "ended_on": on, "ended_by": by, "state": state})


def _withdrawal(
    rating: Rating,
    contract_ends_on: date | None,
    facts: Sequence[RecordFact],
    rules: StarRating,
    as_of: date,
) -> Rating:
    """Withdraw the stars on the contract's end or on a named violation."""
    violations = [
        f
        for f in facts
        if f.kind == "bad_credit"
        and rating.rated_on <= f.business_date <= as_of
        and (
            f.get("severity") in rules.withdrawn_by_severities
            or any(f.has_flag(flag) for flag in rules.withdrawn_by_flags)
        )
    ]
    ends: list[tuple[date, str, tuple[str, ...]]] = [
        (f.business_date, "violation", (f.record_id,)) for f in violations
    ]
    if contract_ends_on is not None and contract_ends_on <= as_of:
        ends.append((contract_ends_on, "contract_ended", ()))
    if not ends:
        return rating
    on, by, ids = min(ends, key=lambda end: end[0])
    ended = _ended(rating, on, by, "withdrawn")
    return Rating(**{**vars(ended), "record_ids": ids})


def _bonuses(
    file: ProjectFile, facts: Sequence[RecordFact], rules: StarRating, rated_on: date
) -> tuple[StarBonusGiven, ...]:
    estate = file.facts_on(rated_on)
    year_before = add_months(rated_on, -12)
    given = []
    for bonus in rules.bonuses:
        if bonus.fact is not None:
            holds = estate.get(bonus.fact) in bonus.one_of
        else:
            holds = any(
                f.kind == "good_credit"
                and f.get("category") == bonus.good_category
                and year_before < f.business_date <= rated_on
                for f in facts
            )
        if holds:
            given.append(StarBonusGiven(bonus.reason, bonus.points, bonus.description))
    return tuple(given)


def demonstration_bars(
    file: ProjectFile,
    facts: Sequence[RecordFact],
    assessment: ProjectAssessment,
    firm_blacklisted: bool,
    pack: RulePack,
) -> tuple[Bar, ...]:
    """Return every reason the project may not be a demonstration project."""
    bars = (
        _demonstration_bar(rule, file, facts, assessment, firm_blacklisted)
        for rule in pack.projects.demonstration
    )
    return tuple(bar for bar in bars if bar)


def _demonstration_bar(
    rule: DemonstrationExclusion,
    file: ProjectFile,
    facts: Sequence[RecordFact],
    assessment: ProjectAssessment,
    firm_blacklisted: bool,
) -> Bar | None:
    as_of = assessment.as_of
    if rule.condition == "no_party_organisation":
        form = file.facts_on(as_of).get("party_organisation")
        if form in PARTY_ORGANISATIONS:
            return None
        return Bar(rule.reason, f"the estate's Party organisation: {form or 'none'}")
    if rule.condition == "blacklisted":
        return _blacklist_bar(rule, assessment, firm_blacklisted)
    assert rule.flag is not None
    assert rule.months is not None
    hits = tuple(
        f.record_id
        for f in facts
        if f.kind == "bad_credit"
        and f.has_flag(rule.flag)
        and f.business_date <= as_of < add_months(f.business_date, rule.months)
    )
    if not hits:
        return None
    return Bar(rule.reason, f"{rule.flag} within {rule.months} months", hits)


def _blacklist_bar(
    rule: DemonstrationExclusion, assessment: ProjectAssessment, firm_blacklisted: bool
) -> Bar | None:
    if assessment.blacklisted:
        ids = tuple(e.fact.record_id for e in assessment.counted if e.blacklists)
        return Bar(rule.reason, "the project is on the blacklist", ids)
    if firm_blacklisted:
        return Bar(rule.reason, "the managing enterprise is on the blacklist")
    return None
