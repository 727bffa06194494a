"""The Project aggregate: an estate (小区/物业项目) as a subject of credit.

Its code stays when the managing firm changes: each firm's management is a
period with a start and an end, and the estate's facts change from dates the
bureau states. A star rating's objection lives here too, since a rating is
worked out, not recorded (see project_standing.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from credit_svc.domain.credit_code import NAMESPACE
from credit_svc.domain.errors import InvalidRecordError, LifecycleConflictError

PROJECT_TYPES: Final = ("residential", "non_residential")
# 小区党组织: its own branch, a joint branch of several estates, a Party working
# group sent by the community (党的工作小组), or none.
PARTY_FORMS: Final = ("none", "branch", "joint_branch", "working_group")
OWNERS_BODIES: Final = ("none", "owners_committee", "management_committee")
END_REASONS: Final = ("contract_ended", "terminated", "handed_over")
# The facts a bureau may state about an estate from a date; each statement
# changes only the facts it names.
FACT_NAMES: Final = (
    "project_type",
    "address",
    "managed_area",
    "party_organisation",
    "owners_body",
)


def project_id(project_code: str) -> UUID:
    """Return the aggregate id of the project with this code."""
    return uuid5(NAMESPACE, f"project:{project_code}")


class Project(Aggregate):
    """An estate, the firms that managed it, and what is known of it."""

    class Registered(Aggregate.Created):
        """The estate was entered in a jurisdiction's register of projects."""

        class_version = 1
        project_code: str
        name: str
        jurisdiction: str
        registered_by: str

    class FactsStated(Aggregate.Event):
        """Facts about the estate, holding from a business date on."""

        class_version = 1
        effective_on: date
        facts: dict[str, Any]
        stated_by: str

    class ManagementStarted(Aggregate.Event):
        """A firm took on the estate under a contract (物业服务合同)."""

        class_version = 1
        credit_code: str
        starts_on: date
        contract_ends_on: date | None
        took_over_old_estate: bool  # 老旧小区承接: an estate with no manager before
        document_number: str
        recorded_by: str

    class ManagementEnded(Aggregate.Event):
        """A firm's management of the estate ended (its first day without)."""

        class_version = 1
        credit_code: str
        ends_on: date
        reason: str
        recorded_by: str

    class RatingObjected(Aggregate.Event):
        """The managing firm (or an owner) objected to a year's star rating."""

        class_version = 1
        year: int
        filed_on: date
        reason: str
        recorded_by: str

    class RatingObjectionDecided(Aggregate.Event):
        """The rating body decided the objection: upheld withdraws the rating."""

        class_version = 1
        year: int
        decided_on: date
        upheld: bool
        recorded_by: str

    @staticmethod
    def create_id(project_code: str, **_: Any) -> UUID:
        """Key projects by their code, so a code registers only once."""
        return project_id(project_code)

    @event(Registered)
    def __init__(
        self, project_code: str, name: str, jurisdiction: str, registered_by: str
    ) -> None:
        self.project_code = project_code
        self.name = name
        self.jurisdiction = jurisdiction
        self.registered_by = registered_by
        # (credit code, starts on, ends on or None), in order of start
        self.periods: list[list[Any]] = []
        self.open_objections: set[int] = set()

    def state_facts(self, effective_on: date, facts: dict[str, Any], by: str) -> None:
        """Record facts from a day; refuse names the register does not keep."""
        unknown = sorted(set(facts) - set(FACT_NAMES))
        if unknown or not facts:
            raise InvalidRecordError(f"no facts of these names: {unknown or '{}'}")
        self._state_facts(effective_on, facts, by)

    @event(FactsStated)
    def _state_facts(
        self, effective_on: date, facts: dict[str, Any], stated_by: str
    ) -> None:
        pass  # read by folding the events (project_file.py), on both time axes

    def start_management(
        self, credit_code: str, starts_on: date, **details: Any
    ) -> None:
        """Put a firm in charge from a day; the estate has one manager at a time."""
        if self.periods:
            code, start, end = self.periods[-1]
            if end is None:
                msg = (
                    f"project {self.project_code} is managed by {code} from "
                    f"{start}: end that period first"
                )
                raise LifecycleConflictError(msg)
            if starts_on < end:
                msg = f"starts_on must not come before the last period's end, {end}"
                raise InvalidRecordError(msg)
        self._start_management(credit_code, starts_on, **details)

    @event(ManagementStarted)
    def _start_management(  # noqa: PLR0913, PLR0917 (the event's fields)
        self,
        credit_code: str,
        starts_on: date,
        contract_ends_on: date | None,  # noqa: ARG002 (the event records it)
        took_over_old_estate: bool,  # noqa: ARG002
        document_number: str,  # noqa: ARG002
        recorded_by: str,  # noqa: ARG002
    ) -> None:
        self.periods.append([credit_code, starts_on, None])

    def end_management(self, credit_code: str, ends_on: date, **details: Any) -> None:
        """End the firm's open period on a day after its start."""
        current = self.periods[-1] if self.periods else None
        if current is None or current[0] != credit_code or current[2] is not None:
            msg = f"{credit_code} has no open management of project {self.project_code}"
            raise LifecycleConflictError(msg)
        if ends_on <= current[1]:
            msg = f"ends_on must come after the period's start, {current[1]}"
            raise InvalidRecordError(msg)
        self._end_management(credit_code, ends_on, **details)

    @event(ManagementEnded)
    def _end_management(
        self,
        credit_code: str,  # noqa: ARG002
        ends_on: date,
        reason: str,  # noqa: ARG002
        recorded_by: str,  # noqa: ARG002
    ) -> None:
        self.periods[-1][2] = ends_on

    def object_to_rating(self, year: int, filed_on: date, **details: Any) -> None:
        """Open an objection to a year's rating; one at a time per year."""
        if year in self.open_objections:
            raise LifecycleConflictError(f"an objection to the {year} rating is open")
        self._object(year, filed_on, **details)

    @event(RatingObjected)
    def _object(
        self,
        year: int,
        filed_on: date,  # noqa: ARG002
        reason: str,  # noqa: ARG002
        recorded_by: str,  # noqa: ARG002
    ) -> None:
        self.open_objections.add(year)

    def decide_objection(self, year: int, decided_on: date, **details: Any) -> None:
        """Decide the open objection to a year's rating."""
        if year not in self.open_objections:
            raise LifecycleConflictError(f"no objection to the {year} rating is open")
        self._decide(year, decided_on, **details)

    @event(RatingObjectionDecided)
    def _decide(
        self,
        year: int,
        decided_on: date,  # noqa: ARG002
        upheld: bool,  # noqa: ARG002
        recorded_by: str,  # noqa: ARG002
    ) -> None:
        self.open_objections.discard(year)
