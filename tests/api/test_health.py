"""Liveness and readiness probes: anyone may ask; not ready is a 503 envelope."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from tests.api.test_pack_change import _packs, _two_month_validity
from tests.factories import post_record, register


@pytest.fixture(autouse=True)
def recheck_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check the view's packs on every request, not every few seconds."""
    monkeypatch.setattr("credit_svc.usecases.pack_check.RECHECK_SECONDS", 0.0)


def test_a_live_worker_says_so_to_anyone(anonymous: FlaskClient) -> None:
    answer = anonymous.get("/healthz")

    assert (answer.status_code, answer.json) == (200, {"status": "ok"})


def test_a_worker_in_step_with_the_log_is_ready(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client)

    answer = anonymous.get("/readyz")

    assert answer.status_code == 200
    assert answer.json["ready"] is True
    assert answer.json["lag"] == 0
    assert answer.json["log_position"] == answer.json["view_position"] == 3
    assert "shandong-yantai@2022.1" in answer.json["packs"]


def test_a_view_too_far_behind_is_not_ready_until_projected(
    bureau_with: Callable[..., FlaskClient], app: Flask
) -> None:
    lagging = bureau_with(PROJECT_IN_REQUEST=False, READY_MAX_LAG=1)
    register(lagging)
    post_record(lagging, "good_credit")
    behind = lagging.get("/readyz")
    app.test_cli_runner().invoke(main, ["project"])
    caught_up = lagging.get("/readyz")

    assert behind.status_code == 503
    assert behind.json["code"] == 503
    lag = behind.json["log_position"] - behind.json["view_position"]
    assert lag > 1
    assert behind.json["lag"] == lag
    assert behind.json["message"] == (
        f"not ready: the grade view is {lag} events behind (1 at most)"
    )
    assert caught_up.status_code == 200


def test_a_view_of_other_packs_is_not_ready(
    client: FlaskClient, bureau_with: Callable[..., FlaskClient], tmp_path: Path
) -> None:
    register(client)
    other = _packs(tmp_path, "other", _two_month_validity)

    answer = bureau_with(RULE_PACK_DIR=str(other)).get("/readyz")

    assert answer.status_code == 503
    assert answer.json["packs_fit_view"] is False
    assert "other rule packs" in answer.json["message"]


def test_a_database_that_does_not_answer_is_not_ready(
    anonymous: FlaskClient, services: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> int:
        raise OSError("connection refused")

    monkeypatch.setattr(services.app.recorder, "max_notification_id", down)

    answer = anonymous.get("/readyz")
    alive = anonymous.get("/healthz")

    assert answer.status_code == 503
    assert answer.json["message"] == "not ready: the database does not answer"
    assert alive.status_code == 200  # the process still answers
