"""How a grade was used (数据应用反馈): a tender platform reports the tender
or award it used a firm's grade in, the grade it used and what it did; one
aggregate per firm, so auditors see every use of its grades together."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from credit_svc.domain.credit_code import NAMESPACE
from credit_svc.domain.errors import LifecycleConflictError

# What the grade did in the tender: added points, excluded the firm ("B or
# below"), was part of an award, of a refusal, or nothing.
EFFECTS: Final = ("scored", "excluded", "awarded", "not_awarded", "no_effect")
EFFECT_NAMES: Final = {
    "scored": "计入评分",
    "excluded": "排除投标或评优资格",
    "awarded": "中标或获评",
    "not_awarded": "未中标或未获评",
    "no_effect": "未产生影响",
}


USE_FIELDS: Final = (
    *("reported_by", "tender_id", "award_id", "used_on", "as_of", "recorded_at"),
    *("grade", "tender_points", "effect", "note"),
)


def grade_uses_id(credit_code: str) -> UUID:
    """Return the aggregate id of a firm's reported grade uses."""
    return uuid5(NAMESPACE, f"grade_uses:{credit_code}")


class GradeUses(Aggregate):
    """Every reported use of one firm's grades."""

    class Started(Aggregate.Created):
        """The first use of the firm's grades was reported."""

        class_version = 1
        credit_code: str

    class Reported(Aggregate.Event):
        """A platform used the firm's grade of a day in a tender or award."""

        class_version = 1
        reported_by: str  # the platform's authority (its key's)
        tender_id: str
        award_id: str
        used_on: date
        as_of: date  # the business date of the grade used
        recorded_at: datetime | None  # when the platform read it, if it says
        grade: str
        tender_points: str
        effect: str
        note: str

        def apply(self, aggregate: Any) -> None:
            """Keep the use."""
            use = {k: v for k, v in self.__dict__.items() if k in USE_FIELDS}
            aggregate.uses.append(use)

    @staticmethod
    def create_id(credit_code: str, **_: Any) -> UUID:
        """Key the uses by their firm."""
        return grade_uses_id(credit_code)

    @event(Started)
    def __init__(self, credit_code: str) -> None:
        self.credit_code = credit_code
        self.uses: list[dict[str, Any]] = []

    def report(self, reported_by: str, tender_id: str, **use: Any) -> None:
        """Add a use; the same platform reports one tender once."""
        if any(
            u["reported_by"] == reported_by and u["tender_id"] == tender_id
            for u in self.uses
        ):
            msg = f"{reported_by} reported tender {tender_id} already"
            raise LifecycleConflictError(msg)
        self.trigger_event(
            self.Reported, reported_by=reported_by, tender_id=tender_id, **use
        )
