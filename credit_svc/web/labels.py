"""Chinese labels (with English) for the pages; the API keeps the codes."""

from __future__ import annotations

from typing import Final

KIND: Final = {
    "inspection": "检查结果 Inspection",
    "list_entry": "红黑榜/黑名单 List entry",
    "good_credit": "良好信用 Good credit",
    "bad_credit": "不良信用 Bad credit",
    "party_building": "党建评价 Party building",
    "appraisal": "评价意见 Appraisal",
    "manager_bad_credit": "项目负责人不良信用 Manager's bad credit",
    "manager_list_entry": "项目负责人列入名单 Manager listed",
}
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
