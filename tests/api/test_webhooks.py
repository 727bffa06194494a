"""Webhooks: subscriptions, the outbox the projector writes, and the worker
that delivers it, signed, retried, and sent again after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.adapters.webhook_sender import signature
from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import MIANYANG, YANTAI, overwrite_grades, post_record, register
from tests.processes import BIN, ROOT, environment, free_port, run_cli
from tests.receiver import Receiver

SECRET = "s3cret-of-the-platform-0001"


@pytest.fixture
def admin(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    """An admin's client."""
    return client_as("admin")


def subscribe(admin: FlaskClient, url: str, **settings: Any) -> dict[str, Any]:
    """Register a subscription; return it as answered."""
    answer = admin.post(
        "/subscriptions", json={"url": url, "secret": SECRET} | settings
    )
    assert answer.status_code == 201, answer.json
    return dict(answer.json)


def test_only_an_admin_manages_subscriptions_and_never_sees_a_secret(
    admin: FlaskClient, client: FlaskClient, services: Services
) -> None:
    refused = client.post(
        "/subscriptions", json={"url": "https://p.example/hook", "secret": SECRET}
    )
    bad = admin.post(
        "/subscriptions",
        json={"url": "ftp://p.example/", "secret": "short", "item_types": ["x"]},
    )
    made = subscribe(admin, "https://p.example/hook", jurisdictions=["37"])

    assert refused.status_code == 403
    assert client.get("/subscriptions").status_code == 403
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"url", "secret", "item_types"}
    assert [s["subscription_id"] for s in admin.get("/subscriptions").json] == [
        made["subscription_id"]
    ]
    assert "secret" not in made
    assert made["item_types"] == ["record", "record_change", "grade"]
    assert made["deliveries"] == {"pending": 0, "delivered": 0, "dead": 0}
    stored = services.view.outbox.subscription(made["subscription_id"])
    assert stored is not None
    assert SECRET not in stored.sealed_secret  # sealed under the server key


def test_deliveries_are_queued_with_the_feed_items_they_announce(
    admin: FlaskClient, client: FlaskClient, services: Services
) -> None:
    register(client)  # before the subscription: not announced to it
    made = subscribe(
        admin, "https://p.example/hook", jurisdictions=["37"], item_types=["record"]
    )
    register(client, MIANYANG)
    post_record(client, "good_credit")
    post_record(client, "good_credit", MIANYANG)

    feed = client.get("/feed").json["items"]
    ours = [
        i["seq"]
        for i in feed
        if i["type"] == "record" and i["jurisdiction"] == "370602"
    ]
    queued = services.view.outbox.deliveries(made["subscription_id"], "pending", 0, 100)

    assert len(ours) == 1
    assert [d["seq"] for d in queued] == ours
    assert queued[0]["delivery_id"] == f"{ours[0]}.{made['subscription_id']}"


def test_a_rebuild_that_repairs_grades_queues_its_announcements(
    app: Flask, admin: FlaskClient, client: FlaskClient, services: Services
) -> None:
    register(client)
    post_record(client, "good_credit")
    made = subscribe(admin, "https://p.example/hook", item_types=["grade"])
    overwrite_grades(services, "C")

    app.test_cli_runner().invoke(main, ["rebuild", "--apply"])

    queued = services.view.outbox.deliveries(made["subscription_id"], "pending", 0, 100)
    grade_items = [
        i["seq"] for i in client.get("/feed").json["items"] if i["type"] == "grade"
    ]
    assert [d["seq"] for d in queued] == grade_items[-1:]


def test_ending_a_subscription_queues_nothing_more(
    admin: FlaskClient, client: FlaskClient, services: Services
) -> None:
    made = subscribe(admin, "https://p.example/hook")
    register(client)
    ended = admin.delete(f"/subscriptions/{made['subscription_id']}")
    post_record(client, "good_credit")

    assert ended.status_code == 200
    assert ended.json["ended_at"]
    assert admin.delete("/subscriptions/nope").status_code == 404
    queued = services.view.outbox.deliveries(made["subscription_id"], "pending", 0, 100)
    assert {d["seq"] for d in queued} < {
        i["seq"] for i in client.get("/feed").json["items"]
    }


@pytest.mark.slow
def test_a_receiver_gets_every_delivery_signed_as_the_feed_shows_it(
    config: dict[str, Any], admin: FlaskClient, client: FlaskClient
) -> None:
    with Receiver(SECRET) as receiver:
        subscribe(admin, receiver.url)
        register(client)
        post_record(client, "good_credit")
        post_record(client, "bad_credit", flags=[])

        printed = run_cli(environment(config), "deliver", "--once")

        feed = client.get("/feed").json["items"]
    assert receiver.bad_signatures == 0
    assert [b["item"] for b in receiver.bodies] == feed
    assert sorted(receiver.seen.values()) == [1] * len(feed)
    assert f"delivered {len(feed)}" in printed


@pytest.mark.slow
def test_failed_deliveries_retry_then_wait_as_dead_letters_until_replayed(
    config: dict[str, Any], admin: FlaskClient, client: FlaskClient
) -> None:
    port = free_port()  # nothing listens there yet
    made = subscribe(admin, f"http://127.0.0.1:{port}/hook", item_types=["record"])
    register(client)
    post_record(client, "good_credit")
    post_record(client, "appraisal")
    env = environment(config | {"DELIVERY_ATTEMPTS": 3, "DELIVERY_RETRY_SECONDS": 0})
    deliveries = f"/subscriptions/{made['subscription_id']}/deliveries"

    first = run_cli(env, "deliver", "--once")
    retrying = admin.get(deliveries, query_string={"state": "pending"}).json
    run_cli(env, "deliver", "--once")
    run_cli(env, "deliver", "--once")
    dead = admin.get(deliveries).json

    assert "to retry 2" in first
    assert [d["attempts"] for d in retrying] == [1, 1]
    assert "ConnectionError" in retrying[0]["last_error"]
    assert [d["attempts"] for d in dead] == [3, 3]
    assert admin.get(f"/subscriptions/{made['subscription_id']}").json[
        "deliveries"
    ] == {"pending": 0, "delivered": 0, "dead": 2}
    with Receiver(SECRET, port) as receiver:
        replayed = admin.post(
            f"/subscriptions/{made['subscription_id']}/dead-letters/replay", json={}
        )
        run_cli(env, "deliver", "--once")
    assert replayed.json == {"replayed": 2}
    assert set(receiver.seen) == {d["delivery_id"] for d in dead}
    assert admin.get(deliveries).json == []


@pytest.mark.slow
def test_the_worker_clears_received_deliveries_after_the_kept_days(
    config: dict[str, Any], admin: FlaskClient, client: FlaskClient
) -> None:
    down_url = f"http://127.0.0.1:{free_port()}/hook"
    down = subscribe(admin, down_url, item_types=["record"])
    with Receiver(SECRET) as receiver:
        up = subscribe(admin, receiver.url, item_types=["record"])
        register(client)
        post_record(client, "good_credit")
        post_record(client, "appraisal")
        env = environment(config | {"DELIVERY_ATTEMPTS": 1})
        sent = run_cli(env, "deliver", "--once")
        kept = run_cli(env, "deliver", "--once")  # 30 days by default
        kept_rows = admin.get(f"/subscriptions/{up['subscription_id']}").json
        now = env | {"CREDIT_SVC_DELIVERY_KEEP_DAYS": "0"}
        cleared = run_cli(now, "deliver", "--once")
    counts = {
        s: admin.get(f"/subscriptions/{s}").json["deliveries"]
        for s in (up["subscription_id"], down["subscription_id"])
    }

    assert "delivered 2, to retry 0, dead letters 2" in sent
    assert "cleared" not in kept
    assert kept_rows["deliveries"] == {"pending": 0, "delivered": 2, "dead": 0}
    assert "cleared 2 deliveries received long ago" in cleared
    assert counts[up["subscription_id"]] == {"pending": 0, "delivered": 0, "dead": 0}
    # the dead letters are the queue: they stay to be replayed
    assert counts[down["subscription_id"]] == {"pending": 0, "delivered": 0, "dead": 2}
    assert len(receiver.seen) == 2


@pytest.mark.slow
def test_a_worker_killed_mid_burst_loses_no_delivery(
    config: dict[str, Any], admin: FlaskClient, client: FlaskClient, services: Services
) -> None:
    with Receiver(SECRET) as receiver:
        subscribe(admin, receiver.url, item_types=["record"])
        register(client)
        for batch in range(5):
            records = [
                {
                    "kind": "appraisal",
                    "credit_code": YANTAI,
                    "business_date": "2026-01-10",
                    "authority": "测试住建局",
                    "document_number": f"B{batch}-{n}",
                    "assessor_type": "owners_committee",
                    "period": "2025-H2",
                    "rating": "good",
                }
                for n in range(100)
            ]
            posted = client.post("/records/batch", json={"records": records})
            assert posted.status_code == 201, posted.json
        outbox = set(services.view.outbox.ids())
        env = environment(config | {"DELIVERY_LEASE_SECONDS": 1})
        command = [str(BIN / "credit-svc"), "deliver", "--batch", "50"]

        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        _wait_for(lambda: len(receiver.seen) >= 120)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        at_kill = len(receiver.seen)
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        try:
            _wait_for(lambda: len(receiver.seen) >= len(outbox))
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()

    assert len(outbox) == 500
    assert at_kill < 500  # killed mid-burst
    assert set(receiver.seen) == outbox
    assert receiver.bad_signatures == 0


def _wait_for(done: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_guides_receiver_accepts_a_delivery_once_and_refuses_forgeries() -> None:
    text = (ROOT / "docs/api.md").read_text(encoding="utf-8")
    start = text.index("A receiver's check, in ten lines")
    code = text[text.index("```python\n", start) + 10 : text.index("```\n", start + 40)]
    scope: dict[str, Any] = {}
    exec(code, scope)
    verified = scope["verified"]
    body = b'{"delivery_id": "7.s", "item": {}}'
    now = int(time.time())
    headers = {
        "X-Credit-Svc-Timestamp": str(now),
        "X-Credit-Svc-Signature": signature(SECRET, now, body),
        "X-Credit-Svc-Delivery": "7.s",
    }
    seen: set[str] = set()

    assert len([line for line in code.splitlines() if line.strip()]) <= 10
    assert verified(SECRET.encode(), headers, body, seen) is True
    assert verified(SECRET.encode(), headers, body, seen) is False  # a repeat
    assert verified(SECRET.encode(), headers, body + b" ", set()) is False
    stale = headers | {"X-Credit-Svc-Timestamp": str(now - 3600)}
    assert verified(SECRET.encode(), stale, body, set()) is False


def test_metrics_count_the_outbox_by_state(
    admin: FlaskClient, client: FlaskClient
) -> None:
    subscribe(admin, "https://p.example/hook", item_types=["record"])
    register(client)
    post_record(client, "good_credit")
    post_record(client, "appraisal")

    text = admin.get("/metrics").get_data(as_text=True)

    assert 'credit_svc_webhook_deliveries{state="pending"} 2.0' in text
    assert 'credit_svc_webhook_deliveries{state="dead"} 0.0' in text
