"""Chinese labels (with English) for the pages; the API keeps the codes."""

from __future__ import annotations

from typing import Final

from credit_svc.domain.parties import KIND_NAMES, ROLE_NAMES

KIND: Final = KIND_NAMES
ROLE: Final = ROLE_NAMES
LIST_TYPE: Final = {
    "red_board": "红榜 Red board",
    "black_board": "黑榜 Black board",
    "blacklist": "黑名单 Blacklist",
}
BOARD: Final = {"red": "红榜 Red board", "black": "黑榜 Black board"}
SEVERITY: Final = {
    "minor": "轻微 minor",
    "general": "一般 general",
    "serious": "严重 serious",
}
OVERRIDE: Final = {
    "blacklisted": "列入黑名单",
    "veto": "一票否决事项",
    "low_score_without_bad_records": "低分但无不良记录",
}
# Why a record does not count (domain/assessment.py says it in English, for
# the API): the same in Chinese, with the date it names.
WHY_NOT: Final = {
    "not yet in effect: business date": "尚未生效，业务日期",
    "expired on": "已失效，失效日期",
    "disclosure period ended on": "公示期已结束，结束日期",
    "credit repair granted from": "已信用修复，修复日期",
    "lifted from": "已移出名单，移出日期",
    "rectified on": "已整改完成，整改日期",
    "no rule of the pack matches this record": "规则包中没有适用于此记录的规则",
    "counts against project": "只计入项目",
    "counts against the enterprise only": "只计入企业",
}
RATING_STATE: Final = {
    "in_publicity": "公示中 In publicity",
    "held_by_objection": "异议处理中 Held by an objection",
    "in_force": "有效 In force",
    "withdrawn": "已撤销 Withdrawn",
    "superseded": "已由新评定取代 Superseded",
}
ENDED_BY: Final = {
    "objection_upheld": "异议成立",
    "contract_ended": "合同终止",
    "violation": "发生违法违规行为",
    "next_rating": "新一年度评定生效",
}
PROJECT_TYPE: Final = {
    "residential": "住宅 Residential",
    "non_residential": "非住宅 Other",
}
PARTY_FORM: Final = {
    "none": "未成立 None",
    "branch": "小区党支部 Own branch",
    "joint_branch": "联合党支部 Joint branch",
    "working_group": "党的工作小组 Working group",
}
OWNERS_BODY: Final = {
    "none": "未成立 None",
    "owners_committee": "业主委员会 Owners' committee",
    "management_committee": "物业管理委员会 Management committee",
}


CATEGORY: Final = {
    "basic": "基础分 Basic",
    "good": "良好信用 Good",
    "bad": "不良信用 Bad",
    "bonus": "加分 Bonus",
    "deduction": "扣分 Deduction",
    "appraisal": "评价意见 Appraisal",
}
COVERAGE: Final = {
    "own": "单独建立 Own",
    "joint": "联合/区域/行业/挂靠 Joint",
    "unstated": "已建（形式未报） Unstated",
    "required_missing": "应建未建 Required, none",
    "not_required": "党员人数不足未建 Not required",
    "not_assessed": "未评价 Not assessed",
}
STATE: Final = {
    "active": "有效 Active",
    "retracted": "已撤回 Retracted",
    "lifted": "已移出 Lifted",
}
CASE_STATE: Final = {
    "open": "处理中 Open",
    "upheld": "异议成立 Upheld",
    "rejected": "异议不成立 Rejected",
    "applied": "已申请 Applied",
    "granted": "已修复 Granted",
    "refused": "未准予修复 Refused",
}
ENTRY_STATE: Final = {
    "in_publicity": "公示中 In publicity",
    "held_by_objection": "异议处理中 Held by an objection",
    "in_force": "已生效 In force",
    "removed": "异议成立，已移出 Removed",
    "withdrawn": "已撤回 Withdrawn",
}
CHANGE: Final = {"recorded": "新记录 New", "changed": "已变更 Changed"}


def cn_date(iso: str | None) -> str:
    """Return an ISO date as the Chinese documents write it (2026年6月1日)."""
    if not iso:
        return "—"
    year, month, day = (int(part) for part in str(iso)[:10].split("-"))
    return f"{year}年{month}月{day}日"


def why_not(reason: str) -> str:
    """Return the reason in Chinese, then as the API says it."""
    for english, chinese in WHY_NOT.items():
        if reason.startswith(english):
            day = reason.removeprefix(english).strip()
            return f"{chinese} {day}".strip() + f" · {reason}"
    return reason
