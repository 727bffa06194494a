"""Each party signs in and sees what it may do, in Chinese first (issue 32,
item 5): a firm its whole file and its credit reports, a street office the
kinds it records, a bureau the cases awaiting it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.services import Services
from credit_svc.usecases.api_keys import issue_key
from tests.factories import MIANYANG, YANTAI, events_written, post_record, register
from tests.web.test_dashboard import sign_in


@pytest.fixture(autouse=True)
def fixed_today(app: Flask) -> None:
    """Pin the day the pages show."""
    app.config["TODAY"] = "2026-06-01"


@pytest.fixture
def key_of(services: Services) -> Callable[..., str]:
    """Return a factory of keys' tokens of a role and scope."""

    def make(role: str, authority: str = "", *scope: str, **more: object) -> str:
        _, token = issue_key(
            services.app, f"test {role}", role, authority, scope, **more
        )
        return token

    return make


def _nonce(html: str) -> str:
    found = re.search(r'name="nonce" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_a_firm_sees_its_whole_file_and_issues_its_report_from_the_page(
    client: FlaskClient, anonymous: FlaskClient, key_of: Callable[..., str]
) -> None:
    register(client, YANTAI)
    register(client, MIANYANG)
    post_record(client, "party_building", YANTAI, business_date="2026-03-01")
    post_record(client, "bad_credit", MIANYANG, document_number="别家的处罚")
    sign_in(anonymous, key_of("enterprise", credit_code=YANTAI))

    bench = anonymous.get("/workbench/").get_data(as_text=True)
    own = anonymous.get("/workbench/file").get_data(as_text=True)
    issued = anonymous.post(
        "/workbench/credit-reports", data={"nonce": _nonce(own), "as_of": "2026-05-01"}
    )
    report = anonymous.get(issued.headers["Location"]).get_data(as_text=True)

    assert 'id="role">物业服务企业 Property-service enterprise' in bench
    assert 'id="issue-report"' in bench
    assert "对记录提出异议" in bench  # an operation the firm may call
    assert "记录不良信用信息" not in bench
    assert "党建评价 Party building" in own  # undisclosed: the firm sees it
    assert "别家的处罚" not in own
    until = client.get(f"/enterprises/{YANTAI}/records").json[0]["status"][
        "objection_until"
    ]
    assert f"<td>{until}</td>" in own  # the last day to object, as the API says
    assert issued.status_code == 302
    assert issued.headers["Location"].startswith("/r/CR20260601-")
    assert 'id="verdict">真实 Genuine' in report
    assert "2026年5月1日" in report


def test_a_report_form_from_another_page_writes_nothing(
    client: FlaskClient,
    anonymous: FlaskClient,
    services: Services,
    key_of: Callable[..., str],
) -> None:
    register(client, YANTAI)
    sign_in(anonymous, key_of("enterprise", credit_code=YANTAI))
    written = events_written(services)

    forged = anonymous.post("/workbench/credit-reports", data={"nonce": "x"})
    bad_day = anonymous.post(
        "/workbench/credit-reports",
        data={
            "nonce": _nonce(anonymous.get("/workbench/").get_data(as_text=True)),
            "as_of": "2026-13-01",
        },
    )

    assert forged.status_code == bad_day.status_code == 400
    assert forged.mimetype == "text/html"
    assert "YYYY-MM-DD" in bad_day.get_data(as_text=True)
    assert events_written(services) == written


def test_a_street_office_sees_the_kinds_it_records_and_nothing_of_a_firms(
    client: FlaskClient, anonymous: FlaskClient, key_of: Callable[..., str]
) -> None:
    register(client, YANTAI)
    sign_in(anonymous, key_of("street_office", "芝罘区向阳街道办事处", "370602"))

    bench = anonymous.get("/workbench/").get_data(as_text=True)
    start = bench.index('id="kinds"')
    kinds = bench[start : bench.index("</table>", start)]

    assert 'id="role">街道办事处 Street office' in bench
    assert "芝罘区向阳街道办事处" in bench
    assert "检查结果 Inspection" in kinds
    assert "评价意见 Appraisal" in kinds
    assert "不良信用" not in kinds
    assert "记录检查结果" in bench
    assert "记录不良信用信息" not in bench
    assert 'id="audit"' not in bench
    assert anonymous.get("/workbench/file").status_code == 403
    assert anonymous.get("/dashboard/").status_code == 403


def test_a_bureau_sees_the_cases_awaiting_a_decision_with_their_deadlines(
    client: FlaskClient,
    client_as: Callable[..., FlaskClient],
    anonymous: FlaskClient,
    key_of: Callable[..., str],
) -> None:
    register(client, YANTAI)
    record = post_record(client, "bad_credit", YANTAI).json["record_id"]
    firm = client_as("enterprise", credit_code=YANTAI)
    filed = firm.post(
        f"/records/{record}/objections",
        json={"filed_by": "安居物业", "grounds": "处罚依据有误"},
    )
    sign_in(anonymous, key_of("bureau", "测试住建局", "37"))

    bench = anonymous.get("/workbench/").get_data(as_text=True)
    cases = bench[bench.index('id="cases"') :]

    assert filed.status_code == 201, filed.json
    assert 'id="audit"' in bench
    assert "异议" in cases
    assert YANTAI in cases
    assert "2026-06-15" in cases  # 10 working days after Monday 1 June
