"""Stored events are a contract: their topics and fields must never drift silently."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from eventsourcing.utils import get_topic

from credit_svc.domain.board_issues import BoardIssues
from credit_svc.domain.credit_report import CreditReport
from credit_svc.domain.draws import Draw
from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.project import Project
from credit_svc.domain.project_manager import ProjectManager
from credit_svc.domain.published_statistics import PublishedStatistics
from credit_svc.domain.record import (
    RECORDED_EVENTS,
    BadCreditRecorded,
    CreditRecord,
    GoodCreditRecorded,
    InspectionRecorded,
    ListEntryRecorded,
    PartyBuildingAssessed,
)
from credit_svc.services import Services

COMMON = [
    "credit_code",
    "business_date",
    "authority",
    "document_number",
    "project_code",
    "term_months",
]
ENVELOPE = ["originator_id", "originator_version", "timestamp", "originator_topic"]

CONTRACT = {
    "credit_svc.domain.enterprise:Enterprise.Registered": [
        *ENVELOPE,
        "credit_code",
        "name",
        "jurisdiction",
        "registered_by",
    ],
    "credit_svc.domain.enterprise:Enterprise.ProjectAdded": [
        "originator_id",
        "originator_version",
        "timestamp",
        "project_code",
        "project_name",
        "added_by",
    ],
    "credit_svc.domain.enterprise:Enterprise.ManagerAssigned": [
        "originator_id",
        "originator_version",
        "timestamp",
        "project_code",
        "manager_id",
        "starts_on",
        "assigned_by",
    ],
    # No ID number and no pseudonym: the id is all that identifies the person.
    "credit_svc.domain.project_manager:ProjectManager.Registered": [
        *ENVELOPE,
        "name",
        "jurisdiction",
        "registered_by",
    ],
    "credit_svc.domain.record:InspectionRecorded": [
        *ENVELOPE,
        *COMMON,
        "inspection_type",
        "score",
        "passed",
        "findings",
        "rectification_deadline",
        "draw",
    ],
    "credit_svc.domain.record:ListEntryRecorded": [
        *ENVELOPE,
        *COMMON,
        "list_type",
        "reason",
        # version 2: the national list field set; upcast_v1_v2 gives ""
        "legal_basis",
        "authority_code",
        "legal_representative",
    ],
    "credit_svc.domain.record:GoodCreditRecorded": [
        *ENVELOPE,
        *COMMON,
        "category",
        "level",
        "title",
        "points",  # version 2: upcast_v1_v2 gives older events None
    ],
    "credit_svc.domain.record:BadCreditRecorded": [
        *ENVELOPE,
        *COMMON,
        "violation_code",
        "description",
        "severity",
        "points",
        "veto",
        "flags",
        # version 2: the 双公示 penalty field set; upcast_v1_v2 gives "" / None
        "violation_type",
        "legal_basis",
        "penalty_category",
        "penalty_content",
        "fine_amount",
        "authority_code",
        "legal_representative",
    ],
    "credit_svc.domain.record:PartyBuildingAssessed": [
        *ENVELOPE,
        *COMMON,
        "period",
        "has_party_organisation",
        "party_member_count",
        "joint_building",
        "score",
        "level",
        "organisation_form",
        "instructor",
        "filing_date",
    ],
    "credit_svc.domain.record:AppraisalRecorded": [
        *ENVELOPE,
        *COMMON,
        "assessor_type",
        "period",
        "rating",
        "owner_satisfaction",
        "sample_size",
    ],
    "credit_svc.domain.record:SummonsRecorded": [
        *ENVELOPE,
        *COMMON,
        "reason",
        "summoned_person",
        "requirements",
        "rectification_deadline",
    ],
    "credit_svc.domain.record:ManagerPenalised": [
        *ENVELOPE,
        *COMMON,
        "manager_id",
        "violation_code",
        "description",
        "severity",
        "points",
    ],
    "credit_svc.domain.record:ManagerListed": [
        *ENVELOPE,
        *COMMON,
        "manager_id",
        "list_type",
        "reason",
    ],
    "credit_svc.domain.project:Project.Registered": [
        *ENVELOPE,
        "project_code",
        "name",
        "jurisdiction",
        "registered_by",
    ],
    "credit_svc.domain.project:Project.FactsStated": [
        *ENVELOPE[:3],
        "effective_on",
        "facts",
        "stated_by",
    ],
    "credit_svc.domain.project:Project.ManagementStarted": [
        *ENVELOPE[:3],
        "credit_code",
        "starts_on",
        "contract_ends_on",
        "took_over_old_estate",
        "document_number",
        "recorded_by",
    ],
    "credit_svc.domain.project:Project.ManagementEnded": [
        *ENVELOPE[:3],
        "credit_code",
        "ends_on",
        "reason",
        "recorded_by",
    ],
    "credit_svc.domain.project:Project.RatingObjected": [
        *ENVELOPE[:3],
        "year",
        "filed_on",
        "reason",
        "recorded_by",
    ],
    "credit_svc.domain.project:Project.RatingObjectionDecided": [
        *ENVELOPE[:3],
        "year",
        "decided_on",
        "upheld",
        "recorded_by",
    ],
    "credit_svc.domain.draws:Draw.Made": [
        *ENVELOPE,
        "jurisdiction",
        "period",
        "as_of",
        "inspections_end",
        "inputs",
        "targets",
        "commitment",
        "made_by",
    ],
    "credit_svc.domain.board_issues:BoardIssues.Started": [*ENVELOPE, "jurisdiction"],
    "credit_svc.domain.board_issues:BoardIssues.Issued": [
        *ENVELOPE[:3],
        "board",
        "period",
        "as_of",
        "document_number",
        "published_on",
        "publicity_ends_on",
        "entries",
        "issued_by",
    ],
    "credit_svc.domain.board_issues:BoardIssues.Objected": [
        *ENVELOPE[:3],
        "key",
        "credit_code",
        "filed_on",
        "grounds",
        "documents",
    ],
    "credit_svc.domain.board_issues:BoardIssues.ObjectionDecided": [
        *ENVELOPE[:3],
        "key",
        "credit_code",
        "decided_on",
        "upheld",
        "reason",
        "document_number",
    ],
    "credit_svc.domain.board_issues:BoardIssues.Withdrawn": [
        *ENVELOPE[:3],
        "key",
        "withdrawn_on",
        "reason",
        "document_number",
    ],
    "credit_svc.domain.published_statistics:PublishedStatistics.Started": [
        *ENVELOPE,
        "jurisdiction",
    ],
    "credit_svc.domain.published_statistics:PublishedStatistics.Published": [
        *ENVELOPE[:3],
        "period",
        "as_of",
        "published_on",
        "published_by",
        "document_number",
        "content",
    ],
    # What the public page shows and the signature fixes: never reshaped.
    "credit_svc.domain.credit_report:CreditReport.Issued": [
        *ENVELOPE,
        "report_number",
        "credit_code",
        "as_of",
        "issued_on",
        "valid_until",
        "content",
        "statement",
        "algorithm",
        "signature",
        "issued_by",
    ],
}
EVENTS = [
    Enterprise.Registered,
    Enterprise.ProjectAdded,
    Enterprise.ManagerAssigned,
    ProjectManager.Registered,
    *RECORDED_EVENTS.values(),
    Project.Registered,
    Project.FactsStated,
    Project.ManagementStarted,
    Project.ManagementEnded,
    Project.RatingObjected,
    Project.RatingObjectionDecided,
    CreditReport.Issued,
    Draw.Made,
    BoardIssues.Started,
    BoardIssues.Issued,
    BoardIssues.Objected,
    BoardIssues.ObjectionDecided,
    BoardIssues.Withdrawn,
    PublishedStatistics.Started,
    PublishedStatistics.Published,
]


@pytest.mark.parametrize("event_class", EVENTS, ids=lambda cls: cls.__qualname__)
def test_event_topic_and_fields_match_the_contract(event_class: type) -> None:
    fields = [f.name for f in dataclasses.fields(event_class)]

    assert fields == CONTRACT[get_topic(event_class)]


# Events whose shape changed, by the version they are at; the rest are at 1.
VERSIONS = {
    GoodCreditRecorded: 2,
    PartyBuildingAssessed: 2,
    InspectionRecorded: 2,
    BadCreditRecorded: 2,
    ListEntryRecorded: 2,
}


@pytest.mark.parametrize("event_class", EVENTS, ids=lambda cls: cls.__qualname__)
def test_every_event_declares_its_class_version(event_class: type) -> None:
    # The library re-creates decorated events as subclasses: look along the MRO.
    assert getattr(event_class, "class_version", None) == VERSIONS.get(event_class, 1)


def test_a_good_record_stored_before_stated_points_reads_as_stating_none(
    services: Services,
) -> None:
    mapper = services.app.mapper  # the service's own transcoding and cipher
    record = CreditRecord.record(
        GoodCreditRecorded,
        {
            "credit_code": "91370602MA3C4K7Q11",
            "business_date": date(2025, 3, 1),
            "authority": "测试住建局",
            "document_number": "荣誉-1",
            "project_code": "",
            "term_months": None,
            "category": "honour",
            "level": "city",
            "title": "市级示范",
            "points": Decimal("6"),
        },
    )
    stored = mapper.to_stored_event(record.collect_events()[0])
    state = mapper.transcoder.decode(stored.state)
    assert state.pop("class_version") == 2
    del state["points"]  # as version 1 wrote it
    old = replace(stored, state=mapper.transcoder.encode(state))

    event = mapper.to_domain_event(old)

    assert vars(event)["points"] is None
    assert vars(event)["title"] == "市级示范"


def test_an_assessment_stored_before_the_form_was_asked_reads_with_one(
    services: Services,
) -> None:
    mapper = services.app.mapper
    record = CreditRecord.record(
        PartyBuildingAssessed,
        {
            "credit_code": "91510703MA6AB3C82N",
            "business_date": date(2025, 9, 1),
            "authority": "测试住建局",
            "document_number": "党建-1",
            "project_code": "",
            "term_months": None,
            "period": "2025",
            "has_party_organisation": False,
            "party_member_count": 4,
            "joint_building": True,
            "score": None,
            "level": "pass",
            "organisation_form": "none",
            "instructor": "",
            "filing_date": None,
        },
    )
    stored = mapper.to_stored_event(record.collect_events()[0])
    state = mapper.transcoder.decode(stored.state)
    assert state.pop("class_version") == 2
    for name in ("organisation_form", "instructor", "filing_date"):
        del state[name]  # as version 1 wrote it
    old = replace(stored, state=mapper.transcoder.encode(state))

    event = vars(mapper.to_domain_event(old))

    assert (event["organisation_form"], event["instructor"], event["filing_date"]) == (
        "none",
        "",
        None,
    )
    assert event["party_member_count"] == 4


def test_a_penalty_stored_before_the_field_set_reads_with_it_empty(
    services: Services,
) -> None:
    mapper = services.app.mapper
    new = (
        *("violation_type", "legal_basis", "penalty_category", "penalty_content"),
        *("fine_amount", "authority_code", "legal_representative"),
    )
    record = CreditRecord.record(
        BadCreditRecorded,
        {
            "credit_code": "91370602MA3C4K7Q11",
            "business_date": date(2025, 3, 1),
            "authority": "测试住建局",
            "document_number": "罚-1",
            "project_code": "",
            "term_months": None,
            "violation_code": "WY-01",
            "description": "未按规定公示",
            "severity": "general",
            "points": None,
            "veto": False,
            "flags": [],
        }
        | dict.fromkeys(new, "x")
        | {"fine_amount": Decimal("1.5")},
    )
    stored = mapper.to_stored_event(record.collect_events()[0])
    state = mapper.transcoder.decode(stored.state)
    assert state.pop("class_version") == 2
    for name in new:
        del state[name]  # as version 1 wrote it
    old = replace(stored, state=mapper.transcoder.encode(state))

    event = vars(mapper.to_domain_event(old))

    assert {name: event[name] for name in new} == dict.fromkeys(new, "") | {
        "fine_amount": None
    }
    assert event["description"] == "未按规定公示"


def test_a_list_entry_stored_before_the_field_set_reads_with_it_empty(
    services: Services,
) -> None:
    mapper = services.app.mapper
    new = ("legal_basis", "authority_code", "legal_representative")
    record = CreditRecord.record(
        ListEntryRecorded,
        {
            "credit_code": "91370602MA3C4K7Q11",
            "business_date": date(2025, 3, 1),
            "authority": "测试住建局",
            "document_number": "榜-1",
            "project_code": "",
            "term_months": 6,
            "list_type": "red_board",
            "reason": "服务质量好",
        }
        | dict.fromkeys(new, "x"),
    )
    stored = mapper.to_stored_event(record.collect_events()[0])
    state = mapper.transcoder.decode(stored.state)
    assert state.pop("class_version") == 2
    for name in new:
        del state[name]
    old = replace(stored, state=mapper.transcoder.encode(state))

    event = vars(mapper.to_domain_event(old))

    assert {name: event[name] for name in new} == dict.fromkeys(new, "")
    assert event["reason"] == "服务质量好"
