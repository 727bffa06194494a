"""Rate limits shared by every worker, and slowed-down guessing of keys.

Two apps on one test's storage stand for two workers (tests/test_rate_limits_
gunicorn.py runs real ones)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc import create_app


@pytest.fixture
def workers(config: dict[str, Any]) -> Iterator[list[Flask]]:
    """Two apps with a limit of 5 a minute and 3 failed keys a minute."""
    limits = {"RATE_LIMIT_PER_MINUTE": 5, "FAILED_AUTH_PER_MINUTE": 3}
    apps = [create_app(config | limits) for _ in "ab"]
    yield apps
    for flask_app in apps:
        flask_app.extensions["credit_svc"].close()


def _client(flask_app: Flask, token: str | None) -> FlaskClient:
    client = flask_app.test_client()
    if token is not None:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_one_key_has_one_count_across_workers(
    workers: list[Flask], config: dict[str, Any]
) -> None:
    token = config["TEST_BUREAU_TOKEN"]
    first, second = (_client(w, token) for w in workers)

    answers = [first.get("/rule-packs").status_code for _ in range(3)]
    answers += [second.get("/rule-packs").status_code for _ in range(4)]

    assert answers == [200] * 5 + [429] * 2


def test_repeated_wrong_keys_from_one_address_are_slowed_down(
    workers: list[Flask], config: dict[str, Any]
) -> None:
    guesses = [
        _client(workers[n % 2], f"csk_wrong_{n}").get("/rule-packs") for n in range(5)
    ]
    right = _client(workers[0], config["TEST_BUREAU_TOKEN"]).get("/rule-packs")
    anonymous = _client(workers[1], None).get("/rule-packs")

    assert [g.status_code for g in guesses] == [401, 401, 401, 429, 429]
    assert guesses[3].json["message"].startswith("too many requests")
    assert 0 < int(guesses[3].headers["Retry-After"]) <= 60
    assert right.status_code == 429  # no more keys from there this minute
    assert anonymous.status_code == 200  # public reads go on


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_by_default_the_counts_live_in_a_file_beside_the_database(
    config: dict[str, Any],
) -> None:
    database = Path(config["SQLITE_PATH"])
    flask_app = create_app(config | {"RATE_LIMIT_STORAGE_URI": ""})
    before = database.stat().st_mtime_ns
    try:
        answers = [flask_app.test_client().get("/rule-packs") for _ in range(3)]
    finally:
        flask_app.extensions["credit_svc"].close()

    counts = sqlite3.connect(database.parent / "rate-limits.sqlite3")
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert counts.execute("SELECT sum(count) FROM hits").fetchone() == (3,)
    assert database.stat().st_mtime_ns == before  # reads wrote nothing there


def _counting_limits(
    config: dict[str, Any], limit: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Flask], list[int]]:
    """Two apps with the limit, and the counts each storage call took."""
    apps = [create_app(config | {"RATE_LIMIT_PER_MINUTE": limit}) for _ in "ab"]
    taken: list[int] = []
    for flask_app in apps:
        storage = flask_app.extensions["credit_svc_rate"].counter.storage
        increment = storage.incr

        def counted(key: str, expiry: int, amount: int = 1, _i: Any = increment) -> int:
            taken.append(amount)
            return int(_i(key, expiry, amount=amount))

        monkeypatch.setattr(storage, "incr", counted)
    return apps, taken


def _alternating(apps: list[Flask], token: str, requests: int) -> list[int]:
    """Statuses of GETs made in runs of 50 by each app in turn."""
    clients = [_client(w, token) for w in apps]
    try:
        return [
            clients[(n // 50) % 2].get("/rule-packs").status_code
            for n in range(requests)
        ]
    finally:
        for flask_app in apps:
            flask_app.extensions["credit_svc"].close()


def test_a_busy_caller_is_counted_ahead_in_few_storage_calls(
    config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    apps, taken = _counting_limits(config, 64_000, monkeypatch)

    answers = _alternating(apps, config["TEST_BUREAU_TOKEN"], 700)

    assert answers == [200] * 700
    assert len(taken) < 700 // 10  # takes grow to 32 counts while spent
    assert 700 <= sum(taken) <= 700 + 2 * 32  # what is unspent, at most a take


def test_counting_ahead_never_lets_a_caller_past_the_limit(
    config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 640  # takes grow to 640 // 64 = 10 counts, then shrink near it
    apps, _ = _counting_limits(config, limit, monkeypatch)

    answers = _alternating(apps, config["TEST_BUREAU_TOKEN"], 700)

    # Never past the limit; below it by the takes left unspent (at most 10
    # each, fewer near the limit), and those lost when their second ran out.
    passed = answers.count(200)
    assert limit - 40 <= passed <= limit
    assert set(answers[-50:]) == {429}
