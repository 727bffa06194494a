"""Award eligibility (评优评先): every reason that bars an enterprise on a day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from credit_svc.domain.calendar import add_months
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.grading import Standing
from credit_svc.domain.record import party_form
from credit_svc.domain.rulepack import AwardExclusion, RulePack

PARTY_CONDITIONS: Final = (
    "no_party_organisation",
    "party_organisation_required",
    "party_filing_late",
)


@dataclass(frozen=True)
class Bar:
    """One reason for exclusion, with the records behind it."""

    reason: str
    detail: str
    record_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Eligibility:
    """Whether an enterprise may receive awards on a day, and why not."""

    as_of: date
    standing: Standing
    bars: tuple[Bar, ...]

    @property
    def eligible(self) -> bool:
        """Tell whether nothing bars the enterprise."""
        return not self.bars


def award_eligibility(
    facts: Sequence[RecordFact], standing: Standing, pack: RulePack, as_of: date
) -> Eligibility:
    """Check every award exclusion of the pack on the day."""
    bars = bars_on(facts, standing.grade, standing.blacklisted, pack, as_of)
    return Eligibility(as_of, standing, bars)


def record_kinds_needed(pack: RulePack) -> frozenset[str]:
    """Return the kinds of record the pack's exclusions look at (none when they
    look only at grade and list), so a reader fetches just those."""
    kinds: set[str] = set()
    for rule in pack.award_exclusions:
        if rule.condition in PARTY_CONDITIONS:
            kinds.add("party_building")
        elif rule.condition == "no_demonstration_project_in_year":
            kinds.add("good_credit")
        elif rule.condition not in ("grade_at_or_below", "blacklisted"):
            kinds.add("bad_credit")  # the flag conditions
    return frozenset(kinds)


def bars_on(
    facts: Sequence[RecordFact],
    grade: str,
    blacklisted: bool,
    pack: RulePack,
    as_of: date,
) -> tuple[Bar, ...]:
    """Return what bars an enterprise with this grade and list status on the day.

    A grade read from the projected timeline needs no recomputation here.
    """
    known = [
        f
        for f in facts
        if f.business_date <= as_of and pack.scope.counts_for_enterprise(f)
    ]
    bars = (
        _bar(rule, known, grade=grade, blacklisted=blacklisted, pack=pack, as_of=as_of)
        for rule in pack.award_exclusions
    )
    return tuple(bar for bar in bars if bar)


def _bar(  # noqa: PLR0913 (one exclusion rule against everything it may test)
    rule: AwardExclusion,
    facts: Sequence[RecordFact],
    *,
    grade: str,
    blacklisted: bool,
    pack: RulePack,
    as_of: date,
) -> Bar | None:
    if rule.condition == "grade_at_or_below":
        assert rule.grade is not None
        if pack.rank(grade) >= pack.rank(rule.grade):
            return Bar(rule.reason, f"grade {grade} is {rule.grade} or below")
        return None
    if rule.condition == "blacklisted":
        return Bar(rule.reason, "on the blacklist") if blacklisted else None
    if rule.condition in PARTY_CONDITIONS:
        return _party_bar(rule, facts, as_of)
    if rule.condition == "no_demonstration_project_in_year":
        return _demonstration_bar(rule, facts, as_of)
    return _flag_bar(rule, facts, as_of)


def _demonstration_bar(
    rule: AwardExclusion, facts: Sequence[RecordFact], as_of: date
) -> Bar | None:
    """A firm needs a project that became a demonstration project this year
    (公司当年必须有1个项目成功创建)."""
    made = [
        f
        for f in facts
        if f.kind == "good_credit"
        and f.get("category") == "demonstration_project"
        and f.get("project_code")
        and f.business_date.year == as_of.year
    ]
    if made:
        return None
    return Bar(
        rule.reason, f"no project became a demonstration project in {as_of.year}"
    )


def _party_bar(
    rule: AwardExclusion, facts: Sequence[RecordFact], as_of: date
) -> Bar | None:
    """Judge the firm's Party organisation by its latest assessment: any form
    (its own, joint, regional, sector-wide, attached) is one."""
    assessments = [f for f in facts if f.kind == "party_building"]
    if rule.condition == "party_filing_late":
        return _filing_bar(rule, assessments, as_of)
    if not assessments:
        return Bar(rule.reason, "no party-building assessment on record")
    latest = max(assessments, key=lambda f: f.business_date)
    if party_form(latest) != "none":
        return None
    day = latest.business_date.isoformat()
    members = int(latest.get("party_member_count") or 0)
    if rule.condition == "no_party_organisation":
        detail = f"assessment of {day} found no Party organisation"
        return Bar(rule.reason, detail, (latest.record_id,))
    assert rule.members is not None
    if members < rule.members:  # fewer: joint or attached forms, not required
        return None
    detail = (
        f"assessment of {day}: {members} full Party members and no Party "
        f"organisation of any form (required from {rule.members})"
    )
    return Bar(rule.reason, detail, (latest.record_id,))


def _filing_bar(
    rule: AwardExclusion, assessments: Sequence[RecordFact], as_of: date
) -> Bar | None:
    """The year's filing (年度备案) is late once its last day has passed
    without one made by then."""
    assert rule.due is not None
    month, day = (int(part) for part in rule.due.split("-"))
    due = date(as_of.year, month, day)
    if as_of <= due:
        return None
    filings = sorted(
        (f.get("filing_date"), f.record_id)
        for f in assessments
        if f.get("filing_date") and f.get("filing_date").year == as_of.year
    )
    if filings and filings[0][0] <= due:
        return None
    if filings:
        detail = f"filed on {filings[0][0].isoformat()}, after {due.isoformat()}"
        return Bar(rule.reason, detail, (filings[0][1],))
    return Bar(rule.reason, f"no filing for {as_of.year} by {due.isoformat()}")


def _flag_bar(
    rule: AwardExclusion, facts: Sequence[RecordFact], as_of: date
) -> Bar | None:
    assert rule.flag is not None
    flagged = [f for f in facts if f.kind == "bad_credit" and f.has_flag(rule.flag)]
    if rule.condition == "flag_in_calendar_year":
        hits = [f for f in flagged if f.business_date.year == as_of.year]
        window = f"in {as_of.year}"
    else:
        assert rule.months is not None
        months = rule.months
        hits = [  # a removal from the list (lifting) ends the flag
            f
            for f in flagged
            if as_of < add_months(f.business_date, months)
            and (f.ends_on is None or as_of < f.ends_on)
        ]
        window = f"within {months} months"
    if not hits:
        return None
    return Bar(rule.reason, f"{rule.flag} {window}", tuple(f.record_id for f in hits))
