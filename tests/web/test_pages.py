"""Public disclosure pages, through the Flask client."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.managers import running
from tests.factories import (
    MIANYANG,
    YANTAI,
    credit_code,
    id_number,
    post_record,
    register,
    register_manager,
)


@pytest.fixture(autouse=True)
def fixed_today(app: Flask) -> None:
    """Public pages show today's state: pin the day, so the terms and disclosure
    periods of the records below do not run out as the calendar moves on."""
    app.config["TODAY"] = "2026-11-23"


def _blacklisted_enterprise_with_a_manager(client: FlaskClient) -> str:
    register(client, MIANYANG)
    post_record(client, "bad_credit", MIANYANG, business_date="2026-03-01")
    post_record(
        client,
        "list_entry",
        MIANYANG,
        business_date="2026-03-02",
        list_type="blacklist",
        term_months=12,
    )
    manager = register_manager(client)
    running(client, manager)
    listed = client.post(
        f"/project-managers/{manager}/records/list-entries",
        json={
            "credit_code": MIANYANG,
            "business_date": "2026-03-03",
            "authority": "测试住建局",
            "document_number": "PM-1",
            "list_type": "blacklist",
            "reason": "挂证",
            "term_months": 12,
        },
    )
    assert listed.status_code == 201, listed.json
    return manager


def test_the_public_finds_an_enterprise_by_name_or_code(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)

    by_name = anonymous.get("/disclosure/", query_string={"q": "测试物业"})
    by_code = anonymous.get("/disclosure/", query_string={"q": YANTAI.lower()})
    nothing = anonymous.get("/disclosure/", query_string={"q": "%"})

    assert by_name.status_code == by_code.status_code == 200
    assert YANTAI in by_name.get_data(as_text=True)
    assert YANTAI in by_code.get_data(as_text=True)
    assert YANTAI not in nothing.get_data(as_text=True)  # % is not a wildcard


def test_an_enterprise_page_shows_grade_status_and_disclosed_records(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    _blacklisted_enterprise_with_a_manager(client)

    page = anonymous.get(f"/disclosure/enterprises/{MIANYANG}").get_data(as_text=True)

    assert re.search(r'id="grade">\w+<', page)
    assert "黑名单 Blacklist" in page
    assert "DOC-bad_credit-2026-03-01" in page
    assert "测试经理" not in page  # records about managers are not the firm's
    assert "PM-1" not in page


def test_a_rectified_record_says_so_while_it_is_disclosed(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    record = post_record(client, "bad_credit", business_date="2026-03-01").json
    before = anonymous.get(f"/disclosure/enterprises/{YANTAI}").get_data(as_text=True)
    client.post(
        f"/records/{record['record_id']}/rectification",
        json={
            "authority": "测试住建局",
            "document_number": "整改-1",
            "reason": "复查合格",
            "rectified_on": "2026-04-01",
        },
    )

    page = anonymous.get(f"/disclosure/enterprises/{YANTAI}").get_data(as_text=True)

    assert "已整改" not in before
    assert "已整改 Rectified 2026-04-01" in page


def test_the_blacklist_page_names_managers_without_id_numbers(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    _blacklisted_enterprise_with_a_manager(client)

    page = anonymous.get("/disclosure/blacklist", query_string={"jurisdiction": "51"})
    text = page.get_data(as_text=True)

    assert page.status_code == 200
    assert MIANYANG in text
    assert "测试经理1" in text
    assert id_number(1) not in text


def test_a_search_counts_every_match_and_pages_through_them(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    codes = sorted(credit_code(n) for n in range(1, 121))
    for code in codes:
        register(client, code)

    def page(number: object) -> str:
        answer = anonymous.get(
            "/disclosure/", query_string={"q": "测试物业", "page": number}
        )
        assert answer.status_code == 200
        return answer.get_data(as_text=True)

    first, last, beyond, junk = page(1), page(3), page(99), page("abc")

    def shown(html: str) -> list[str]:
        return [c for c in codes if f">{c}</td>" in html]

    assert "共 120 家企业" in first
    assert shown(first) == codes[:50]
    assert 'id="next"' in first
    assert 'id="previous"' not in first
    assert shown(last) == codes[100:]
    assert "第 101–120 家" in last
    assert 'id="next"' not in last
    assert shown(beyond) == codes[100:]  # past the end: the last page
    assert shown(junk) == codes[:50]


def test_the_blacklist_page_says_why_by_which_document_and_until_when(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    _blacklisted_enterprise_with_a_manager(client)

    html = anonymous.get("/disclosure/blacklist").get_data(as_text=True)
    firms = html[html.index('id="enterprises"') : html.index('id="managers"')]

    assert html.startswith("<!doctype html>")  # one whole page
    assert html.count('id="enterprises"') == html.count('id="managers"') == 1
    people = html[html.index('id="managers"') :]

    assert "DOC-list_entry-2026-03-02" in firms
    assert "2027-03-01" in firms  # 12 months from 2026-03-02, its last day
    assert "测试住建局" in firms
    assert "挂证" in people
    assert "PM-1" in people
    assert "2027-03-02" in people


def test_the_grade_page_says_what_the_grade_means_and_why_no_awards(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client, MIANYANG)  # no party-building assessment: barred in Mianyang
    register(client, YANTAI)

    barred = anonymous.get(f"/disclosure/enterprises/{MIANYANG}").get_data(as_text=True)
    free = anonymous.get(f"/disclosure/enterprises/{YANTAI}").get_data(as_text=True)

    assert 'id="grade-label">AA<' in barred  # Mianyang's pack labels are codes
    assert "不得参加评优评先" in barred
    assert "未按要求成立基层党组织" in barred  # the pack's own words, not a code
    assert "no_party_organisation" not in barred
    assert 'id="small-chart"' in barred
    assert 'id="grade-label">B 信用一般<' in free
    assert "不得参加评优评先" in free  # Yantai bars B and below
    assert "信用等级B级及以下" in free


def test_a_page_s_error_is_a_page(anonymous: FlaskClient) -> None:
    missing = anonymous.get(f"/disclosure/enterprises/{YANTAI}")
    bad = anonymous.get("/disclosure/enterprises/not-a-code")

    for answer in (missing, bad):
        assert answer.mimetype == "text/html"
        assert "<h1" in answer.get_data(as_text=True)
    assert missing.status_code == 404
    assert "未找到" in missing.get_data(as_text=True)
    assert "Content-Security-Policy" in missing.headers
