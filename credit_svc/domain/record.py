"""Credit records: one aggregate per recorded fact, one created-event class per kind.

A record's identity is its natural key (kind, authority, document number, subject,
project), so posting the same document twice is refused instead of double-counted.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Final
from uuid import UUID

from eventsourcing.domain import Aggregate

from credit_svc.domain.credit_code import record_id
from credit_svc.domain.record_state import RecordState

# Attributes every created event carries besides its kind's own facts.
ENVELOPE_FIELDS: Final = frozenset(
    {
        *("originator_id", "originator_version", "timestamp", "originator_topic"),
        "acting_key",  # stamped on storing (credit_svc.adapters.acting), not a fact
    }
)


class CreditRecord(Aggregate):
    """One recorded fact about an enterprise; its kind is its created event's kind."""

    if TYPE_CHECKING:  # set by Recorded.apply; real annotations would become
        # constructor fields, since the library turns aggregates into dataclasses.
        kind: str
        facts: dict[str, Any]
        recorded_at: datetime
        state: RecordState

    class Recorded(Aggregate.Created):
        """Fields every record kind carries: who recorded what, about whom, when."""

        kind: ClassVar[str] = ""
        # Fields a later version added that a record need not state: left out
        # of its facts when empty, so records that do not state them read (and
        # project) exactly as those stored before the fields existed.
        optional: ClassVar[frozenset[str]] = frozenset()
        credit_code: str
        business_date: date
        authority: str
        document_number: str
        project_code: str
        term_months: int | None

        def facts(self) -> dict[str, Any]:
            """Return what was recorded, without the event's envelope (nor the
            optional fields it leaves empty)."""
            return {
                k: v
                for k, v in self.__dict__.items()
                if k not in ENVELOPE_FIELDS
                and not (k in self.optional and v in ("", None))
            }

        def apply(self, aggregate: Any) -> None:
            """Keep the recorded facts on the aggregate as plain attributes."""
            aggregate.kind = self.kind
            aggregate.recorded_at = self.timestamp
            aggregate.facts = self.facts()
            aggregate.state = RecordState()

    @classmethod
    def natural_key(cls, kind: str, facts: dict[str, Any]) -> str:
        """Return the key that makes one document about one subject one record."""
        parts = [
            kind,
            facts["authority"],
            facts["document_number"],
            facts["credit_code"],
            facts["project_code"],
        ]
        if kind in MANAGER_KINDS:  # one document may name several managers
            parts.append(str(facts["manager_id"]))
        return "|".join(parts)

    @classmethod
    def record(cls, event_class: type[Recorded], facts: dict[str, Any]) -> CreditRecord:
        """Create a record of the event's kind from validated facts."""
        key = cls.natural_key(event_class.kind, facts)
        return cls._create(event_class, id=record_id(key), **facts)


class InspectionRecorded(CreditRecord.Recorded):
    """An inspection (双随机一公开, 物业管理大检查 or routine) found a result."""

    kind = "inspection"
    class_version = 2
    inspection_type: str
    score: Decimal | None
    passed: bool | None
    findings: list[str]
    rectification_deadline: date | None
    draw: str = ""  # the 双随机 draw it came from: "jurisdiction/period"

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Inspections stored before they could name their draw."""
        state["draw"] = ""


class ListEntryRecorded(CreditRecord.Recorded):
    """The enterprise was put on the red board, the black board or the blacklist.

    Version 2 adds what the national red/black-list field set asks of the
    decision (docs/data-exchange.md): its legal basis (认定依据), the deciding
    authority's unified social credit code and the firm's legal
    representative as the decision names them; "" where not stated.
    """

    kind = "list_entry"
    class_version = 2
    optional = frozenset({"legal_basis", "authority_code", "legal_representative"})
    list_type: str
    reason: str
    legal_basis: str = ""
    authority_code: str = ""
    legal_representative: str = ""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Entries stored before the national field set was asked for."""
        state |= {"legal_basis": "", "authority_code": "", "legal_representative": ""}


# An organisation recorded before its form was asked: one of some form.
UNSTATED: Final = "unstated"


def party_form(fact: Any) -> str:
    """Return the form of the firm's Party organisation a party-building fact
    states (a fact read from before the form was asked: from its boolean)."""
    form = fact.get("organisation_form")
    if form:
        return str(form)
    return UNSTATED if fact.get("has_party_organisation") else "none"


class GoodCreditRecorded(CreditRecord.Recorded):
    """A good-credit fact: honour, demonstration project, old estate taken on."""

    kind = "good_credit"
    class_version = 2
    category: str
    level: str
    title: str
    points: Decimal | None = None  # the points the authority awards, if stated

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Records stored before a good record could state its points."""
        state["points"] = None


class BadCreditRecorded(CreditRecord.Recorded):
    """A bad-credit fact: a violation with its severity, points and veto flag.

    Version 2 adds what the 双公示 administrative-penalty field set asks
    (docs/data-exchange.md): the type of violation (违法行为类型), the legal
    basis (处罚依据), the penalty's category under the Administrative
    Penalty Law and its content, the fine in 10,000 yuan (万元, as the field
    set counts it), the penalising authority's unified social credit code and
    the firm's legal representative as the decision names them. A record
    with a penalty category is an administrative penalty; "" or None where
    not stated.
    """

    kind = "bad_credit"
    class_version = 2
    optional = frozenset(
        {
            *("violation_type", "legal_basis", "penalty_category", "penalty_content"),
            *("fine_amount", "authority_code", "legal_representative"),
        }
    )
    violation_code: str
    description: str
    severity: str
    points: Decimal | None
    veto: bool
    flags: list[str]
    violation_type: str = ""
    legal_basis: str = ""
    penalty_category: str = ""  # vocabulary.PENALTY_CATEGORIES
    penalty_content: str = ""
    fine_amount: Decimal | None = None  # 万元
    authority_code: str = ""
    legal_representative: str = ""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Records stored before the penalty field set was asked for."""
        state |= dict.fromkeys(
            (
                "violation_type",
                "legal_basis",
                "penalty_category",
                "penalty_content",
                "authority_code",
                "legal_representative",
            ),
            "",
        )
        state["fine_amount"] = None


class PartyBuildingAssessed(CreditRecord.Recorded):
    """A party-building assessment (党建工作专项评价) for a period: the form of
    the firm's Party organisation, its full members, the Party-building
    instructor assigned (党建指导员) and the day of its yearly filing (备案)."""

    kind = "party_building"
    class_version = 2
    period: str
    has_party_organisation: bool
    party_member_count: int
    joint_building: bool  # takes part in joint Party-building (党建联建)
    score: Decimal | None
    level: str | None
    organisation_form: str = UNSTATED  # vocabulary.PARTY_ORGANISATION_FORMS
    instructor: str = ""
    filing_date: date | None = None  # the year's filing (年度备案)

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Assessments stored before the form, instructor and filing were asked."""
        state["organisation_form"] = (
            UNSTATED if state["has_party_organisation"] else "none"
        )
        state["instructor"] = ""
        state["filing_date"] = None


class AppraisalRecorded(CreditRecord.Recorded):
    """An appraisal opinion (评价意见) of a Party organisation or owners' body."""

    kind = "appraisal"
    class_version = 1
    assessor_type: str
    period: str
    rating: str
    owner_satisfaction: Decimal | None
    sample_size: int | None


class SummonsRecorded(CreditRecord.Recorded):
    """A summons (约谈) of the firm's principal, with what it must put right
    and, when set, by when (限期整改)."""

    kind = "summons"
    class_version = 1
    reason: str
    summoned_person: str
    requirements: list[str]
    rectification_deadline: date | None


class ManagerPenalised(CreditRecord.Recorded):
    """A bad-credit fact about a project manager, at a project of the enterprise."""

    kind = "manager_bad_credit"
    class_version = 1
    manager_id: UUID
    violation_code: str
    description: str
    severity: str
    points: Decimal | None


class ManagerListed(CreditRecord.Recorded):
    """A project manager was put on a board or the blacklist of practitioners."""

    kind = "manager_list_entry"
    class_version = 1
    manager_id: UUID
    list_type: str
    reason: str


RECORDED_EVENTS: Final[dict[str, type[CreditRecord.Recorded]]] = {
    cls.kind: cls
    for cls in (
        InspectionRecorded,
        ListEntryRecorded,
        GoodCreditRecorded,
        BadCreditRecorded,
        PartyBuildingAssessed,
        AppraisalRecorded,
        SummonsRecorded,
        ManagerPenalised,
        ManagerListed,
    )
}
KINDS: Final = tuple(RECORDED_EVENTS)
# Records about a project manager: they grade the person, never the enterprise.
MANAGER_KINDS: Final = ("manager_bad_credit", "manager_list_entry")
ENTERPRISE_KINDS: Final = tuple(k for k in KINDS if k not in MANAGER_KINDS)
BAD_KINDS: Final = ("bad_credit", "manager_bad_credit")  # graded by severity
LIST_KINDS: Final = ("list_entry", "manager_list_entry")  # have terms, can be lifted


def record_id_for(kind: str, facts: dict[str, Any]) -> UUID:
    """Return the id a record of this kind with these facts has or would have."""
    return record_id(CreditRecord.natural_key(kind, facts))
