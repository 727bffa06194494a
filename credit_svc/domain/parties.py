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
# A department records only the facts it is the authority for: each of its
# bad-credit records carries one of its flags (the first is its main one).
FLAGS_BY_ROLE: Final[Mapping[str, tuple[str, ...]]] = {
    "emergency_management": ("major_safety_accident",),
    "market_regulation": ("abnormal_operations_list", "serious_dishonesty_list"),
    "human_resources": ("major_labour_violation",),
}


def refusal(
    role: str, kind: str, body: Mapping[str, Any], projects: Collection[str] = ()
) -> str | None:
    """Return why a party may not post this record (Chinese first), or None
    when it may."""
    who = chinese(ROLE_NAMES.get(role, role))
    if kind not in KINDS_BY_ROLE.get(role, ()):
        what = chinese(KIND_NAMES.get(kind, kind))
        return f"{who}不能记录{what} · a {role} key may not record {kind}"
    assessor = ASSESSOR_BY_ROLE.get(role)
    if assessor and kind == "appraisal" and body.get("assessor_type") != assessor:
        return (
            f"{who}以 assessor_type {assessor} 记录评价意见 · "
            f"a {role} key records appraisals as assessor_type {assessor}"
        )
    own = FLAGS_BY_ROLE.get(role, ())
    flags = body.get("flags")
    if own and not (isinstance(flags, list) and len(flags) == 1 and flags[0] in own):
        names = "」或「".join(FLAG_NAMES[f] for f in own)
        return (
            f"{who}只能记录「{names}」的不良信用 · "
            f"a {role} key records bad credit flagged with one of {list(own)} only"
        )
    if role == "owners_committee" and body.get("project_code") not in projects:
        return (
            "业主委员会只能记录其所代表项目的评价 · "
            "an owners' committee records only about the projects it represents"
        )
    return None


def chinese(name: str) -> str:
    """Return the Chinese part of a name written "中文 English"."""
    return name.split(" ", 1)[0]


# Each role as the parties call themselves, Chinese first.
ROLE_NAMES: Final[Mapping[str, str]] = {
    "admin": "系统管理员 Administrator",
    "bureau": "住房城乡建设主管部门 Housing bureau",
    "street_office": "街道办事处 Street office",
    "street_party_committee": "街道党工委 Street Party working committee",
    "community": "社区党组织、居委会 Community",
    "owners_committee": "业主委员会、物业管理委员会 Owners' committee",
    "industry_association": "物业管理行业协会 Industry association",
    "emergency_management": "应急管理部门 Emergency management",
    "market_regulation": "市场监督管理部门 Market regulation",
    "human_resources": "人力资源社会保障部门 Human resources and social security",
    "enterprise": "物业服务企业 Property-service enterprise",
    "platform": "招标投标平台 Tender platform",
    "auditor": "审计人员 Auditor",
}
KIND_NAMES: Final[Mapping[str, str]] = {
    "inspection": "检查结果 Inspection",
    "list_entry": "红黑榜/黑名单 List entry",
    "good_credit": "良好信用 Good credit",
    "bad_credit": "不良信用 Bad credit",
    "party_building": "党建评价 Party building",
    "appraisal": "评价意见 Appraisal",
    "summons": "约谈 Summons",
    "overdue_rectification": "逾期未整改 Overdue rectification",
    "manager_bad_credit": "项目负责人不良信用 Manager's bad credit",
    "manager_list_entry": "项目负责人列入名单 Manager listed",
}
FLAG_NAMES: Final[Mapping[str, str]] = {
    "major_safety_accident": "重大安全生产事故",
    "abnormal_operations_list": "列入经营异常名录",
    "major_labour_violation": "重大劳动保障违法行为",
    "serious_dishonesty_list": "列入严重违法失信名单",
}


def recordable(role: str) -> list[dict[str, str]]:
    """Return the kinds the role records, each with its name and the limit
    the role records it within, in Chinese first."""
    kinds = []
    for kind in KINDS_BY_ROLE.get(role, ()):
        limit = ""
        if kind == "appraisal" and role in ASSESSOR_BY_ROLE:
            assessor = ASSESSOR_BY_ROLE[role]
            limit = f"以本单位名义（assessor_type {assessor}）"
        if role in FLAGS_BY_ROLE:
            own = FLAGS_BY_ROLE[role]
            names = "」或「".join(FLAG_NAMES[f] for f in own)
            limit = f"仅限「{names}」（flags {list(own)} 之一）"
        if role == "owners_committee":
            limit += "；仅限所代表的项目 only about the projects it represents"
        kinds.append({"kind": kind, "name": KIND_NAMES[kind], "limit": limit})
    return kinds
