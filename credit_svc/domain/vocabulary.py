"""The closed vocabularies of record facts: what a bureau may choose from.

Request schemas offer them as choices, and rule-pack schemas check a pack's
severities and flags against them, so a pack cannot name a value no record carries.
"""

from __future__ import annotations

from typing import Final

INSPECTION_TYPES: Final = ("random_spot_check", "annual_inspection", "routine")
LIST_TYPES: Final = ("red_board", "black_board", "blacklist")
GOOD_CATEGORIES: Final = ("honour", "demonstration_project", "old_estate_takeover")
LEVELS: Final = ("national", "provincial", "city", "district")
SEVERITIES: Final = ("minor", "general", "serious")
FLAGS: Final = (
    "major_safety_accident",
    "major_labour_violation",
    "abnormal_operations_list",
    "refused_party_building",
    "serious_dishonesty_list",
)
# Flags of other departments' lists: a firm is put on them and taken off
# (移出), which lifts the record (domain/lifecycle_rules.lift).
LISTING_FLAGS: Final = (
    "abnormal_operations_list",
    "serious_dishonesty_list",
    "major_labour_violation",
)
# The kinds of administrative penalty of the Administrative Penalty Law
# (行政处罚法, 2021, article 9), as the 双公示 field set names them.
PENALTY_CATEGORIES: Final = (
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
)
PARTY_LEVELS: Final = ("excellent", "good", "pass", "fail")
# The forms a firm's Party organisation takes (Henan 2021: "联合组建、区域联建、
# 行业统建"; Sichuan: 挂靠): its own, a joint branch of several firms, a
# regional or a sector-wide one, attached to another organisation, or none.
PARTY_ORGANISATION_FORMS: Final = (
    "own",
    "joint",
    "regional",
    "sector",
    "attached",
    "none",
)
ASSESSOR_TYPES: Final = (
    "street_office",
    "street_party_committee",
    "community_party_organisation",
    "owners_committee",
)
RATINGS: Final = ("excellent", "good", "fair", "poor")

# Facts every record kind carries; answers show the rest under "details".
COMMON_FIELDS: Final = frozenset(
    {
        "credit_code",
        "business_date",
        "authority",
        "document_number",
        "project_code",
        "term_months",
    }
)
