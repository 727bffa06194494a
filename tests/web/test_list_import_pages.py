"""Other departments' lists in, from a page: a department uploads its CSV
file and sees what was imported, or each bad line with nothing written."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from credit_svc.services import Services
from credit_svc.usecases.api_keys import issue_key
from tests.factories import MIANYANG, YANTAI, events_written, register
from tests.web.test_dashboard import sign_in

MARKET = "绵阳市游仙区市场监督管理局"
HEADER = "企业名称,统一社会信用代码,列入经营异常名录原因,列入日期,作出决定机关(列入)\n"
LINE = f"测试物业,{MIANYANG},无法联系,2026-03-02,{MARKET}\n"


@pytest.fixture
def market(app: Flask) -> FlaskClient:
    """Mianyang Youxian's market regulator, signed in to the pages."""
    browser = app.test_client()
    _, token = issue_key(
        app.extensions["credit_svc"].app,
        "市场监管",
        "market_regulation",
        MARKET,
        ("5107",),
    )
    sign_in(browser, token)
    return browser


def upload(
    browser: FlaskClient, text: str | bytes, list_name: str = "abnormal_operations"
) -> TestResponse:
    """Post the page's own form with the file."""
    page = browser.get("/workbench/lists/").get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page)
    assert nonce is not None
    data = text.encode() if isinstance(text, str) else text
    return browser.post(
        "/workbench/lists/",
        data={
            "nonce": nonce.group(1),
            "list_name": list_name,
            "file": (io.BytesIO(data), "list.csv"),
        },
        content_type="multipart/form-data",
    )


def test_a_department_uploads_its_list_and_the_same_file_again(
    client: FlaskClient, market: FlaskClient
) -> None:
    register(client, MIANYANG)
    bench = market.get("/workbench/").get_data(as_text=True)
    form = market.get("/workbench/lists/").get_data(as_text=True)

    first = upload(market, "\ufeff" + HEADER + LINE)
    again = upload(market, HEADER + LINE)
    records = client.get(f"/enterprises/{MIANYANG}/records").json

    assert 'id="import-lists"' in bench
    assert "经营异常名录" in form
    assert "严重违法失信名单" in form  # the regulator's other list
    assert "劳动" not in form  # not its list: not offered
    assert first.status_code == 200
    assert 'id="listed">1<' in first.get_data(as_text=True)
    assert 'id="skipped">1<' in again.get_data(as_text=True)
    assert 'id="listed">0<' in again.get_data(as_text=True)
    assert [(r["kind"], r["authority"]) for r in records] == [("bad_credit", MARKET)]


def test_a_bad_line_shows_each_error_and_writes_nothing(
    client: FlaskClient, market: FlaskClient, services: Services
) -> None:
    register(client, MIANYANG)
    before = events_written(services)

    answer = upload(market, HEADER + LINE + LINE.replace("2026-03-02", "明天"))
    page = answer.get_data(as_text=True)

    assert answer.status_code == 422
    assert answer.mimetype == "text/html"
    assert "1 行有误，未导入任何内容" in page
    assert re.search(r"<td>3</td><td>列入日期</td><td>不是日期", page)
    assert events_written(services) == before


def test_refusals_are_pages_and_write_nothing(
    app: Flask,
    client: FlaskClient,
    anonymous: FlaskClient,
    market: FlaskClient,
    services: Services,
) -> None:
    register(client, MIANYANG)
    firm = app.test_client()
    sign_in(firm, issue_key(services.app, "企业", "enterprise", credit_code=YANTAI)[1])
    before = events_written(services)
    page = market.get("/workbench/lists/").get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page)
    assert nonce is not None
    forged = market.post(
        "/workbench/lists/",
        data={"list_name": "abnormal_operations", "file": (io.BytesIO(b"x"), "a.csv")},
        content_type="multipart/form-data",
    )
    no_file = market.post(
        "/workbench/lists/",
        data={"nonce": nonce.group(1), "list_name": "abnormal_operations"},
    )

    answers = {
        "public": (anonymous.get("/workbench/lists/"), 302),
        "firm": (firm.get("/workbench/lists/"), 403),
        "forged": (forged, 400),
        "no file": (no_file, 400),
        "not its list": (upload(market, HEADER + LINE, "labour_violation"), 404),
        "not UTF-8": (upload(market, (HEADER + LINE).encode("gbk")), 422),
        "not CSV": (upload(market, HEADER + "x" * 140_000 + "\n"), 422),
    }

    assert {k: a.status_code for k, (a, _) in answers.items()} == {
        k: status for k, (_, status) in answers.items()
    }
    for name, (answer, status) in answers.items():
        if status != 302:
            assert answer.mimetype == "text/html", name
    assert "not UTF-8" in answers["not UTF-8"][0].get_data(as_text=True)
    assert "not CSV: field larger" in answers["not CSV"][0].get_data(as_text=True)
    assert events_written(services) == before
