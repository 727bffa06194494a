"""`credit-svc import`: CSV or JSON Lines, checked line by line, all or nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import YANTAI, credit_code, record_body, register


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


def _line(kind: str, number: str, **overrides: Any) -> dict[str, Any]:
    body = record_body(kind, document_number=number, **overrides)
    return {"credit_code": YANTAI, "kind": kind} | body


def _import(app: Flask, path: Path) -> Any:
    return app.test_cli_runner().invoke(main, ["import", str(path)])


def test_a_good_file_is_imported_and_graded(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    register(client)
    rows = [
        _line("good_credit", "G-1"),
        _line("bad_credit", "B-1"),
        _line("inspection", "I-1"),
    ]

    result = _import(app, _jsonl(tmp_path / "records.jsonl", rows))

    assert result.exit_code == 0, result.output
    assert "imported 0 enterprises and 3 records, skipped 0 already" in result.output
    listed = client.get(f"/enterprises/{YANTAI}/records").json
    assert sorted(r["document_number"] for r in listed) == ["B-1", "G-1", "I-1"]
    assert client.get(f"/enterprises/{YANTAI}/grade/history").json


def test_one_bad_line_stops_the_import_with_a_report_and_writes_nothing(
    app: Flask, client: FlaskClient, services: Services, tmp_path: Path
) -> None:
    register(client)
    before = services.ledger.head()
    rows = [
        _line("good_credit", "G-1"),
        _line("bad_credit", "B-1", severity="catastrophic"),
        {"credit_code": "91370602MA0000000X", "kind": "good_credit"},
        _line("inspection", "I-1", project_code="NO-SUCH"),
    ]
    path = _jsonl(tmp_path / "records.jsonl", rows)
    path.write_text(path.read_text() + "{not json\n")

    result = _import(app, path)

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("line 2: ") and "severity" in line for line in lines)
    assert any(line.startswith("line 3: ") for line in lines)
    assert "line 4: project_code: project NO-SUCH is not a project of" in result.output
    assert "line 5: not JSON" in result.output
    assert "4 bad lines: nothing imported" in result.output
    assert services.ledger.head() == before


def test_running_a_file_twice_imports_it_once(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    register(client)
    path = _jsonl(
        tmp_path / "r.jsonl", [_line("good_credit", "G-1"), _line("good_credit", "G-1")]
    )

    first, second = _import(app, path), _import(app, path)
    head = re.search(r"log at (\d+);", first.output)

    assert "and 1 records, skipped 1 already recorded" in first.output
    assert "and 0 records, skipped 2 already recorded" in second.output
    assert head is not None
    assert f"log at {head[1]};" in second.output  # the log's head, not 0
    assert int(head[1]) > 0
    assert len(client.get(f"/enterprises/{YANTAI}/records").json) == 1


def test_a_csv_file_with_list_cells_is_imported(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    register(client)
    path = tmp_path / "inspections.csv"
    path.write_text(
        "credit_code,kind,business_date,authority,document_number,project_code,"
        "inspection_type,score,findings\n"
        f"{YANTAI},inspection,2026-01-10,测试住建局,CSV-1,P-1,routine,88,楼道堆物;消防通道\n",
        encoding="utf-8",
    )

    result = _import(app, path)

    assert result.exit_code == 0, result.output
    record = client.get(f"/enterprises/{YANTAI}/records").json[0]
    assert record["details"]["findings"] == ["楼道堆物", "消防通道"]
    assert record["details"]["score"] == "88"


NEW_FIRM = "91370602MA3C4K7Q11"  # a valid code the factories do not register


def _enterprise_line(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "enterprise",
        "credit_code": NEW_FIRM,
        "name": "导入物业有限公司",
        "jurisdiction": "370602",
        "authority": "测试住建局",
        "projects": [{"code": "P-9", "name": "导入小区"}],
    } | overrides


def test_an_enterprise_line_registers_it_for_the_record_lines_after_it(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    rows = [
        _enterprise_line(),
        _line("good_credit", "G-1") | {"credit_code": NEW_FIRM},
        _line("inspection", "I-1", project_code="P-9") | {"credit_code": NEW_FIRM},
    ]
    path = _jsonl(tmp_path / "onboarding.jsonl", rows)

    first, again = _import(app, path), _import(app, path)

    assert first.exit_code == 0, first.output
    assert "imported 1 enterprises and 2 records, skipped 0" in first.output
    assert "imported 0 enterprises and 0 records, skipped 3" in again.output
    firm = client.get(f"/enterprises/{NEW_FIRM}").json
    projects = [(p["code"], p["name"]) for p in firm["projects"]]
    assert (firm["name"], projects) == ("导入物业有限公司", [("P-9", "导入小区")])
    assert len(client.get(f"/enterprises/{NEW_FIRM}/records").json) == 2


def test_a_bad_line_after_a_new_enterprise_registers_nothing(
    app: Flask, client: FlaskClient, services: Services, tmp_path: Path
) -> None:
    before = services.ledger.head()
    rows = [
        _enterprise_line(),
        _line("inspection", "I-1", project_code="P-1") | {"credit_code": NEW_FIRM},
        _enterprise_line(credit_code="91370602MA3C4K7Q12"),  # bad check character
    ]

    result = _import(app, _jsonl(tmp_path / "bad.jsonl", rows))

    assert result.exit_code == 1
    assert "line 2: project_code: project P-1 is not a project of" in result.output
    assert "line 3: " in result.output
    assert services.ledger.head() == before
    assert client.get(f"/enterprises/{NEW_FIRM}").status_code == 404


def test_a_csv_file_registers_enterprises_with_their_projects(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    path = tmp_path / "firms.csv"
    path.write_text(
        "kind,credit_code,name,jurisdiction,authority,projects\n"
        f"enterprise,{NEW_FIRM},导入物业有限公司,370602,测试住建局,"
        "P-1=一号小区;P-2=二号小区\n",
        encoding="utf-8",
    )

    result = _import(app, path)

    assert result.exit_code == 0, result.output
    projects = client.get(f"/enterprises/{NEW_FIRM}").json["projects"]
    assert [p["code"] for p in projects] == ["P-1", "P-2"]


def test_every_error_of_a_bad_line_is_reported_at_once_in_one_style(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    register(client)
    unregistered = credit_code(77)
    rows = [
        _line("bad_credit", "B-1", severity="catastrophic", business_date="soon"),
        _line("good_credit", "G-1", credit_code=unregistered, level="galactic"),
    ]

    result = _import(app, _jsonl(tmp_path / "bad.jsonl", rows))

    first = next(x for x in result.output.splitlines() if x.startswith("line 1: "))
    second = next(x for x in result.output.splitlines() if x.startswith("line 2: "))
    assert "business_date: " in first
    assert "severity: " in first
    assert "; " in first  # both, in one line
    assert f"credit_code: enterprise {unregistered} is not registered" in second
    assert "level: " in second
    assert "{" not in first + second  # field: message, not a dumped dict


def test_an_import_shows_progress_for_each_phase(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    register(client)
    path = _jsonl(tmp_path / "r.jsonl", [_line("good_credit", "G-1")])

    result = _import(app, path)

    assert result.exit_code == 0, result.output
    for phase in ("checking", "writing", "projecting"):
        assert phase in result.stderr


def test_a_project_of_an_enterprise_without_projects_is_refused(
    app: Flask, tmp_path: Path
) -> None:
    rows = [
        _enterprise_line(projects=[]),
        _line("inspection", "I-1", project_code="P-9") | {"credit_code": NEW_FIRM},
    ]

    result = _import(app, _jsonl(tmp_path / "no-projects.jsonl", rows))

    assert result.exit_code == 1
    assert f"line 2: project_code: project P-9 is not a project of {NEW_FIRM}" in (
        result.output
    )
