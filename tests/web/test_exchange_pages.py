"""The exports for the national platform as a page: a signed-in reader sees
the rows the API exports and downloads the same CSV; others are refused
with a page, and bad settings answer 400 with a page."""

from __future__ import annotations

import csv
import io
import re

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.usecases.api_keys import issue_key
from tests.api.test_exchange_export import PENALTY
from tests.factories import MIANYANG, YANTAI, post_record, register
from tests.web.test_dashboard import sign_in


def _signed_in(
    app: Flask, role: str, authority: str = "", *scope: str, **more: object
) -> FlaskClient:
    browser = app.test_client()
    _, token = issue_key(
        app.extensions["credit_svc"].app, f"page {role}", role, authority, scope, **more
    )
    sign_in(browser, token)
    return browser


def test_a_bureau_sees_the_export_and_downloads_the_apis_csv(
    app: Flask, client: FlaskClient
) -> None:
    register(client)
    register(client, MIANYANG)
    posted = post_record(client, "bad_credit", flags=[], **PENALTY)
    post_record(client, "bad_credit", MIANYANG, flags=[], **PENALTY)
    lacking = {k: v for k, v in PENALTY.items() if k != "authority_code"}
    post_record(
        client, "bad_credit", document_number="缺字段的处罚", flags=[], **lacking
    )
    bureau = _signed_in(app, "bureau", "烟台市住建局", "37")
    api = client.get("/exchange/penalties", query_string={"jurisdiction": "37"}).json
    api_csv = client.get("/exchange/penalties.csv?jurisdiction=37").get_data()

    bench = bureau.get("/workbench/").get_data(as_text=True)
    form = bureau.get("/workbench/exchange/").get_data(as_text=True)
    page = bureau.get(
        "/workbench/exchange/?field_set=penalties&jurisdiction=37&after="
    ).get_data(as_text=True)
    link = re.search(r'id="csv" href="([^"]+)"', page)
    assert link is not None
    download = bureau.get(link.group(1).replace("&amp;", "&"))

    assert 'id="exchange" href="/workbench/exchange/"' in bench
    assert 'id="jurisdiction" value="37"' in form  # the bureau's own, offered
    assert 'id="rows"' not in form  # nothing exported before it is asked
    assert f'id="row-count">{len(api["rows"])}<' in page
    assert len(api["rows"]) == 1
    assert posted.json["record_id"] in page
    assert "缺字段的处罚" not in page  # left out, listed by record id instead
    assert api["skipped"][0]["record_id"] in page
    assert "<td>处罚机关统一社会信用代码、数据来源单位统一社会信用代码</td>" in page
    assert f'id="next-after">{api["next_after"]}<' in page
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert download.get_data() == "\ufeff".encode() + api_csv
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True)[1:])))
    assert [r["统一社会信用代码"] for r in rows] == [YANTAI]


def test_an_incremental_export_shows_only_what_changed(
    app: Flask, client: FlaskClient
) -> None:
    register(client)
    post_record(client, "bad_credit", flags=[], **PENALTY)
    cursor = client.get("/exchange/penalties?jurisdiction=37").json["next_after"]
    post_record(client, "bad_credit", document_number="新的处罚", flags=[], **PENALTY)
    auditor = _signed_in(app, "auditor")

    page = auditor.get(
        f"/workbench/exchange/?field_set=penalties&jurisdiction=37&after={cursor}"
    ).get_data(as_text=True)

    assert 'id="row-count">1<' in page
    assert "新的处罚" in page
    assert f"增量（位置 {cursor} 之后）" in page


def test_others_and_bad_settings_get_a_page_and_no_export(
    app: Flask, anonymous: FlaskClient, client: FlaskClient
) -> None:
    register(client)
    firm = _signed_in(app, "enterprise", credit_code=YANTAI)
    auditor = _signed_in(app, "auditor")

    public = anonymous.get("/workbench/exchange/?jurisdiction=37")
    refused = firm.get("/workbench/exchange/?jurisdiction=37")
    refused_csv = firm.get("/workbench/exchange/export.csv?jurisdiction=37")
    bad_place = auditor.get("/workbench/exchange/?jurisdiction=3x")
    bad_set = auditor.get("/workbench/exchange/export.csv?field_set=x&jurisdiction=37")
    bad_after = auditor.get("/workbench/exchange/?jurisdiction=37&after=-1")

    assert public.status_code == 302
    assert public.headers["Location"].startswith("/dashboard/login")
    for answer in (refused, refused_csv):
        assert answer.status_code == 403
        assert answer.mimetype == "text/html"
    for answer, what in ((bad_place, "jurisdiction"), (bad_set, "field_set")):
        assert answer.status_code == 400
        assert answer.mimetype == "text/html"
        assert what in answer.get_data(as_text=True)
    assert bad_after.status_code == 400
    assert "after" in bad_after.get_data(as_text=True)
