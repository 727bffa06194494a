"""`credit-svc replay`: recompute every grade from an export and compare with live."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.adapters.chain import GENESIS, links
from credit_svc.adapters.export import read_lines
from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import (
    MIANYANG,
    YANTAI,
    post_record,
    register,
    register_manager,
)


def _graded_log(client: FlaskClient) -> None:
    register(client)
    post_record(client, "good_credit", business_date="2026-03-01")
    bad = post_record(client, "bad_credit", business_date="2026-05-01").json
    corrected = client.post(
        f"/records/{bad['record_id']}/corrections",
        json={
            "authority": "测试住建局",
            "document_number": "更正-1",
            "reason": "复核",
            "changes": {"points": "6"},
        },
    )
    assert corrected.status_code == 201, corrected.json
    manager = register_manager(client)
    client.post(
        f"/enterprises/{YANTAI}/projects/P-1/managers",
        json={
            "manager_id": manager,
            "starts_on": "2026-01-01",
            "authority": "测试住建局",
        },
    )
    penalty = client.post(
        f"/project-managers/{manager}/records/bad-credit-records",
        json={
            "credit_code": YANTAI,
            "business_date": "2026-05-02",
            "authority": "测试住建局",
            "document_number": "PM-1",
            "violation_code": "PM-01",
            "description": "未到岗",
            "severity": "minor",
        },
    )
    assert penalty.status_code == 201, penalty.json


def _export(app: Flask, tmp_path: Path) -> Path:
    exported = tmp_path / "log.jsonl"
    result = app.test_cli_runner().invoke(main, ["export", str(exported)])
    assert result.exit_code == 0, result.output
    return exported


def _replay(app: Flask, exported: Path) -> tuple[int, list[str]]:
    result = app.test_cli_runner().invoke(main, ["replay", str(exported)])
    return result.exit_code, result.output.splitlines()


def test_replaying_the_live_log_is_identical(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    _graded_log(client)

    code, lines = _replay(app, _export(app, tmp_path))

    assert code == 0, lines
    assert lines == [
        "export chain intact: 9 events, ends at 9",
        "export head is in the live log",
        "enterprises with events after the export, not compared: 0",
        "enterprise: 1 subjects compared, 0 different",
        "record: 1 subjects compared, 0 different",
        "segment: 1 subjects compared, 0 different",
        "event: 1 subjects compared, 0 different",
        "change: 1 subjects compared, 0 different",
        "manager: 1 subjects compared, 0 different",
        "assignment: 1 subjects compared, 0 different",
        "manager_record: 1 subjects compared, 0 different",
        "result: IDENTICAL",
    ]


def test_a_live_grade_that_the_log_does_not_justify_is_named(
    app: Flask, client: FlaskClient, services: Services, tmp_path: Path
) -> None:
    _graded_log(client)
    register(client, MIANYANG)
    exported = _export(app, tmp_path)
    segment = services.view.db.dialect.table("segment")
    with services.view.db.datastore.transaction(commit=True) as cursor:
        cursor.execute(
            f"UPDATE {segment} SET grade = 'AAA' WHERE credit_code = '{YANTAI}'"
        )

    code, lines = _replay(app, exported)

    assert code == 1
    assert f"segment: 2 subjects compared, 1 different: {YANTAI}" in lines
    assert "enterprise: 2 subjects compared, 0 different" in lines
    assert lines[-1] == "result: DIFFERENT"


def test_an_edited_export_is_refused_at_the_broken_position(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    _graded_log(client)
    exported = _export(app, tmp_path)
    lines = exported.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("2026-05-01", "2025-05-01")  # the bad record
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, output = _replay(app, exported)

    assert code == 1
    assert output == [
        "export chain BROKEN at position 5: event or link does not match",
        "result: DIFFERENT",
    ]


def test_a_rewritten_export_with_a_fresh_chain_is_not_the_live_log(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    _graded_log(client)
    exported = _export(app, tmp_path)
    lines = [json.loads(text) for text in exported.read_text().splitlines()]
    lines[4]["state"] = lines[4]["state"].replace('"_data_":"8"', '"_data_":"1"')
    events, _ = read_lines(json.dumps(line) for line in lines)
    for line, new_link in zip(lines, links(GENESIS, events), strict=True):
        line["link"] = new_link.hex()
    exported.write_text("".join(json.dumps(line) + "\n" for line in lines))

    code, output = _replay(app, exported)

    assert code == 1
    assert output[0] == "export chain intact: 9 events, ends at 9"
    assert output[1] == "export head is NOT in the live log: the logs differ"
    assert f"record: 1 subjects compared, 1 different: {YANTAI}" in output
    assert output[-1] == "result: DIFFERENT"


def test_enterprises_changed_after_the_export_are_left_out_and_counted(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    _graded_log(client)
    register(client, MIANYANG)
    exported = _export(app, tmp_path)

    post_record(client, "bad_credit", MIANYANG)
    code, lines = _replay(app, exported)

    assert code == 0, lines
    assert "enterprises with events after the export, not compared: 1" in lines
    assert "segment: 1 subjects compared, 0 different" in lines


def test_a_file_that_is_not_an_export_is_a_usage_error(
    app: Flask, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.jsonl"
    junk.write_text('{"position": 1}\n', encoding="utf-8")

    result = app.test_cli_runner().invoke(main, ["replay", str(junk)])

    assert result.exit_code == 2
    assert "line 1: not an exported event" in result.output
