"""Statistics of a jurisdiction (issue 34, item 2): a city and one of its
counties over a data set with every Party-coverage case, equal to counts
written out here; published as a quarterly report, a dated snapshot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import credit_code, post_record, register
from tests.web.test_dashboard import issue_token, sign_in

FUCHENG = [credit_code(n, "510703") for n in (21, 22, 23)]  # a county
YOUXIAN = [credit_code(n, "510704") for n in (24, 25, 26)]  # another
STREET = "城厢街道党工委"


@pytest.fixture
def firms(
    app: Flask, client: FlaskClient, client_as: Callable[..., FlaskClient]
) -> FlaskClient:
    """Six Mianyang firms: one of each Party-coverage case, a blacklisting,
    a red board, a serious penalty and an overdue rectification."""
    app.config["TODAY"] = "2026-07-05"
    for code in FUCHENG + YOUXIAN:
        assert register(client, code).status_code == 201
    street = client_as("street_party_committee", STREET, ("510703",))
    f1, f2, f3 = FUCHENG
    f4, f5, f6 = YOUXIAN

    def party(caller: FlaskClient, code: str, **facts: Any) -> None:
        body = {
            "business_date": "2026-02-01",
            "authority": caller_authority(caller),
            "has_party_organisation": None,
        }
        answer = post_record(caller, "party_building", code, **(body | facts))
        assert answer.status_code == 201, answer.json

    def caller_authority(caller: FlaskClient) -> str:
        return STREET if caller is street else "测试住建局"

    party(street, f1, organisation_form="own", party_member_count=5, level="excellent")
    party(street, f2, organisation_form="joint", party_member_count=2, level="pass")
    party(street, f3, organisation_form="none", party_member_count=3, level="fail")
    party(client, f4, organisation_form="none", party_member_count=2, level="good")
    party(
        client,
        f6,
        organisation_form=None,
        has_party_organisation=True,  # as before the form was asked
        party_member_count=4,
        level="pass",
    )
    for code, kind, facts in (
        (f3, "list_entry", {"business_date": "2026-04-10", "list_type": "blacklist"}),
        (f4, "inspection", {"business_date": "2026-03-01"}),
        (
            f5,
            "bad_credit",
            {"business_date": "2026-05-05", "severity": "serious", "points": "30"},
        ),
        (f6, "list_entry", {"business_date": "2026-04-20", "list_type": "red_board"}),
    ):
        extra = {"rectification_deadline": "2026-03-31"} if kind == "inspection" else {}
        answer = post_record(client, kind, code, **(facts | extra))
        assert answer.status_code == 201, answer.json
    return client


def test_a_city_and_a_county_count_as_written(firms: FlaskClient) -> None:
    city = firms.get("/statistics?jurisdiction=5107&as_of=2026-06-30").json
    county = firms.get("/statistics?jurisdiction=510703&as_of=2026-06-30").json

    assert city == {
        "jurisdiction": "5107",
        "as_of": "2026-06-30",
        "firms": 6,
        "grades": {"AA": 4, "B": 1, "C": 1},
        "party_organisation": {
            "own": 1,
            "joint": 1,
            "unstated": 1,
            "required_missing": 1,
            "not_required": 1,
            "not_assessed": 1,
        },
        "list_entries": {"red_board": 1, "black_board": 0, "blacklist": 1},
        "records_by_kind": {
            "2026-Q1": {"inspection": 1, "party_building": 5},
            "2026-Q2": {"bad_credit": 1, "list_entry": 2},
        },
        "records_by_party": {
            "2026-Q1": {STREET: 3, "测试住建局": 3},
            "2026-Q2": {"测试住建局": 3},
        },
        "overdue_rectifications": {"records": 1, "firms": 1},
    }
    assert county["firms"] == 3
    assert county["grades"] == {"AA": 2, "C": 1}
    assert county["party_organisation"] == {
        "own": 1,
        "joint": 1,
        "unstated": 0,
        "required_missing": 1,
        "not_required": 0,
        "not_assessed": 0,
    }
    assert county["list_entries"] == {"red_board": 0, "black_board": 0, "blacklist": 1}
    assert county["overdue_rectifications"] == {"records": 0, "firms": 0}


def test_the_csv_holds_the_same_counts(firms: FlaskClient) -> None:
    answer = firms.get("/statistics.csv?jurisdiction=5107&as_of=2026-06-30")
    rows = answer.get_data(as_text=True).splitlines()

    assert answer.mimetype == "text/csv"
    assert rows[0] == "section,item,count"
    assert "party_organisation,required_missing,1" in rows
    assert "grades,AA,4" in rows
    assert "records_by_kind 2026-Q2,list_entry,2" in rows


def test_a_quarterly_report_is_published_once_as_a_dated_snapshot(
    firms: FlaskClient, anonymous: FlaskClient
) -> None:
    body = {
        "jurisdiction": "5107",
        "period": "2026-Q2",
        "authority": "测试住建局",
        "document_number": "绵住建统〔2026〕2号",
    }
    published = firms.post("/statistics/reports", json=body)
    again = firms.post("/statistics/reports", json=body)
    early = firms.post("/statistics/reports", json=body | {"period": "2026-Q3"})
    post_record(
        firms,
        "bad_credit",
        YOUXIAN[0],
        business_date="2026-06-01",
        document_number="补录-1",
        severity="serious",
        points="30",
    )

    public = anonymous.get("/statistics/reports/5107/2026-Q2")
    page = anonymous.get("/statistics/5107/2026-Q2").get_data(as_text=True)
    archive = anonymous.get("/statistics/5107").get_data(as_text=True)
    csv = anonymous.get("/statistics/5107/2026-Q2.csv").get_data(as_text=True)
    live = firms.get("/statistics?jurisdiction=5107&as_of=2026-06-30").json

    assert published.status_code == 201, published.json
    assert published.json["as_of"] == "2026-06-30"
    assert published.json["content"]["grades"] == {"AA": 4, "B": 1, "C": 1}
    assert (again.status_code, early.status_code) == (409, 422)
    assert public.status_code == 200
    assert public.json["content"] == published.json["content"]  # as published
    assert live["grades"] == {"AA": 3, "B": 2, "C": 1}  # a later back-dated record
    assert 'id="firms">6<' in page
    assert "绵住建统〔2026〕2号" in page
    assert "2026-Q2" in archive
    assert "party_organisation,required_missing,1" in csv
    assert anonymous.get("/statistics?jurisdiction=5107").status_code == 401


@pytest.mark.usefixtures("firms")
def test_a_signed_in_reader_sees_the_live_statistics_page(
    app: Flask, anonymous: FlaskClient
) -> None:
    sign_in(anonymous, issue_token(app, "auditor"))
    page = anonymous.get("/statistics/live?jurisdiction=510703&as_of=2026-06-30")
    html = page.get_data(as_text=True)

    assert page.status_code == 200
    assert 'id="firms">3<' in html
    assert 'id="party"' in html  # the coverage chart
    assert "应建未建" in html
