"""Signed checkpoints: published at every N-th event and with the feed, and
a cut or rewritten log found by whoever kept one (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.adapters.receipts import signature_valid
from credit_svc.cli import main
from credit_svc.services import Services
from tests.integrity.tampering import log_of_six, relink, sql, state_at


def _checkpoints(bureau_with: Callable[..., FlaskClient]) -> Any:
    anyone = bureau_with(CHECKPOINT_EVERY=2)
    anyone.environ_base.pop("HTTP_AUTHORIZATION")
    return anyone.get("/log/checkpoints")


def test_anyone_gets_a_signed_checkpoint_at_every_nth_event(
    client: FlaskClient, bureau_with: Callable[..., FlaskClient]
) -> None:
    log_of_six(client)  # positions 1 to 7

    page = _checkpoints(bureau_with)
    again = _checkpoints(bureau_with)
    later = bureau_with(CHECKPOINT_EVERY=2).get("/log/checkpoints?after=4")
    pem = client.get("/receipts/public-key").json["public_key_pem"]
    public_key: Any = load_pem_public_key(pem.encode())

    assert page.status_code == 200
    signed = page.json["checkpoints"]
    assert [s["checkpoint"]["position"] for s in signed] == [2, 4, 6]
    assert all(
        signature_valid(public_key, s["checkpoint"], s["signature"]) for s in signed
    )
    assert page.json == again.json  # the same bytes each time: keep any copy
    assert [s["checkpoint"]["position"] for s in later.json["checkpoints"]] == [6]
    assert later.json["next_after"] == 6
    assert page.json["every"] == 2


def test_the_feed_carries_the_newest_checkpoint(
    client: FlaskClient, bureau_with: Callable[..., FlaskClient]
) -> None:
    log_of_six(client)

    page = bureau_with(CHECKPOINT_EVERY=3).get("/feed").json
    listed = bureau_with(CHECKPOINT_EVERY=3).get("/log/checkpoints").json

    assert page["view_position"] == 7
    assert page["checkpoint"] == listed["checkpoints"][-1]
    assert page["checkpoint"]["checkpoint"]["position"] == 6


def _kept(bureau_with: Callable[..., FlaskClient], tmp_path: Path) -> Path:
    kept = tmp_path / "checkpoints.json"
    kept.write_text(json.dumps(_checkpoints(bureau_with).json), encoding="utf-8")
    return kept


def test_verify_finds_a_cut_tail_by_a_kept_checkpoint(
    app: Flask,
    client: FlaskClient,
    services: Services,
    bureau_with: Callable[..., FlaskClient],
    tmp_path: Path,
) -> None:
    log_of_six(client)
    kept = _kept(bureau_with, tmp_path)
    runner = app.test_cli_runner()
    before = runner.invoke(main, ["verify", "--checkpoints", str(kept)])

    sql(services, "DELETE FROM {events} WHERE {pos} > ?", (5,))
    sql(services, "DELETE FROM {chain} WHERE position > ?", (5,))
    alone = runner.invoke(main, ["verify"])
    held = runner.invoke(main, ["verify", "--checkpoints", str(kept)])

    assert before.exit_code == 0, before.output
    assert alone.exit_code == 0  # a clean cut: the chain alone cannot tell
    assert held.exit_code == 1
    assert "log ends at 5, before the saved head 6" in held.output


def test_verify_finds_a_rewritten_chain_by_a_kept_checkpoint(
    app: Flask,
    client: FlaskClient,
    services: Services,
    bureau_with: Callable[..., FlaskClient],
    tmp_path: Path,
) -> None:
    log_of_six(client)
    kept = _kept(bureau_with, tmp_path)
    edited = state_at(services, 3).replace(b"2026", b"2025", 1)

    sql(services, "UPDATE {events} SET state = ? WHERE {pos} = ?", (edited, 3))
    relink(services)
    runner = app.test_cli_runner()
    alone = runner.invoke(main, ["verify"])
    held = runner.invoke(main, ["verify", "--checkpoints", str(kept)])

    assert alone.exit_code == 0  # every link was written again
    assert held.exit_code == 1
    assert "BROKEN at position 4: log differs from the saved head" in held.output


def test_a_forged_checkpoint_is_refused(
    app: Flask,
    client: FlaskClient,
    bureau_with: Callable[..., FlaskClient],
    tmp_path: Path,
) -> None:
    log_of_six(client)
    page = _checkpoints(bureau_with).json
    page["checkpoints"][1]["checkpoint"]["hash"] = "0" * 64
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(page), encoding="utf-8")

    answer = app.test_cli_runner().invoke(
        main, ["verify", "--checkpoints", str(forged)]
    )

    assert answer.exit_code == 2
    assert "checkpoint 2 (position 4) is not signed by this service's key" in (
        answer.output
    )


def test_replay_checks_the_export_against_kept_checkpoints(
    app: Flask,
    client: FlaskClient,
    bureau_with: Callable[..., FlaskClient],
    tmp_path: Path,
) -> None:
    log_of_six(client)
    kept = _kept(bureau_with, tmp_path)
    exported = tmp_path / "log.jsonl"
    runner = app.test_cli_runner()
    runner.invoke(main, ["export", str(exported)])
    lines = exported.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[:5]), encoding="utf-8")

    whole = runner.invoke(main, ["replay", str(exported), "--checkpoints", str(kept)])
    short = runner.invoke(main, ["replay", str(cut), "--checkpoints", str(kept)])

    assert whole.exit_code == 0, whole.output
    assert short.exit_code == 1
    assert "before the saved head 6" in short.output
