"""What one record does under one pack: its points, its validity, its list effects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from credit_svc.domain.calendar import add_months
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record import LIST_KINDS
from credit_svc.domain.rulepack import RulePack, ScoringRule

ZERO = Decimal(0)


@dataclass(frozen=True)
class Effect:
    """A record's effect under a pack, valid from `starts_on` until `expires_on`."""

    fact: RecordFact
    rule: ScoringRule | None
    points: Decimal
    starts_on: date
    expires_on: date  # first day the record no longer counts
    ended_by: str = "validity"  # validity | rectification | disclosure | repair
    #                               | lifting
    # The counts a tally keeps of the record (see Tally.add): worked out once,
    # as it is made, for they are read as the record starts counting, as it
    # ends and by `matters`, for every record of every graded enterprise.
    counted_as: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        board = self.board
        named = (
            ("blacklist", self.blacklists),
            ("veto", self.vetoes),
            ("bad", self.is_bad),
            (f"board:{board}", board is not None),
        )
        counted = tuple([name for name, applies in named if applies])
        object.__setattr__(self, "counted_as", counted)  # frozen: set once here

    @property
    def category(self) -> str | None:
        """Return the category the points go to, if a rule matched."""
        return self.rule.category if self.rule else None

    @property
    def blacklists(self) -> bool:
        """Tell whether the record puts its subject on the blacklist."""
        listed = self.fact.kind in LIST_KINDS
        return listed and self.fact.get("list_type") == "blacklist"

    @property
    def board(self) -> str | None:
        """Return the board (red or black) the record names, if any."""
        if self.fact.kind not in LIST_KINDS:
            return None
        return {"red_board": "red", "black_board": "black"}.get(
            self.fact.get("list_type")
        )

    @property
    def vetoes(self) -> bool:
        """Tell whether the record is a veto item (一票否决)."""
        return self.fact.kind == "bad_credit" and bool(self.fact.get("veto"))

    @property
    def is_bad(self) -> bool:
        """Tell whether the record takes points away."""
        return self.points < ZERO

    @property
    def matters(self) -> bool:
        """Tell whether the record changes anything when it is valid."""
        # A bad record has points; the counts hold the list effects.
        return bool(self.rule or self.points or self.counted_as)


def effect_of(
    fact: RecordFact, pack: RulePack, end: tuple[date, str] | None = None
) -> Effect:
    """Return what the fact does under the pack, until the earliest of its
    ends (`end`, if the caller worked it out already: see end_of)."""
    rule = pack.rule_for(fact)
    points = rule.points_for(fact) if rule else ZERO
    expires_on, ended_by = end or end_of(fact, pack)
    return Effect(fact, rule, points, fact.business_date, expires_on, ended_by)


def end_of(fact: RecordFact, pack: RulePack) -> tuple[date, str]:
    """Return the first day the record stops counting, and what ended it.

    The pack's validity, the end of disclosure (a bad record must not be used
    once no longer disclosed), a granted repair or an early lifting: whichever
    comes first. A record of a severity the pack keeps "until rectified"
    outlives its validity until its rectification is confirmed, but never its
    disclosure.
    """
    validity_ends = add_months(fact.business_date, pack.validity.months_for(fact))
    ends = [(validity_ends, "validity")]
    window = pack.disclosure.window_of(fact)
    if window and pack.validity.until_rectified(fact):
        rectified_on = fact.rectified_on
        if rectified_on is None:
            ends = []  # counts on until its disclosure ends
        elif rectified_on > validity_ends:
            ends = [(rectified_on, "rectification")]
    if window:
        ends.append((window.ends_on, "disclosure"))
    if fact.ends_on and fact.ended_by:
        ends.append((fact.ends_on, fact.ended_by))
    return min(ends, key=lambda end: end[0])
