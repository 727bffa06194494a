"""An example value for every property of the OpenAPI document.

Swagger UI (and any generated client's docs) builds each request body's and
response's example from its properties' examples. Fields named below get a
value from the demo's world (a Yantai firm, its bureau, its documents); any
other gets the first of its choices, or a value of its type and format.
"""

from __future__ import annotations

import re
from typing import Any, Final

# By property name: values any schema of the service uses the name for.
EXAMPLES: Final[dict[str, Any]] = {
    "credit_code": "91370602MA3C4K7Q11",
    "credit_codes": ["91370602MA3C4K7Q11", "91510704MA6AB3C82N"],
    "name": "烟台安居物业服务有限公司",
    "jurisdiction": "370602",
    "jurisdictions": ["370602"],
    "authority": "烟台市芝罘区住房和城乡建设局",
    "recorded_by": "烟台市芝罘区住房和城乡建设局",
    "filed_by": "烟台安居物业服务有限公司",
    "applicant": "烟台安居物业服务有限公司",
    "document_number": "芝住建罚〔2026〕9号",
    "project_code": "YT-001",
    "business_date": "2026-03-02",
    "as_of": "2026-06-01",
    "starts_on": "2026-03-02",
    "ends_on": "2027-03-02",
    "effective_from": "2026-03-02",
    "effective_until": "2027-03-02",
    "expires_on": "2027-03-02",
    "recorded_at": "2026-03-02T09:30:00+08:00",
    "issued_at": "2026-06-01T10:00:00+08:00",
    "score": "84",
    "base_score": "60",
    "points": "2",
    "tender_points": "2",
    "enterprise_points": "-5",
    "grade": "AA",
    "band_grade": "AA",
    "grade_label": "AA 信用良好",
    "pack_id": "shandong-yantai",
    "pack_version": "2022.1",
    "violation_code": "WY-0201",
    "description": "未按约定公示收支",
    "reason": "未按约定公示收支，逾期未整改",
    "title": "区级物业服务示范单位",
    "term_months": 12,
    "findings": ["消防通道堵塞"],
    "period": "2025-H2",
    "party_member_count": 5,
    "instructor": "李四",
    "filing_date": "2026-02-20",
    "report_number": "CR20260601-YL6YV3NERY",
    "owner_satisfaction": "92.5",
    "managed_area": "52000",
    "project_codes": ["YT-001", "YT-002"],
    "address": "烟台市芝罘区幸福路8号",
    "year": 2026,
    "stars": 4,
    "sample_size": 240,
    "id_number": "11010519491231002X",
    "manager_id": "6f1c2b3e-9a4d-4c1e-8f00-2b7d5e9a1c42",
    "record_id": "0b7e2f5c-3d1a-5e8f-9c4b-7a6d2e1f0c93",
    "record_ids": ["0b7e2f5c-3d1a-5e8f-9c4b-7a6d2e1f0c93"],
    "message": "the request is not valid; see errors",
    "hash": "5d1e0bb1c9d3e2f7a3b8f0c1a4e6d9b2c7f5e8a1d0b3c6f9e2a5d8b1c4f7e0a3",
    "records": [
        {
            "kind": "good_credit",
            "credit_code": "91370602MA3C4K7Q11",
            "business_date": "2026-03-05",
            "authority": "烟台市芝罘区住房和城乡建设局",
            "document_number": "芝住建〔2026〕31号",
            "category": "honour",
            "level": "district",
            "title": "区级物业服务示范单位",
        }
    ],
    "violation_type": "未按规定公示物业服务收费",
    "legal_basis": "《物业管理条例》第四十条、《山东省物业管理条例》第八十六条",
    "penalty_category": "罚款",
    "penalty_content": "罚款人民币五千元",
    "fine_amount": "0.5",
    "authority_code": "11370602MB28537104",
    "legal_representative": "王建国",
    "url": "https://tender.example.gov.cn/credit-svc/hook",
    "secret": "a-long-random-secret-shared-with-the-receiver",
    "item_types": ["record", "grade"],
    "subscription_id": "2b7d5e9a-1c42-4c1e-8f00-6f1c2b3e9a4d",
    "delivery_id": "1207.2b7d5e9a-1c42-4c1e-8f00-6f1c2b3e9a4d",
    "delivery_ids": ["1207.2b7d5e9a-1c42-4c1e-8f00-6f1c2b3e9a4d"],
    "csv": "企业名称,统一社会信用代码,列入经营异常名录原因,列入日期,"
    "作出决定机关(列入)\n烟台安居物业服务有限公司,91370602MA3C4K7Q11,通过登记的住所无法联系,"
    "2026-03-02,烟台市芝罘区市场监督管理局\n",
    "lines": [
        {
            "企业名称": "烟台安居物业服务有限公司",
            "统一社会信用代码": "91370602MA3C4K7Q11",
            "列入经营异常名录原因": "通过登记的住所无法联系",
            "列入日期": "2026-03-02",
            "作出决定机关(列入)": "烟台市芝罘区市场监督管理局",
        }
    ],
    "signature": "MEUCIQ…",
    "public_key_pem": "-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n",
}
BY_FORMAT: Final[dict[str, Any]] = {
    "date": "2026-06-01",
    "date-time": "2026-06-01T09:00:00+08:00",
    "uuid": "6f1c2b3e-9a4d-4c1e-8f00-2b7d5e9a1c42",
    "decimal": "84",
}
# Where one name means two things: tried when the first does not fit.
OTHER_EXAMPLES: Final[dict[str, Any]] = {
    "tender_points": {"AAA": "3", "AA": "2", "A": "1", "B": "0", "C": "0"},
    "period": "2026-Q2",  # a statistics report's (a record's: 2025-H2)
    "draw": "370602/2026-Q3",  # an inspection's draw
    "seed": "芝住建〔2026〕双随机种子 7f3a",
    "seed_position": 1200,
    "inspectors": ["张一", "李二", "王三"],
    "inspections_end": "2026-09-30",
}
PATTERNED: Final = ("YT-001",)  # fits the codes of projects and the like
BY_TYPE: Final[dict[str, Any]] = {
    "string": "烟台",
    "integer": 1,
    "number": 1,
    "boolean": False,
    "object": {},
}


def example_property(
    converter: Any,  # noqa: ARG001 (apispec binds the function to its converter)
    field: Any,
    ret: dict[str, Any],
    **_: Any,
) -> dict[str, Any]:
    """Return the property's example, unless it refers to a schema."""
    if "example" in ret or refers(ret):
        return {}
    return {"example": _fitting(field.data_key or field.name, ret)}


def _fitting(name: str, prop: dict[str, Any]) -> Any:
    """Return the first example that the property's own schema accepts: the
    name's, the name's as a number, or one of its type."""
    named = EXAMPLES.get(name)
    other = OTHER_EXAMPLES.get(name)
    candidates = [named, other, _number(named), *PATTERNED, _of_kind(prop)]
    for candidate in candidates:
        if candidate is not None and _fits(candidate, prop):
            return candidate
    return _of_kind(prop)


TYPES: Final[dict[str, type | tuple[type, ...]]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
}


def _fits(value: Any, prop: dict[str, Any]) -> bool:
    """Tell whether the value has the property's type, pattern, choices and
    range: enough to choose among candidates (tests/test_openapi.py checks
    every example with a full OpenAPI validator)."""
    kind = TYPES.get(str(prop.get("type")), object)
    if not isinstance(value, kind) or (
        isinstance(value, bool) and prop.get("type") != "boolean"
    ):
        return False
    if "enum" in prop and value not in prop["enum"]:
        return False
    if "pattern" in prop and not re.search(prop["pattern"], str(value)):
        return False
    low, high = prop.get("minimum"), prop.get("maximum")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (low is None or value >= low) and (high is None or value <= high)
    return True


def _number(value: Any) -> Any:
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _of_kind(ret: dict[str, Any]) -> Any:
    if ret.get("enum"):
        return next((v for v in ret["enum"] if v is not None), None)
    if ret.get("type") == "array":
        return [_of_kind(ret.get("items", {}))]
    if ret.get("format") in BY_FORMAT and ret.get("type") == "string":
        return BY_FORMAT[ret["format"]]
    if ret.get("minimum") is not None:
        return ret["minimum"]
    return BY_TYPE.get(str(ret.get("type")), "烟台")


def add_missing_examples(schemas: dict[str, dict[str, Any]]) -> None:
    """Give an example to the properties of schemas converted before the
    attribute function was added (flask-smorest's Error and pagination)."""
    for schema in schemas.values():
        for name, prop in schema.get("properties", {}).items():
            if "example" not in prop and not refers(prop):
                prop["example"] = _fitting(name, prop)


def refers(prop: dict[str, Any]) -> bool:
    """Tell whether a property is (a list of) another schema: its example is
    that schema's."""
    combined = ("$ref", "allOf", "anyOf", "oneOf")
    items = prop.get("items", {})
    return any(k in prop for k in combined) or any(k in items for k in combined)
