"""Credit reports (issue 32, item 4): a firm's report as of a date, as a page
and an A4 PDF in Chinese, signed, with a QR code whose short URL says whether
a report is genuine, checks an uploaded PDF, and shows what changed since.

The PDF is read back as a person's tools read it: its text with pdftotext
(Debian's poppler-utils) and its QR code from a rendered page (pdftoppm, then
zxing-cpp), as a phone's camera would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from weasyprint import HTML

from credit_svc.domain.credit_report import CreditReport
from credit_svc.services import Services
from credit_svc.usecases.credit_reports import CreditReports
from credit_svc.web import reports as report_pages
from tests.factories import MIANYANG, YANTAI, events_written, post_record, register

NAME = f"测试物业{YANTAI[-4:]}"  # tests/factories.py names its firms so


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (poppler-utils, .ci/install-browser)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """Return the PDF's text as pdftotext reads it."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def qr_urls(pdf: bytes, tmp_path: Path) -> list[str]:
    """Return what the QR codes on the PDF's first page say."""
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf)
    first_page = ("-r", "150", "-f", "1", "-l", "1", "-png")
    command = [_tool("pdftoppm"), *first_page, str(path), str(tmp_path / "page")]
    subprocess.run(command, check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.fixture
def firm(
    app: Flask, client: FlaskClient, client_as: Callable[..., FlaskClient]
) -> FlaskClient:
    """The Yantai firm, graded AAA-range with an honour and a minor penalty,
    and its own key; the service's today is 2026-06-01."""
    app.config["TODAY"] = "2026-06-01"
    register(client, YANTAI)
    register(client, MIANYANG)
    post_record(client, "good_credit", YANTAI, business_date="2026-03-01")
    post_record(client, "bad_credit", YANTAI, business_date="2026-04-01")
    return client_as("enterprise", credit_code=YANTAI)


def _issue(firm: FlaskClient, as_of: str = "2026-06-01") -> dict[str, Any]:
    answer = firm.post(f"/enterprises/{YANTAI}/credit-reports", json={"as_of": as_of})
    assert answer.status_code == 201, answer.json
    assert isinstance(answer.json, dict)
    return answer.json


def _upload(anonymous: FlaskClient, number: str, pdf: bytes) -> str:
    answer = anonymous.post(
        f"/r/{number}/check",
        data={"pdf": (_file(pdf), "report.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def _file(data: bytes) -> BytesIO:
    return BytesIO(data)


def test_a_firm_prints_its_report_and_the_qr_code_says_it_is_genuine(
    firm: FlaskClient, anonymous: FlaskClient, tmp_path: Path
) -> None:
    report = _issue(firm)
    number = str(report["report_number"])
    pdf = anonymous.get(f"/r/{number}/report.pdf")
    text = pdf_text(pdf.data, tmp_path)
    [url] = qr_urls(pdf.data, tmp_path)
    page = anonymous.get(urlsplit(url).path).get_data(as_text=True)

    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert "物业服务企业信用报告" in text
    assert NAME in text
    assert "2026年6月1日" in text  # as of, in Chinese
    assert f"信用等级 {report['content']['grade']['label']}" in " ".join(text.split())
    assert number in text
    assert url == report["links"]["page"]
    assert urlsplit(url).path == f"/r/{number}"
    assert 'id="verdict">真实 Genuine' in page
    assert report["verification"]["genuine"] is True
    assert report["valid_until"] == "2026-06-30"  # 30 days, the issue day counted
    assert report["statement"]["content_sha256"]
    assert report["statement"]["log_head"]["position"] > 0


def test_an_altered_pdf_is_not_genuine_and_the_untouched_one_is(
    app: Flask, firm: FlaskClient, anonymous: FlaskClient
) -> None:
    number = str(_issue(firm)["report_number"])
    pdf = anonymous.get(f"/r/{number}/report.pdf").data
    with app.test_request_context():
        issued = CreditReports(app.extensions["credit_svc"]).get(number)
        forged = _forged(issued, grade="AAA", score="100")
        altered = report_pages.render_pdf(forged)  # the same signed statement
        # The report's page printed to PDF: the same text, no statement.
        printed = HTML(
            string=report_pages.render_document(issued, report_pages.REPORT_CSS)
        ).write_pdf()

    untouched = _upload(anonymous, number, pdf)
    changed = _upload(anonymous, number, altered)
    stripped = _upload(anonymous, number, printed)
    not_a_pdf = _upload(anonymous, number, b"%PDF-1.7 not really")

    assert 'id="upload-verdict">一致 Genuine' in untouched
    assert 'id="upload-verdict"><p>不一致 Not genuine' in changed
    assert "文件的文字与出具的报告不一致" in changed
    assert "文件没有附带本服务的签名声明" in stripped
    assert "该文件不是可读取的 PDF" in not_a_pdf
    assert 'id="verdict">真实 Genuine' in changed  # the report itself still is


def _forged(report: CreditReport, grade: str, score: str) -> CreditReport:
    """Return a copy of the report with its content changed, as a forger would."""
    content = dict(report.content)
    content["grade"] = dict(content["grade"]) | {"label": grade, "score": score}
    copy = object.__new__(CreditReport)
    copy.__dict__.update(report.__dict__ | {"content": content})
    return copy


def test_a_report_whose_content_was_altered_is_not_genuine(
    app: Flask, firm: FlaskClient
) -> None:
    number = str(_issue(firm)["report_number"])
    with app.test_request_context():
        reports = CreditReports(app.extensions["credit_svc"])
        issued = reports.get(number)
        found = reports.verify(_forged(issued, grade="AAA", score="100"))
        resigned = dict(issued.statement) | {"grade": "AAA"}
        copy = _forged(issued, grade=issued.content["grade"]["label"], score="0")
        copy.statement = resigned
        statement_changed = reports.verify(copy)

    assert reports_checks(found) == (True, True, False, True)
    assert "the report's content is not what the statement hashed" in found.problems
    assert statement_changed.signature_valid is False
    assert statement_changed.grade_confirmed is False


def reports_checks(found: object) -> tuple[bool, ...]:
    """Return the four checks of a verification, in order."""
    names = ("signature_valid", "log_matches", "content_matches", "grade_confirmed")
    return tuple(getattr(found, name) for name in names)


def test_after_a_later_record_the_report_stays_genuine_and_shows_the_change(
    client: FlaskClient, firm: FlaskClient, anonymous: FlaskClient
) -> None:
    report = _issue(firm)
    number = str(report["report_number"])
    post_record(
        client,
        "list_entry",
        YANTAI,
        business_date="2026-05-20",  # before the report's date: recorded after
        list_type="blacklist",
        reason="拒不整改列入黑名单",
    )

    page = anonymous.get(f"/r/{number}").get_data(as_text=True)
    again = anonymous.get(f"/credit-reports/{number}").json

    assert 'id="verdict">真实 Genuine' in page
    assert again["verification"]["genuine"] is True
    assert again["changes_since"]["grade_changed"] is True
    assert again["changes_since"]["grade_now"] != report["content"]["grade"]["grade"]
    assert (
        again["changes_since"]["grade_on_report_date_now"]
        == (again["changes_since"]["grade_now"])
    )
    assert [r["reason"] for r in again["changes_since"]["records"]] == [
        "拒不整改列入黑名单"
    ]
    assert "与报告所述" in page
    assert "拒不整改列入黑名单" in page
    assert 'id="retroactive"' in page
    assert again["content"] == report["content"]  # shown as issued


def test_the_same_report_asked_twice_is_issued_once(
    services: Services, firm: FlaskClient, client: FlaskClient
) -> None:
    first = _issue(firm)
    written = events_written(services)
    second = _issue(firm)
    added = events_written(services) - written
    by_bureau = client.post(f"/enterprises/{YANTAI}/credit-reports", json={})

    assert second["report_number"] == first["report_number"]
    assert added == 0
    assert by_bureau.status_code == 201
    assert by_bureau.json["report_number"] != first["report_number"]
    assert by_bureau.json["as_of"] == "2026-06-01"  # today by default


def test_who_may_issue_a_report_and_about_whom(
    services: Services,
    firm: FlaskClient,
    anonymous: FlaskClient,
    client_as: Callable[..., FlaskClient],
) -> None:
    street = client_as("street_office", "芝罘区某街道办事处", ("370602",))
    outside = client_as("bureau", "绵阳市住建局", ("5107",))
    platform = client_as("platform")
    written = events_written(services)
    url = "/enterprises/{}/credit-reports"
    answers = {
        "another firm's": firm.post(url.format(MIANYANG), json={}).status_code,
        "street office": street.post(url.format(YANTAI), json={}).status_code,
        "bureau outside": outside.post(url.format(YANTAI), json={}).status_code,
        "no key": anonymous.post(url.format(YANTAI), json={}).status_code,
        "bad date": firm.post(url.format(YANTAI), json={"as_of": "x"}).status_code,
        "unknown firm": platform.post(
            url.format("91110105MA00000003"), json={}
        ).status_code,
    }

    assert answers == {
        "another firm's": 403,
        "street office": 403,
        "bureau outside": 403,
        "no key": 401,
        "bad date": 422,
        "unknown firm": 404,
    }
    assert events_written(services) == written
    assert platform.post(url.format(YANTAI), json={}).status_code == 201


def test_an_unknown_report_number_is_a_404_page_and_envelope(
    anonymous: FlaskClient,
) -> None:
    page = anonymous.get("/r/CR20260601-AAAAAAAAAA")
    api = anonymous.get("/credit-reports/CR20260601-AAAAAAAAAA")

    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert "未找到" in page.get_data(as_text=True)
    assert api.status_code == 404
    assert "no credit report was issued" in api.json["message"]
