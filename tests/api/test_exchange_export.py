"""Exports to the national credit platform: the 双公示 penalty field set and
red/black-list decisions, whole and since a cursor, checked against the JSON
Schemas kept in schemas/."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from credit_svc.domain.exchange import OPERATION_COLUMNS_ALL as OPERATION_COLUMNS
from tests.api.lifecycle import decision
from tests.factories import MIANYANG, YANTAI, post_record, register

SCHEMAS = Path(__file__).parents[2] / "schemas"
PENALTY = {
    "violation_type": "未按规定公示物业服务收费",
    "legal_basis": "《物业管理条例》第四十条",
    "penalty_category": "罚款",
    "penalty_content": "罚款人民币五千元",
    "fine_amount": "0.5",
    "authority_code": "11370602MB28537104",
    "legal_representative": "王建国",
}


def valid(export: dict[str, Any], field_set: str) -> dict[str, Any]:
    """Assert the export validates against its schema in schemas/."""
    schema = json.loads((SCHEMAS / f"exchange-{field_set}.schema.json").read_text())
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(export)]
    assert errors == []
    return export


def penalties(client: FlaskClient, after: int | None = None) -> dict[str, Any]:
    """Export Yantai's penalties (whole, or after a cursor) and check it."""
    query: dict[str, Any] = {"jurisdiction": "37"}
    if after is not None:
        query["after"] = after
    answer = client.get("/exchange/penalties", query_string=query)
    assert answer.status_code == 200, answer.json
    return valid(answer.json, "penalty")


def test_a_penalty_its_correction_and_its_repair_are_exported_as_the_platform_expects(
    client: FlaskClient, app_on: Callable[[str], FlaskClient]
) -> None:
    register(client)
    register(client, MIANYANG)  # another province: never in Shandong's export
    post_record(client, "bad_credit", MIANYANG, **PENALTY)
    posted = post_record(
        client, "bad_credit", business_date="2026-10-15", flags=[], **PENALTY
    )
    record_id = posted.json["record_id"]
    post_record(client, "bad_credit", document_number="not-a-penalty", flags=[])

    whole = penalties(client)
    client.post(
        f"/records/{record_id}/corrections",
        json=decision(
            "更正-1", changes={"fine_amount": "0.8", "penalty_content": "罚款八千元"}
        ),
    )
    corrected = penalties(client, whole["next_after"])
    app_on("2027-01-15").post(
        f"/records/{record_id}/repair-applications",
        json={"applicant": "测试物业", "commitment": "已整改"},
    )
    app_on("2027-01-20").post(
        f"/records/{record_id}/repair-decisions",
        json=decision("修-1", outcome="granted", decided_on="2027-01-20"),
    )
    repaired = penalties(client, corrected["next_after"])

    assert [r["数据操作"] for r in whole["rows"]] == ["新增"]
    standard = {k: v for k, v in whole["rows"][0].items() if k not in OPERATION_COLUMNS}
    assert standard == {
        "行政相对人名称": "测试物业001N",
        "统一社会信用代码": YANTAI,
        "法定代表人": "王建国",
        "行政处罚决定书文号": "DOC-bad_credit-2026-10-15",
        "违法行为类型": "未按规定公示物业服务收费",
        "违法事实": "逾期未整改",
        "处罚依据": "《物业管理条例》第四十条",
        "处罚类别": "罚款",
        "处罚内容": "罚款人民币五千元",
        "罚款金额（万元）": "0.5",
        "处罚决定日期": "2026-10-15",
        "处罚有效期": "2099-12-31",  # no end stated: 长期
        "公示截止期": "2027-10-14",  # general: 12 months (national-2026)
        "处罚机关": "测试住建局",
        "处罚机关统一社会信用代码": "11370602MB28537104",
        "数据来源单位": "测试住建局",
        "数据来源单位统一社会信用代码": "11370602MB28537104",
    }
    assert whole["rows"][0]["记录编号"] == record_id
    assert [
        (r["数据操作"], r["罚款金额（万元）"], r["处罚内容"]) for r in corrected["rows"]
    ] == [("更新", "0.8", "罚款八千元")]
    assert [(r["数据操作"], r["操作原因"]) for r in repaired["rows"]] == [
        ("撤销", "信用修复：复核")
    ]
    assert repaired["rows"][0]["记录编号"] == record_id
    assert penalties(client)["rows"] == []  # withdrawn: not in a whole export
    assert penalties(client, repaired["next_after"])["rows"] == []
    history = penalties(client, 0)["rows"]
    assert [r["数据操作"] for r in history] == ["新增", "更新", "撤销"]


def test_a_penalty_lacking_what_the_standard_requires_is_left_out_and_named(
    client: FlaskClient,
) -> None:
    register(client)
    lacking = {k: v for k, v in PENALTY.items() if k != "authority_code"}
    posted = post_record(client, "bad_credit", flags=[], **lacking)

    export = penalties(client)

    assert export["rows"] == []
    assert export["skipped"] == [
        {
            "record_id": posted.json["record_id"],
            "credit_code": YANTAI,
            "reason": "required fields missing",
            "missing": ["处罚机关统一社会信用代码", "数据来源单位统一社会信用代码"],
        }
    ]


def test_a_fine_states_its_amount_and_nothing_else_does(client: FlaskClient) -> None:
    register(client)
    no_amount = {k: v for k, v in PENALTY.items() if k != "fine_amount"}

    unfined = post_record(client, "bad_credit", **no_amount)
    warned = post_record(
        client, "bad_credit", **(PENALTY | {"penalty_category": "警告"})
    )

    assert unfined.status_code == 422
    assert warned.status_code == 422
    assert "fine_amount" in warned.json["errors"]["json"]
    assert client.get(f"/enterprises/{YANTAI}/records").json == []


def test_the_csv_export_has_the_chinese_columns_and_the_next_cursor(
    client: FlaskClient,
) -> None:
    register(client)
    post_record(client, "bad_credit", flags=[], **PENALTY)
    whole = penalties(client)

    answer = client.get("/exchange/penalties.csv", query_string={"jurisdiction": "37"})
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))

    assert answer.mimetype == "text/csv"
    assert answer.headers["X-Next-After"] == str(whole["next_after"])
    assert rows == whole["rows"]
    assert list(rows[0])[:3] == ["行政相对人名称", "统一社会信用代码", "法定代表人"]


def test_list_decisions_are_exported_and_a_lifting_withdraws_one(
    client: FlaskClient,
) -> None:
    register(client)
    posted = post_record(
        client,
        "list_entry",
        list_type="blacklist",
        reason="严重失信",
        term_months=None,
        legal_basis="《山东省物业管理条例》第八十条",
        authority_code="11370602MB28537104",
        legal_representative="王建国",
    )
    whole = client.get("/exchange/list-decisions?jurisdiction=3706").json
    client.post(
        f"/records/{posted.json['record_id']}/lifting",
        json=decision("移-1", lifted_on="2026-03-01"),
    )
    since = client.get(
        f"/exchange/list-decisions?jurisdiction=3706&after={whole['next_after']}"
    ).json

    valid(whole, "list_decision")
    valid(since, "list_decision")
    row = whole["rows"][0]
    assert (row["名单类型"], row["名单名称"], row["列入日期"]) == (
        "黑名单",
        "黑名单",
        "2026-01-10",
    )
    assert row["有效期至"] == "2027-01-09"  # the Yantai pack's default term: 12 months
    assert [(r["数据操作"], r["移出日期"]) for r in since["rows"]] == [
        ("撤销", "2026-03-01")
    ]


@pytest.mark.parametrize("role", ["platform", "enterprise", "market_regulation"])
def test_only_readers_export(client_as: Callable[..., FlaskClient], role: str) -> None:
    if role == "enterprise":
        caller = client_as(role, credit_code=YANTAI)
    elif role == "platform":
        caller = client_as(role)
    else:
        caller = client_as(role, "某市场监管局", ("37",))

    assert caller.get("/exchange/penalties?jurisdiction=37").status_code == 403
    assert (
        client_as("auditor").get("/exchange/penalties?jurisdiction=37").status_code
        == 200
    )


def test_the_schemas_in_the_repository_are_the_field_sets(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from credit_svc.cli import main

    written = CliRunner().invoke(main, ["exchange", "schemas", str(tmp_path)])

    assert written.exit_code == 0, written.output
    for path in tmp_path.iterdir():
        assert path.read_text() == (SCHEMAS / path.name).read_text(), (
            "stale: run `credit-svc exchange schemas`"
        )
