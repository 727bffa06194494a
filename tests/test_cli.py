"""The credit-svc command: demo data loads once and grades as documented."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main


def test_demo_loads_once_and_is_graded(app: Flask, client: FlaskClient) -> None:
    runner = app.test_cli_runner()

    first = runner.invoke(main, ["demo"])
    second = runner.invoke(main, ["demo"])

    assert first.exit_code == 0, first.output
    assert first.output.startswith("demo data: 18 new events")
    assert second.output.startswith("demo data: 0 new events")
    blacklist = client.get("/boards/blacklist?jurisdiction=5107&as_of=2026-11-01").json
    assert [e["credit_code"] for e in blacklist] == ["91510704MA6AB3C82N"]
    graded = client.get("/enterprises/91370602MA3C4K7Q11/grade?as_of=2026-11-01").json
    assert (graded["score"], graded["grade"]) == ("84", "AA")


def test_init_is_idempotent(app: Flask) -> None:
    result = app.test_cli_runner().invoke(main, ["init"])

    assert result.exit_code == 0, result.output
    assert result.output.endswith("storage\n")
