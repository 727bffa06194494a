"""The parties that record facts, and what each may record.

The sources ask for an evaluation "行业主管部门、街道社区党组织、业主自治组织及
业主多方参与" (Sichuan 2025): each party records its own kind of fact, about
subjects in its own jurisdiction, and nothing else. docs/security.md writes
this table out, and tests/api/test_parties.py holds a literal copy of it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Final

from credit_svc.domain.record import ENTERPRISE_KINDS, MANAGER_KINDS

# Roles that record facts, each under its own authority and jurisdictions.
RECORDING_ROLES: Final = (
    "bureau",  # 住房城乡建设主管部门: every kind, registrations, projects
    "street_office",  # 街道办事处: inspections, contract appraisals (履约考评)
    "street_party_committee",  # 街道党工委: appraisals, party-building assessments
    "community",  # 社区党组织、居委会: appraisals
    "owners_committee",  # 业委会、物管会: appraisals of the projects it represents
    "industry_association",  # 行业协会: good credit (honours, demonstration)
    "emergency_management",  # 应急管理部门: major safety accidents
    "market_regulation",  # 市场监管部门: the abnormal-operations list
    "human_resources",  # 人力资源社会保障部门: major labour violations
)
KINDS_BY_ROLE: Final[Mapping[str, tuple[str, ...]]] = {
    "bureau": (*ENTERPRISE_KINDS, *MANAGER_KINDS),
    "street_office": ("inspection", "appraisal"),
    "street_party_committee": ("appraisal", "party_building"),
    "community": ("appraisal",),
    "owners_committee": ("appraisal",),
    "industry_association": ("good_credit",),
    "emergency_management": ("bad_credit",),
    "market_regulation": ("bad_credit",),
    "human_resources": ("bad_credit",),
}
# An appraisal is signed as its party: the assessor type is the key's.
ASSESSOR_BY_ROLE: Final[Mapping[str, str]] = {
    "street_office": "street_office",
    "street_party_committee": "street_party_committee",
    "community": "community_party_organisation",
    "owners_committee": "owners_committee",
}
# A department records only the facts it is the authority for.
FLAG_BY_ROLE: Final[Mapping[str, str]] = {
    "emergency_management": "major_safety_accident",
    "market_regulation": "abnormal_operations_list",
    "human_resources": "major_labour_violation",
}


def refusal(
    role: str, kind: str, body: Mapping[str, Any], projects: Collection[str] = ()
) -> str | None:
    """Return why a party may not post this record, or None when it may."""
    if kind not in KINDS_BY_ROLE.get(role, ()):
        return f"a {role} key may not record {kind}"
    assessor = ASSESSOR_BY_ROLE.get(role)
    if assessor and kind == "appraisal" and body.get("assessor_type") != assessor:
        return f"a {role} key records appraisals as assessor_type {assessor}"
    flag = FLAG_BY_ROLE.get(role)
    if flag and body.get("flags") != [flag]:
        return f"a {role} key records bad credit flagged [{flag!r}] only"
    if role == "owners_committee" and body.get("project_code") not in projects:
        return "an owners' committee records only about the projects it represents"
    return None
