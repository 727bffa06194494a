"""The auditor dashboard and its sign-in, through the Flask client."""

from __future__ import annotations

import base64
import json
import re
import uuid
import zlib

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from credit_svc.cli import main
from tests.factories import YANTAI, post_record, register


def test_a_sign_in_posted_from_another_page_is_refused(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    # e.g. an attacker's own key, posted by their page
    token = issue_token(app, "auditor")

    refused = anonymous.post("/dashboard/login", data={"token": token})
    forged = anonymous.post("/dashboard/login", data={"token": token, "nonce": "x"})

    assert refused.status_code == forged.status_code == 400
    assert "The form expired" in forged.get_data(as_text=True)
    assert anonymous.get(f"/dashboard/enterprises/{YANTAI}").status_code == 302
    assert sign_in(anonymous, token).status_code == 302  # from the form: signed in


def test_a_sign_out_posted_from_another_page_signs_nobody_out(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    sign_in(anonymous, issue_token(app, "auditor"))
    page = f"/dashboard/enterprises/{YANTAI}"

    forged = anonymous.post("/dashboard/logout", data={"nonce": "x"})
    still_in = anonymous.get(page).status_code
    search = anonymous.get("/dashboard/").get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', search)
    assert nonce is not None
    signed_out = anonymous.post("/dashboard/logout", data={"nonce": nonce.group(1)})

    assert forged.status_code == 400
    assert "The form expired" in forged.get_data(as_text=True)
    assert still_in == 200
    assert signed_out.status_code == 302
    assert anonymous.get(page).status_code == 302  # back to the sign-in


def test_the_audit_pages_need_a_readers_key(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    platform_token = issue_token(app, "platform")

    redirected = anonymous.get(f"/dashboard/enterprises/{YANTAI}")
    wrong_key = sign_in(anonymous, "csk_not_a_key")
    signed_in = sign_in(anonymous, platform_token)  # to its own workbench
    audit = anonymous.get(f"/dashboard/enterprises/{YANTAI}")
    search = anonymous.get("/dashboard/")

    assert redirected.status_code == 302
    assert redirected.headers["Location"].endswith("/dashboard/login")
    assert wrong_key.status_code == 401
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"].endswith("/workbench/")
    assert audit.status_code == search.status_code == 403
    assert audit.mimetype == "text/html"
    assert "审计页面仅供" in audit.get_data(as_text=True)


def test_the_dashboard_charts_grades_and_links_changes_to_records(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    record = post_record(client, "good_credit", business_date="2026-03-01").json
    sign_in(anonymous, issue_token(app, "auditor"))

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
    token = issue_token(app, "auditor")
    sign_in(anonymous, token)
    key_id = token.split("_")[1]

    app.test_cli_runner().invoke(main, ["keys", "revoke", key_id, "--reason", "x"])

    assert anonymous.get(f"/dashboard/enterprises/{YANTAI}").status_code == 302


def test_the_session_cookie_never_holds_the_keys_secret(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    token = issue_token(app, "auditor")
    secret = token.split("_", 2)[2]

    signed_in = sign_in(anonymous, token)
    cookie = anonymous.get_cookie("session")

    assert signed_in.status_code == 302
    assert cookie is not None
    assert secret not in _decoded(cookie.value)
    key_id = str(uuid.UUID(token.split("_")[1]))
    held = json.loads(_decoded(cookie.value))
    assert held.keys() == {"key_id", "form_nonce"}  # the id, and the forms' nonce
    assert held["key_id"] == key_id
    assert anonymous.get(f"/dashboard/enterprises/{YANTAI}").status_code == 200


def test_a_session_not_signed_by_the_service_is_refused(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    key_id = issue_token(app, "auditor").split("_")[1]
    forged = SecureCookieSessionInterface().get_signing_serializer(app)
    assert forged is not None
    app.secret_key = b"not the service's secret"
    anonymous.set_cookie("session", forged.dumps({"key_id": key_id}))

    assert anonymous.get(f"/dashboard/enterprises/{YANTAI}").status_code == 302


def _decoded(cookie: str) -> str:
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if cookie.startswith(".") else raw).decode()


def issue_token(app: Flask, role: str) -> str:
    created = app.test_cli_runner().invoke(
        main, ["keys", "create", "--name", role, "--role", role]
    )
    return str(created.output.splitlines()[-1])


def sign_in(browser: FlaskClient, token: str) -> TestResponse:
    """Sign in as a browser does: read the form, post it back with its nonce."""
    form = browser.get("/dashboard/login").get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', form)
    assert nonce is not None
    return browser.post(
        "/dashboard/login", data={"token": token, "nonce": nonce.group(1)}
    )


def test_the_dashboard_says_where_an_override_set_the_grade(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    post_record(
        client,
        "list_entry",
        business_date="2026-03-01",
        list_type="blacklist",
        reason="严重违法",
        term_months=12,
    )
    sign_in(anonymous, issue_token(app, "auditor"))

    page = anonymous.get(
        f"/dashboard/enterprises/{YANTAI}", query_string={"as_of": "2026-04-01"}
    ).get_data(as_text=True)

    assert 'id="override"' in page
    assert "因「列入黑名单」定为 BL" in page
    assert 'id="today"' in page
    assert page.count('class="tick"') == 10  # a mark and a date, five times


def test_why_a_record_does_not_count_is_said_in_chinese(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)
    post_record(client, "good_credit", business_date="2026-03-01")
    sign_in(anonymous, issue_token(app, "auditor"))

    page = anonymous.get(
        f"/dashboard/enterprises/{YANTAI}", query_string={"as_of": "2026-02-01"}
    ).get_data(as_text=True)
    not_counted = page[page.index('id="not-counted"') :]

    assert "尚未生效，业务日期 2026-03-01" in not_counted
