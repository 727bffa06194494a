"""Red and black boards as published acts (红黑榜通报): a bureau issues a
board for a period, the firms on it may object during its publicity, and the
issuer decides, corrects or withdraws, each an event.

One aggregate per jurisdiction holds its issues, so its archive is one read.
An entry takes effect the day after publicity ends; an entry objected to
waits for the decision (rejected: in effect from the decision day; upheld:
taken off the board). The live, computed boards stay as the bureau's preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from credit_svc.domain.credit_code import NAMESPACE
from credit_svc.domain.errors import (
    BoardIssueNotFoundError,
    InvalidRecordError,
    LifecycleConflictError,
    LifecycleRuleError,
    NotRecordingAuthorityError,
)

BOARDS: Final = ("red", "black")
ONE_DAY: Final = timedelta(days=1)


def boards_id(jurisdiction: str) -> UUID:
    """Return the aggregate id of a jurisdiction's published boards."""
    return uuid5(NAMESPACE, f"board_issues:{jurisdiction}")


def issue_key(board: str, period: str) -> str:
    """Return an issue's key within its jurisdiction: board and period."""
    return f"{board}-{period}"


@dataclass(frozen=True)
class EntryState:
    """Where one entry of an issue stands on a day."""

    state: str  # in_publicity | held_by_objection | in_force | removed | withdrawn
    in_force_from: date | None


class BoardIssues(Aggregate):
    """A jurisdiction's published red and black boards."""

    class Started(Aggregate.Created):
        """The jurisdiction published its first board."""

        class_version = 1
        jurisdiction: str

    class Issued(Aggregate.Event):
        """A board published for a period, with who is on it and why."""

        class_version = 1
        board: str
        period: str
        as_of: date
        document_number: str
        published_on: date
        publicity_ends_on: date  # its last day
        entries: list[dict[str, Any]]
        issued_by: str

    class Objected(Aggregate.Event):
        """A firm on the board objected during its publicity."""

        class_version = 1
        key: str
        credit_code: str
        filed_on: date
        grounds: str
        documents: list[dict[str, str]]

    class ObjectionDecided(Aggregate.Event):
        """The issuer decided a firm's objection."""

        class_version = 1
        key: str
        credit_code: str
        decided_on: date
        upheld: bool
        reason: str
        document_number: str

    class Withdrawn(Aggregate.Event):
        """The issuer withdrew the whole issue."""

        class_version = 1
        key: str
        withdrawn_on: date
        reason: str
        document_number: str

    @staticmethod
    def create_id(jurisdiction: str, **_: Any) -> UUID:
        """Key the boards by their jurisdiction."""
        return boards_id(jurisdiction)

    @event(Started)
    def __init__(self, jurisdiction: str) -> None:
        self.jurisdiction = jurisdiction
        self.issues: dict[str, dict[str, Any]] = {}

    def issue(self, **published: Any) -> str:
        """Publish a board for a period, once."""
        key = issue_key(published["board"], published["period"])
        if key in self.issues:
            raise LifecycleConflictError(
                f"the {key} board of {self.jurisdiction} was issued"
            )
        if published["board"] not in BOARDS:
            raise InvalidRecordError(f"board {published['board']!r}: red or black")
        self._issued(**published)
        return key

    @event(Issued)
    def _issued(  # noqa: PLR0913, PLR0917 (one each of the event's facts)
        self,
        board: str,
        period: str,
        as_of: date,
        document_number: str,
        published_on: date,
        publicity_ends_on: date,
        entries: list[dict[str, Any]],
        issued_by: str,
    ) -> None:
        self.issues[issue_key(board, period)] = {
            "key": issue_key(board, period),
            "board": board,
            "period": period,
            "as_of": as_of,
            "document_number": document_number,
            "published_on": published_on,
            "publicity_ends_on": publicity_ends_on,
            "entries": entries,
            "issued_by": issued_by,
            "objections": {},
            "withdrawn": None,
        }

    def object_to(
        self, key: str, credit_code: str, filed_on: date, **objection: Any
    ) -> None:
        """File a listed firm's objection during the issue's publicity."""
        found = self.get(key)
        if credit_code not in {e["credit_code"] for e in found["entries"]}:
            raise LifecycleRuleError(f"{credit_code} is not on the {key} board")
        if not found["published_on"] <= filed_on <= found["publicity_ends_on"]:
            raise LifecycleRuleError(
                f"objections to the {key} board are heard from "
                f"{found['published_on']} to {found['publicity_ends_on']}"
            )
        if credit_code in found["objections"]:
            raise LifecycleConflictError(
                f"{credit_code} objected to the {key} board already"
            )
        self._objected(key=key, credit_code=credit_code, filed_on=filed_on, **objection)

    @event(Objected)
    def _objected(
        self,
        key: str,
        credit_code: str,
        filed_on: date,
        grounds: str,
        documents: list[dict[str, str]],
    ) -> None:
        self.issues[key]["objections"][credit_code] = {
            "filed_on": filed_on,
            "grounds": grounds,
            "documents": documents,
            "decided_on": None,
            "upheld": None,
        }

    def decide(self, key: str, credit_code: str, by: str, **decision: Any) -> None:
        """Decide an open objection, as the issuer."""
        found = self.get(key)
        self._by_issuer(found, by)
        objection = found["objections"].get(credit_code)
        if objection is None or objection["decided_on"] is not None:
            raise LifecycleConflictError(f"no open objection of {credit_code} to {key}")
        self._decided(key=key, credit_code=credit_code, **decision)

    @event(ObjectionDecided)
    def _decided(  # noqa: PLR0913, PLR0917 (one each of the event's facts)
        self,
        key: str,
        credit_code: str,
        decided_on: date,
        upheld: bool,
        reason: str,
        document_number: str,
    ) -> None:
        self.issues[key]["objections"][credit_code] |= {
            "decided_on": decided_on,
            "upheld": upheld,
            "reason": reason,
            "document_number": document_number,
        }

    def withdraw(self, key: str, by: str, **withdrawal: Any) -> None:
        """Withdraw the whole issue, as the issuer."""
        found = self.get(key)
        self._by_issuer(found, by)
        if found["withdrawn"] is not None:
            raise LifecycleConflictError(f"the {key} board was withdrawn already")
        self._withdrawn(key=key, **withdrawal)

    @event(Withdrawn)
    def _withdrawn(
        self, key: str, withdrawn_on: date, reason: str, document_number: str
    ) -> None:
        self.issues[key]["withdrawn"] = {
            "withdrawn_on": withdrawn_on,
            "reason": reason,
            "document_number": document_number,
        }

    def get(self, key: str) -> dict[str, Any]:
        """Return one issue."""
        if key not in self.issues:
            raise BoardIssueNotFoundError(f"{self.jurisdiction} {key}")
        return self.issues[key]

    @staticmethod
    def _by_issuer(found: dict[str, Any], by: str) -> None:
        if by != found["issued_by"]:
            raise NotRecordingAuthorityError(
                f"only {found['issued_by']} decides on its board"
            )


def entry_state(issue: dict[str, Any], credit_code: str, day: date) -> EntryState:
    """Return where the firm's entry of the issue stands on the day."""
    withdrawn = issue["withdrawn"]
    if withdrawn is not None and day >= withdrawn["withdrawn_on"]:
        return EntryState("withdrawn", None)
    objection = issue["objections"].get(credit_code)
    if objection and objection["upheld"] and day >= objection["decided_on"]:
        return EntryState("removed", None)
    if day <= issue["publicity_ends_on"]:
        return EntryState("in_publicity", None)
    if objection and (objection["decided_on"] is None or day < objection["decided_on"]):
        return EntryState("held_by_objection", None)
    starts = issue["publicity_ends_on"] + ONE_DAY
    if objection:
        starts = max(starts, objection["decided_on"])
    return EntryState("in_force", starts)
