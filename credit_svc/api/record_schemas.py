"""Request schemas of the six record kinds, and the record schema they answer with."""

from __future__ import annotations

from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from credit_svc.api.enterprise_schemas import OPTIONAL_PROJECT_CODE, PROJECT_CODE
from credit_svc.api.fields import (
    check_credit_code,
    check_not_future,
    choice,
    decimal,
    period,
    score,
    text,
)
from credit_svc.domain import vocabulary
from credit_svc.domain.record import KINDS, UNSTATED

# Party members, owners surveyed: no firm or estate counts a million, and a
# number beyond 64 bits would not read back as recorded (JSON readers round it).
MAX_COUNT = 1_000_000


class RecordRequestSchema(Schema):
    """What every record states: when, who decided it, in which document."""

    business_date = fields.Date(
        required=True,
        validate=check_not_future,
        metadata={
            "description": "when the fact happened or was decided; starts its validity"
        },
    )
    authority = text(required=True, metadata={"description": "recording authority"})
    document_number = text(100, required=True)
    # Optional: "" means the record is about the enterprise, not one project.
    project_code = fields.String(load_default="", validate=OPTIONAL_PROJECT_CODE)
    term_months = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=600),
        metadata={"description": "stated term; else the pack's"},
    )


class InspectionRequestSchema(RecordRequestSchema):
    """An inspection result: a score or pass/fail, findings and a deadline."""

    project_code = fields.String(required=True, validate=PROJECT_CODE)
    inspection_type = choice(vocabulary.INSPECTION_TYPES, required=True)
    score = score(load_default=None)
    passed = fields.Boolean(load_default=None)
    findings = fields.List(
        text(500), load_default=list, validate=validate.Length(max=50)
    )
    rectification_deadline = fields.Date(load_default=None)
    draw = fields.String(
        load_default="",
        validate=validate.Regexp(
            r"^$|^([0-9]{2}|[0-9]{4}|[0-9]{6})/[0-9]{4}(-(H[12]|Q[1-4]))?$"
        ),
        metadata={"description": "the 双随机 draw it came from: 4401/2026-Q3"},
    )

    @validates_schema
    def check_result(self, data: dict[str, Any], **_: Any) -> None:
        """Require exactly one result, and a deadline on or after the inspection."""
        if (data.get("score") is None) == (data.get("passed") is None):
            raise ValidationError("give exactly one of score and passed", "score")
        deadline, day = data.get("rectification_deadline"), data.get("business_date")
        if deadline and day and deadline < day:
            raise ValidationError(
                "must not be before business_date", "rectification_deadline"
            )


# What the national field sets ask of a decision besides the record's own
# facts (docs/data-exchange.md); optional, "" when not stated. Records about
# project managers leave them out.
DECISION_FIELDS = ("legal_basis", "authority_code", "legal_representative")
PENALTY_FIELDS = (
    *DECISION_FIELDS,
    *("violation_type", "penalty_category", "penalty_content", "fine_amount"),
)


def legal_basis() -> fields.String:
    """Return the provisions a decision applied (处罚依据, 认定依据)."""
    return fields.String(load_default="", validate=validate.Length(max=500))


def _empty_or_credit_code(value: str) -> None:
    if value:
        check_credit_code(value)


def authority_code() -> fields.String:
    """Return the deciding authority's unified social credit code."""
    return fields.String(
        load_default="",
        validate=_empty_or_credit_code,
        metadata={"description": "the authority's unified social credit code"},
    )


def legal_representative() -> fields.String:
    """Return the firm's legal representative as the decision names them."""
    return fields.String(load_default="", validate=validate.Length(max=100))


class ListEntryRequestSchema(RecordRequestSchema):
    """A red-board, black-board or blacklist entry with its reason and term,
    and what the national red/black-list field set asks of the decision."""

    list_type = choice(vocabulary.LIST_TYPES, required=True)
    reason = text(500, required=True)
    legal_basis = legal_basis()
    authority_code = authority_code()
    legal_representative = legal_representative()


class GoodCreditRequestSchema(RecordRequestSchema):
    """A good-credit record: honour, demonstration project, old estate taken on."""

    category = choice(vocabulary.GOOD_CATEGORIES, required=True)
    level = choice(vocabulary.LEVELS, required=True)
    title = text(required=True)
    points = decimal(
        0,
        100,
        low_inclusive=False,
        load_default=None,
        metadata={
            "description": "points the authority awards (counted where the "
            "pack's rule takes stated points)"
        },
    )


class BadCreditRequestSchema(RecordRequestSchema):
    """A bad-credit record: violation, severity, stated points, veto, flags."""

    violation_code = text(50, required=True)
    description = text(500, required=True)
    severity = choice(vocabulary.SEVERITIES, required=True)
    points = decimal(
        0,
        100,
        low_inclusive=False,
        load_default=None,
        metadata={"description": "points the authority deducts"},
    )
    veto = fields.Boolean(load_default=False, metadata={"description": "一票否决 item"})
    flags = fields.List(
        choice(vocabulary.FLAGS),
        load_default=list,
        validate=validate.Length(max=len(vocabulary.FLAGS)),
    )
    # An administrative penalty (行政处罚) also states what the 双公示 field
    # set asks; a penalty_category makes the record one.
    violation_type = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "违法行为类型"},
    )
    legal_basis = legal_basis()
    penalty_category = choice(
        ("", *vocabulary.PENALTY_CATEGORIES),
        load_default="",
        metadata={"description": "处罚类别, by the Administrative Penalty Law"},
    )
    penalty_content = fields.String(
        load_default="",
        validate=validate.Length(max=1000),
        metadata={"description": "处罚内容"},
    )
    fine_amount = decimal(
        0,
        1_000_000,
        low_inclusive=False,
        load_default=None,
        metadata={"description": "罚款金额 in 10,000 yuan (万元)"},
    )
    authority_code = authority_code()
    legal_representative = legal_representative()

    @validates_schema
    def check_penalty(self, data: dict[str, Any], **_: Any) -> None:
        """A fine states its amount; only a fine has one."""
        fined = data.get("penalty_category") == "罚款"
        if fined and data.get("fine_amount") is None:
            raise ValidationError("a fine (罚款) states its amount", "fine_amount")
        if data.get("fine_amount") is not None and not fined:
            msg = "only a fine (penalty_category 罚款) has an amount"
            raise ValidationError(msg, "fine_amount")


class PartyBuildingRequestSchema(RecordRequestSchema):
    """A party-building assessment (党建工作专项评价)."""

    period = period(required=True)
    organisation_form = choice(
        vocabulary.PARTY_ORGANISATION_FORMS,
        load_default=None,
        metadata={
            "description": "the firm's Party organisation: own (单独组建), joint "
            "(联合组建), regional (区域联建), sector (行业统建), attached (挂靠), none"
        },
    )
    has_party_organisation = fields.Boolean(
        load_default=None,
        metadata={"description": "organisation_form other than none (either will do)"},
    )
    party_member_count = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=MAX_COUNT),
        metadata={"description": "full (正式) Party members in the firm"},
    )
    joint_building = fields.Boolean(
        load_default=False,
        metadata={"description": "takes part in joint Party-building (党建联建)"},
    )
    instructor = fields.String(
        load_default="",
        validate=validate.Length(max=100),
        metadata={"description": "the Party-building instructor (党建指导员), if any"},
    )
    filing_date = fields.Date(
        load_default=None,
        metadata={"description": "the year's filing (年度备案) with the Party body"},
    )
    score = score(load_default=None)
    level = choice(vocabulary.PARTY_LEVELS, load_default=None)

    @validates_schema
    def check_result(self, data: dict[str, Any], **_: Any) -> None:
        """Require a score or a level (or both), and the organisation's form
        or whether there is one, the two agreeing when both are given."""
        if data.get("score") is None and data.get("level") is None:
            raise ValidationError("give a score or a level", "level")
        form, has = data.get("organisation_form"), data.get("has_party_organisation")
        if form is None and has is None:
            raise ValidationError(
                "give organisation_form (or has_party_organisation)",
                "organisation_form",
            )
        if form is not None and has is not None and has != (form != "none"):
            raise ValidationError(
                f"has_party_organisation {has} contradicts organisation_form "
                f"{form}: correct both",
                "has_party_organisation",
            )

    @post_load
    def fill_in(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Keep both: the form (unstated when only the boolean was given) and
        whether there is an organisation."""
        if data["organisation_form"] is None:
            data["organisation_form"] = (
                UNSTATED if data["has_party_organisation"] else "none"
            )
        data["has_party_organisation"] = data["organisation_form"] != "none"
        return data


class SummonsRequestSchema(RecordRequestSchema):
    """A summons (约谈) for poor service, disputes or low owner satisfaction
    (Fujian 2023: "…约谈，限期整改")."""

    reason = text(500, required=True)
    summoned_person = fields.String(
        load_default="",
        validate=validate.Length(max=100),
        metadata={"description": "the firm's principal summoned, as named"},
    )
    requirements = fields.List(
        text(500), load_default=list, validate=validate.Length(max=50)
    )
    rectification_deadline = fields.Date(
        load_default=None,
        metadata={"description": "the day the firm must have put it right by"},
    )


class AppraisalRequestSchema(RecordRequestSchema):
    """An appraisal opinion, with owner satisfaction and its sample size."""

    assessor_type = choice(vocabulary.ASSESSOR_TYPES, required=True)
    period = period(required=True)
    rating = choice(vocabulary.RATINGS, required=True)
    owner_satisfaction = score(load_default=None)
    sample_size = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=MAX_COUNT)
    )

    @validates_schema
    def check_sample(self, data: dict[str, Any], **_: Any) -> None:
        """A satisfaction figure means nothing without its sample size."""
        if (data.get("owner_satisfaction") is None) != (
            data.get("sample_size") is None
        ):
            raise ValidationError(
                "owner_satisfaction and sample_size go together", "sample_size"
            )


REQUEST_SCHEMAS: dict[str, type[RecordRequestSchema]] = {
    "inspection": InspectionRequestSchema,
    "list_entry": ListEntryRequestSchema,
    "good_credit": GoodCreditRequestSchema,
    "bad_credit": BadCreditRequestSchema,
    "party_building": PartyBuildingRequestSchema,
    "appraisal": AppraisalRequestSchema,
    "summons": SummonsRequestSchema,
}


class RecordStatusSchema(Schema):
    """Where a record stands in its life."""

    state = fields.String(metadata={"description": "active, retracted or lifted"})
    under_objection = fields.Boolean()
    objection = fields.String(
        allow_none=True, metadata={"description": "open, upheld or rejected"}
    )
    repair = fields.String(
        allow_none=True, metadata={"description": "applied, granted or refused"}
    )
    corrections = fields.Integer()
    effect_ends_on = fields.Date(
        allow_none=True, metadata={"description": "repair granted or lifted from"}
    )
    objection_until = fields.Date(
        allow_none=True,
        metadata={"description": "the last day the firm may object to the record"},
    )
    objection_filed_on = fields.Date(allow_none=True)
    objection_due_on = fields.Date(
        allow_none=True,
        metadata={"description": "an open objection is to be decided by this day"},
    )
    repair_applied_on = fields.Date(allow_none=True)
    repair_due_on = fields.Date(
        allow_none=True,
        metadata={"description": "a pending application is to be decided by this day"},
    )
    rectified_on = fields.Date(
        allow_none=True,
        metadata={"description": "problem put right, as confirmed by its authority"},
    )


class RecordSchema(Schema):
    """A recorded fact, with where it stands in the event log."""

    record_id = fields.UUID()
    kind = fields.String()
    credit_code = fields.String()
    business_date = fields.Date()
    recorded_at = fields.DateTime(
        metadata={"description": "when the service learned it"}
    )
    position = fields.Integer(metadata={"description": "position in the event log"})
    authority = fields.String()
    document_number = fields.String()
    project_code = fields.String()
    term_months = fields.Integer(allow_none=True)
    details = fields.Dict(metadata={"description": "the kind's own facts"})
    status = fields.Nested(RecordStatusSchema)


class RecordQueryArgsSchema(Schema):
    """Filter an enterprise's records."""

    kind = choice(KINDS, load_default=None)
