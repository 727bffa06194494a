"""Each operation's name in Chinese, the language of the parties who call it.

The OpenAPI document puts it before the English summary, and `GET /me` lists
a key's operations by it. tests/api/test_me.py checks every operation has one.
"""

from __future__ import annotations

from typing import Final

OPERATION_NAMES: Final = {
    # Public
    ("api-docs.openapi_json", "GET"): "接口说明文档",
    ("grades.Grade", "GET"): "查询信用等级",
    ("grades.Board", "GET"): "查询红黑榜与黑名单",
    ("project_managers.list_blacklisted", "GET"): "查询项目负责人黑名单",
    ("rule_packs.RulePacks", "GET"): "查询评价规则包",
    ("audit.ReceiptKey", "GET"): "获取验签公钥",
    ("audit.ReceiptVerify", "POST"): "核验等级回执",
    ("audit.LogCheckpoints", "GET"): "查询日志签名检查点",
    ("credit_reports.ReportByNumber", "GET"): "按编号核验信用报告",
    ("health.Health", "GET"): "存活检查",
    ("health.Readiness", "GET"): "就绪检查",
    ("me.Me", "GET"): "查询本密钥的身份与权限",
    # Grades and what tender platforms read
    ("grades.BatchGrades", "POST"): "批量查询信用等级",
    ("grades.History", "GET"): "查询等级变化历史",
    ("grades.AwardEligibility", "GET"): "查询评优评先资格",
    ("grades.Explanation", "GET"): "查询等级说明（逐条记录）",
    ("audit.GradeReceipt", "GET"): "获取签名的等级回执",
    ("enterprises.EnterpriseByCode", "GET"): "查询企业及其项目",
    ("feed.Feed", "GET"): "订阅记录与等级变化",
    ("credit_reports.issue", "POST"): "出具信用报告",
    # Audit
    ("audit.EnterpriseEvents", "GET"): "查询企业的全部事件",
    ("audit.LogExport", "GET"): "导出事件日志",
    ("audit.LogHead", "GET"): "获取日志头",
    ("audit.LogVerify", "GET"): "校验事件日志",
    ("metrics.Metrics", "GET"): "服务运行指标",
    # Enterprises and projects
    ("enterprises.Enterprises", "POST"): "登记企业及其项目",
    ("enterprises.Projects", "POST"): "为企业添加项目",
    ("projects.Projects", "POST"): "登记物业项目（小区）",
    ("projects.ProjectByCode", "GET"): "查询物业项目",
    ("projects.state_facts", "POST"): "登记项目基本情况",
    ("projects.start_management", "POST"): "登记企业承接项目",
    ("projects.end_management", "POST"): "登记企业退出项目",
    ("projects.object_to_rating", "POST"): "对项目星级评定提出异议",
    ("projects.decide_objection", "POST"): "对星级评定异议作出决定",
    ("projects.standing", "GET"): "查询项目信用状况与星级",
    ("projects.batch_standing", "POST"): "批量查询项目信用状况",
    # Records
    ("records.post_inspection", "POST"): "记录检查结果",
    ("records.post_list_entry", "POST"): "记录列入红黑榜或黑名单",
    ("records.post_good_credit", "POST"): "记录良好信用信息",
    ("records.post_bad_credit", "POST"): "记录不良信用信息",
    ("records.post_party_building", "POST"): "记录党建工作评价",
    ("records.post_appraisal", "POST"): "记录评价意见",
    ("records.post_summons", "POST"): "记录约谈",
    ("record_batches.RecordBatch", "POST"): "批量记录",
    ("records.EnterpriseRecords", "GET"): "查询企业的信用记录",
    ("records.RecordById", "GET"): "查询一条信用记录",
    # A record's life
    ("record_changes.correct", "POST"): "更正记录",
    ("record_changes.retract", "POST"): "撤回记录",
    ("record_changes.object_to", "POST"): "对记录提出异议",
    ("record_changes.resolve", "POST"): "对异议作出决定",
    ("record_changes.apply_for_repair", "POST"): "申请信用修复",
    ("record_changes.decide_repair", "POST"): "对信用修复申请作出决定",
    ("record_changes.lift", "POST"): "提前移出名单",
    ("record_changes.confirm_rectification", "POST"): "确认整改完成",
    ("record_changes.open_cases_of", "GET"): "查询待办的异议与修复申请",
    ("watch_list.WatchList", "GET"): "查询重点关注名单",
    ("statistics.Statistics", "GET"): "查询辖区统计",
    ("statistics.StatisticsCsv", "GET"): "下载辖区统计（CSV）",
    ("statistics.publish", "POST"): "发布季报或年报",
    ("statistics.PublishedReports", "GET"): "查询已发布的季报和年报",
    ("statistics.PublishedReport", "GET"): "查询一期已发布的统计报告",
    ("board_issues.issue", "POST"): "发布红黑榜",
    ("board_issues.Archive", "GET"): "查询已发布的红黑榜",
    ("board_issues.Issue", "GET"): "查询一期红黑榜及各条目状态",
    ("board_issues.object_to_board", "POST"): "对列入红黑榜提出异议",
    ("board_issues.decide_board_objection", "POST"): "对红黑榜异议作出决定",
    ("board_issues.withdraw_board", "POST"): "撤回已发布的红黑榜",
    ("draws.make_draw", "POST"): "双随机抽取检查对象和检查人员",
    ("draws.DrawByPeriod", "GET"): "查询双随机抽取结果",
    # Project managers
    ("project_managers.Managers", "POST"): "登记项目负责人",
    ("project_managers.find_manager", "POST"): "按身份证号查找项目负责人",
    ("project_managers.get_manager", "GET"): "查询项目负责人",
    ("project_managers.get_standing", "GET"): "查询项目负责人信用状况",
    ("project_managers.list_manager_assignments", "GET"): "查询项目负责人任职经历",
    ("project_managers.list_manager_records", "GET"): "查询项目负责人的记录",
    ("project_managers.ProjectManagers", "GET"): "查询项目的负责人",
    ("project_managers.ProjectManagers", "POST"): "任命项目负责人",
    ("project_managers.post_bad_credit", "POST"): "记录项目负责人不良信用",
    ("project_managers.post_list_entry", "POST"): "将项目负责人列入名单",
}
