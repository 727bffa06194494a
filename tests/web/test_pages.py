"""Public disclosure pages and the auditor dashboard, through the Flask client."""

from __future__ import annotations

import base64
import json
import re
import uuid
import zlib

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient

from credit_svc.cli import main
from tests.factories import (
    MIANYANG,
    YANTAI,
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
    client.post(
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


def test_the_dashboard_needs_a_readers_key(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    platform_token = _token(app, "platform")

    redirected = anonymous.get(f"/dashboard/enterprises/{YANTAI}")
    refused = anonymous.post("/dashboard/login", data={"token": platform_token})

    assert redirected.status_code == 302
    assert redirected.headers["Location"].endswith("/dashboard/login")
    assert refused.status_code == 401


def test_the_dashboard_charts_grades_and_links_changes_to_records(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    record = post_record(client, "good_credit", business_date="2026-03-01").json
    anonymous.post("/dashboard/login", data={"token": _token(app, "auditor")})

    page = anonymous.get(
        f"/dashboard/enterprises/{YANTAI}", query_string={"as_of": "2026-04-01"}
    ).get_data(as_text=True)

    points = re.search(r'id="score-line" points="([^"]+)"', page)
    assert points is not None
    assert len(points.group(1).split()) >= 4
    assert page.count('class="floor"') == 4  # Yantai: AAA, AA, A, B floors
    assert f'href="#r-{record["record_id"]}"' in page  # the change names its record
    assert f'id="r-{record["record_id"]}"' in page  # and the explanation has it


def test_a_revoked_key_signs_the_dashboard_out(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    token = _token(app, "auditor")
    anonymous.post("/dashboard/login", data={"token": token})
    key_id = token.split("_")[1]

    app.test_cli_runner().invoke(main, ["keys", "revoke", key_id, "--reason", "x"])

    assert anonymous.get(f"/dashboard/enterprises/{YANTAI}").status_code == 302


def test_the_session_cookie_never_holds_the_keys_secret(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    token = _token(app, "auditor")
    secret = token.split("_", 2)[2]

    signed_in = anonymous.post("/dashboard/login", data={"token": token})
    cookie = anonymous.get_cookie("session")

    assert signed_in.status_code == 302
    assert cookie is not None
    assert secret not in _decoded(cookie.value)
    key_id = str(uuid.UUID(token.split("_")[1]))
    assert json.loads(_decoded(cookie.value)) == {"key_id": key_id}
    assert anonymous.get(f"/dashboard/enterprises/{YANTAI}").status_code == 200


def test_a_session_not_signed_by_the_service_is_refused(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    key_id = _token(app, "auditor").split("_")[1]
    forged = SecureCookieSessionInterface().get_signing_serializer(app)
    assert forged is not None
    app.secret_key = b"not the service's secret"
    anonymous.set_cookie("session", forged.dumps({"key_id": key_id}))

    assert anonymous.get(f"/dashboard/enterprises/{YANTAI}").status_code == 302


def _decoded(cookie: str) -> str:
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if cookie.startswith(".") else raw).decode()


def _token(app: Flask, role: str) -> str:
    created = app.test_cli_runner().invoke(
        main, ["keys", "create", "--name", role, "--role", role]
    )
    return str(created.output.splitlines()[-1])
