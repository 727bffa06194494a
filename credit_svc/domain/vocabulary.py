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
