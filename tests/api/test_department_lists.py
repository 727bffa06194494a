"""Other departments' lists in: each kind, a bad line refusing the file with
a report per line, lines recorded before skipped, and removals (移出)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from tests.factories import MIANYANG, YANTAI, credit_code, post_record, register

MARKET = "绵阳市游仙区市场监督管理局"


def listing(code: str = MIANYANG, **more: str) -> dict[str, str]:
    """Return a line of the abnormal-operations list, as 市场监管 writes it."""
    return {
        "企业名称": "测试物业",
        "统一社会信用代码": code,
        "列入经营异常名录原因": "通过登记的住所或者经营场所无法联系",
        "列入日期": "2026-03-02",
        "作出决定机关(列入)": MARKET,
        "作出决定机关统一社会信用代码": "11370602MB28537104",
    } | more


@pytest.fixture
def market(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    """The market regulator of Mianyang's Youxian district."""
    return client_as("market_regulation", MARKET, ("5107",))


def imported(caller: FlaskClient, name: str, *lines: dict[str, Any]) -> Any:
    """Import the lines of a list; return the answer."""
    return caller.post(f"/department-lists/{name}/imports", json={"lines": list(lines)})


def reasons(client: FlaskClient, day: str) -> list[str]:
    """Return what bars the Mianyang firm from awards on the day."""
    body = client.get(f"/enterprises/{MIANYANG}/eligibility?as_of={day}").json
    return [r["reason"] for r in body["reasons"]]


def test_an_imported_abnormal_listing_bars_a_mianyang_firm_for_its_calendar_year(
    client: FlaskClient, market: FlaskClient
) -> None:
    register(client, MIANYANG)
    post_record(client, "party_building", MIANYANG, business_date="2025-09-01")
    post_record(client, "good_credit", MIANYANG, business_date="2025-10-01")

    first = imported(market, "abnormal_operations", listing())
    removal = imported(
        market,
        "abnormal_operations",
        listing(
            **{"移出日期": "2026-05-10", "移出经营异常名录原因": "已通过登记的住所联系"}
        ),
    )
    again = imported(market, "abnormal_operations", listing())
    records = client.get(f"/enterprises/{MIANYANG}/records?kind=bad_credit").json

    assert first.status_code == 201, first.json
    assert (first.json["listed"], first.json["removed"]) == (1, 0)
    assert (removal.json["listed"], removal.json["removed"]) == (0, 1)
    assert (again.json["listed"], again.json["skipped"]) == (0, 1)
    assert len(records) == 1
    assert records[0]["details"]["flags"] == ["abnormal_operations_list"]
    assert records[0]["authority"] == MARKET
    assert records[0]["status"]["state"] == "lifted"
    assert records[0]["status"]["effect_ends_on"] == "2026-05-10"
    assert "abnormal_operations_list" not in reasons(client, "2026-03-01")
    assert "abnormal_operations_list" in reasons(client, "2026-03-02")
    assert "abnormal_operations_list" in reasons(client, "2026-12-31")  # 当年
    assert "abnormal_operations_list" not in reasons(client, "2027-01-01")


def test_a_bad_line_refuses_the_file_with_a_report_per_line(
    client: FlaskClient, market: FlaskClient
) -> None:
    register(client, MIANYANG)
    before = client.get("/feed").json["next_after"]

    answer = imported(
        market,
        "abnormal_operations",
        listing(),
        listing(credit_code(9, "510703"), **{"列入日期": "2026/3/2"}),
        listing("915107031234567890"),
        listing(**{"列入日期": "2099-01-01", "作出决定机关(列入)": "别处"}),
        listing(**{"移出日期": "2026-01-01"}),
    )

    assert answer.status_code == 422
    assert answer.json["errors"]["lines"] == {
        "2": {"统一社会信用代码": "企业未登记 · enterprise is not registered"},
        "3": {
            "统一社会信用代码": "不是有效的统一社会信用代码 · not a valid credit code"
        },
        "4": {"列入日期": "不能晚于今天 · may not be in the future"},
        "5": {"移出日期": "早于列入日期 · before the listing"},
    }
    assert client.get("/feed").json["next_after"] == before  # nothing written


def test_each_list_kind_flags_its_own_fact(
    client: FlaskClient, client_as: Callable[..., FlaskClient]
) -> None:
    register(client, MIANYANG)
    labour = client_as("human_resources", "绵阳市人社局", ("51",))
    emergency = client_as("emergency_management", "绵阳市应急管理局", ("51",))
    market = client_as("market_regulation", "绵阳市市场监管局", ("51",))

    answers = [
        imported(
            market,
            "serious_dishonesty",
            {
                "统一社会信用代码": MIANYANG,
                "列入严重违法失信名单原因": "提交虚假材料取得登记",
                "列入日期": "2026-04-01",
                "作出决定机关(列入)": "绵阳市市场监管局",
            },
        ),
        imported(
            labour,
            "labour_violation",
            {
                "统一社会信用代码": MIANYANG,
                "主要违法事实": "拖欠12名保洁员工资",
                "处理决定日期": "2026-04-02",
                "作出处理决定机关": "绵阳市人社局",
                "处理决定书文号": "绵人社监罚〔2026〕3号",
            },
        ),
        imported(
            emergency,
            "safety_accident",
            {
                "统一社会信用代码": MIANYANG,
                "事故概况": "电梯困人致1人受伤",
                "事故发生日期": "2026-04-03",
                "调查处理机关": "绵阳市应急管理局",
            },
        ),
    ]
    records = client.get(f"/enterprises/{MIANYANG}/records?kind=bad_credit").json

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert sorted(
        (r["details"]["flags"][0], r["details"]["severity"], r["document_number"])
        for r in records
    ) == [
        ("major_labour_violation", "general", "绵人社监罚〔2026〕3号"),
        ("major_safety_accident", "serious", "生产安全事故2026-04-03"),
        ("serious_dishonesty_list", "serious", "严重违法失信名单2026-04-01"),
    ]
    assert {"major_safety_accident", "major_labour_violation"} <= set(
        reasons(client, "2026-06-01")
    )


def test_a_department_imports_only_its_own_lists_decisions_and_firms(
    client: FlaskClient, client_as: Callable[..., FlaskClient], market: FlaskClient
) -> None:
    register(client, MIANYANG)
    register(client)  # Yantai: outside the regulator's district
    labour = client_as("human_resources", "绵阳市人社局", ("51",))
    emergency = client_as("emergency_management", "绵阳市应急管理局", ("51",))

    wrong_list = imported(labour, "abnormal_operations", listing())
    no_list = imported(market, "tax_arrears", listing())
    others = imported(
        market,
        "abnormal_operations",
        listing(**{"作出决定机关(列入)": "绵阳市涪城区市场监督管理局"}),
        listing(YANTAI),
    )
    no_removals = imported(
        emergency,
        "safety_accident",
        {
            "统一社会信用代码": MIANYANG,
            "事故概况": "电梯困人",
            "事故发生日期": "2026-04-03",
            "调查处理机关": "绵阳市应急管理局",
            "移出日期": "2026-05-01",
        },
    )

    assert wrong_list.status_code == 403
    assert no_list.status_code == 404
    assert others.status_code == 422
    assert set(others.json["errors"]["lines"]) == {"1", "2"}
    assert "作出决定机关(列入)" in others.json["errors"]["lines"]["1"]
    assert no_removals.status_code == 422
    assert client.get(f"/enterprises/{MIANYANG}/records").json == []


def test_a_bureau_imports_a_csv_it_received_and_the_cli_a_file(
    app: Flask, client: FlaskClient, tmp_path: Any
) -> None:
    register(client, MIANYANG)
    header = (
        "企业名称,统一社会信用代码,列入经营异常名录原因,列入日期,作出决定机关(列入)\n"
    )
    text = header + f"测试物业,{MIANYANG},无法联系,2026-03-02,{MARKET}\n"
    removal = (
        header.rstrip("\n") + ",移出日期\n"
        f"测试物业,{MIANYANG},无法联系,2026-03-02,{MARKET},2026-05-10\n"
    )
    path = tmp_path / "removals.csv"
    path.write_text(removal, encoding="utf-8")

    answer = client.post(
        "/department-lists/abnormal_operations/imports", json={"csv": "\ufeff" + text}
    )
    ran = app.test_cli_runner().invoke(
        main, ["exchange", "import", "abnormal_operations", str(path)]
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(header + f"测试物业,{MIANYANG},无法联系,明天,{MARKET}\n")
    refused = app.test_cli_runner().invoke(
        main, ["exchange", "import", "abnormal_operations", str(bad)]
    )

    assert answer.status_code == 201, answer.json
    assert answer.json["listed"] == 1
    assert ran.exit_code == 0, ran.output
    assert "imported 0 listings and 1 removals" in ran.output
    records = client.get(f"/enterprises/{MIANYANG}/records").json
    assert records[0]["status"]["effect_ends_on"] == "2026-05-10"
    assert refused.exit_code == 1
    assert "line 2: 列入日期: 不是日期" in refused.output


def test_the_market_regulator_records_either_of_its_lists_and_nothing_else(
    client: FlaskClient, market: FlaskClient
) -> None:
    register(client, MIANYANG)

    def post(flags: list[str], number: str) -> int:
        body = {
            "business_date": "2026-04-01",
            "authority": MARKET,
            "document_number": number,
            "violation_code": "SCJG-YZSX",
            "description": "严重违法失信",
            "severity": "serious",
            "flags": flags,
        }
        url = f"/enterprises/{MIANYANG}/records/bad-credit-records"
        return int(market.post(url, json=body).status_code)

    assert post(["serious_dishonesty_list"], "甲-1") == 201
    assert post(["abnormal_operations_list"], "甲-2") == 201
    assert post(["major_safety_accident"], "甲-3") == 403
    assert post(["abnormal_operations_list", "serious_dishonesty_list"], "甲-4") == 403


def test_a_list_of_thousands_of_lines_is_read_whole(market: FlaskClient) -> None:
    lines = [listing(credit_code(n, "510703")) for n in range(100, 1300)]

    answer = imported(market, "abnormal_operations", *lines)

    assert answer.status_code == 422  # read whole (no 413): none is registered
    assert len(answer.json["errors"]["lines"]) == 1200
