"""Webhook subscriptions as an admin's pages: the counts, the dead letters
with their errors, and the buttons that send them again or end one."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.usecases.api_keys import issue_key
from tests.factories import post_record, register
from tests.processes import free_port
from tests.web.test_dashboard import sign_in

SECRET = "s3cret-of-the-platform-0001"


@pytest.fixture
def admin_page(app: Flask) -> FlaskClient:
    """An admin signed in to the pages."""
    browser = app.test_client()
    sign_in(browser, issue_key(app.extensions["credit_svc"].app, "管理员", "admin")[1])
    return browser


def _nonce(html: str) -> str:
    found = re.search(r'name="nonce" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _dead_letter(app: Flask, client_as: Callable[..., FlaskClient]) -> str:
    """Subscribe to a port where nothing listens, post a record, and let one
    attempt fail: return the subscription's id."""
    made = client_as("admin").post(
        "/subscriptions",
        json={
            "url": f"http://127.0.0.1:{free_port()}/hook",
            "secret": SECRET,
            "item_types": ["record"],
        },
    )
    assert made.status_code == 201, made.json
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = (
        f"Bearer {app.config['TEST_BUREAU_TOKEN']}"
    )
    register(client)
    post_record(client, "good_credit")
    app.config["DELIVERY_ATTEMPTS"] = 1
    ran = app.test_cli_runner().invoke(main, ["deliver", "--once"])
    assert "dead letters 1" in ran.output, ran.output
    return str(made.json["subscription_id"])


def test_an_admin_sees_a_dead_letter_and_sends_it_again(
    app: Flask, admin_page: FlaskClient, client_as: Callable[..., FlaskClient]
) -> None:
    subscription_id = _dead_letter(app, client_as)
    url = f"/workbench/subscriptions/{subscription_id}"

    bench = admin_page.get("/workbench/").get_data(as_text=True)
    listed = admin_page.get("/workbench/subscriptions/").get_data(as_text=True)
    before = admin_page.get(url).get_data(as_text=True)
    replayed = admin_page.post(f"{url}/replay", data={"nonce": _nonce(before)})
    after = admin_page.get(url).get_data(as_text=True)
    ended = admin_page.post(f"{url}/end", data={"nonce": _nonce(after)})
    api = client_as("admin").get(f"/subscriptions/{subscription_id}").json

    assert 'id="subscriptions"' in bench
    assert '<td class="dead">1</td>' in listed
    assert 'id="dead-count">1<' in before
    assert "ConnectionError" in before  # the last error, as the API lists it
    assert replayed.status_code == 302
    assert replayed.headers["Location"] == url
    assert 'id="pending">1<' in after
    assert 'id="dead-count">0<' in after
    assert ended.status_code == 302
    assert api["ended_at"] is not None
    assert api["deliveries"] == {"pending": 1, "delivered": 0, "dead": 0}


def test_only_an_admin_from_its_own_form_changes_anything(
    app: Flask,
    admin_page: FlaskClient,
    anonymous: FlaskClient,
    client_as: Callable[..., FlaskClient],
) -> None:
    subscription_id = _dead_letter(app, client_as)
    url = f"/workbench/subscriptions/{subscription_id}"
    auditor = app.test_client()
    sign_in(auditor, issue_key(app.extensions["credit_svc"].app, "审计", "auditor")[1])
    nonce = _nonce(admin_page.get(url).get_data(as_text=True))

    answers = {
        "public": anonymous.get(url),
        "auditor reads": auditor.get("/workbench/subscriptions/"),
        "auditor replays": auditor.post(f"{url}/replay", data={"nonce": nonce}),
        "forged replay": admin_page.post(f"{url}/replay"),
        "forged end": admin_page.post(f"{url}/end", data={"nonce": "x"}),
        "no such": admin_page.get("/workbench/subscriptions/nope"),
    }
    api = client_as("admin").get(f"/subscriptions/{subscription_id}").json

    assert {k: a.status_code for k, a in answers.items()} == {
        "public": 302,
        "auditor reads": 403,
        "auditor replays": 403,
        "forged replay": 400,
        "forged end": 400,
        "no such": 404,
    }
    assert all(a.mimetype == "text/html" for k, a in answers.items() if k != "public")
    assert api["ended_at"] is None
    assert api["deliveries"] == {"pending": 0, "delivered": 0, "dead": 1}
