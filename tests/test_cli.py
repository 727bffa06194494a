"""The credit-svc command: demo data loads once and grades as documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main


def test_demo_loads_once_and_is_graded(app: Flask, client: FlaskClient) -> None:
    runner = app.test_cli_runner()

    first = runner.invoke(main, ["demo"])
    second = runner.invoke(main, ["demo"])

    assert first.exit_code == 0, first.output
    assert first.output.startswith("demo data: 29 new events")
    assert second.output.startswith("demo data: 0 new events")
    blacklist = client.get("/boards/blacklist?jurisdiction=5107&as_of=2026-11-01").json
    assert [e["credit_code"] for e in blacklist] == ["91510704MA6AB3C82N"]
    graded = client.get("/enterprises/91370602MA3C4K7Q11/grade?as_of=2026-11-01").json
    assert (graded["score"], graded["grade"]) == ("84", "AA")
    managers = client.get(
        "/project-managers/blacklist?jurisdiction=51&as_of=2026-11-01"
    )
    assert [m["name"] for m in managers.json] == ["王磊"]
    black = client.get("/boards/black?jurisdiction=37&as_of=2026-11-01").json
    assert ("91370613MA3D2L8R5C", "YT-101") in {
        (e["credit_code"], e["project_code"]) for e in black
    }
    rated = client.get("/projects/TA-001/standing?as_of=2025-12-11").json
    assert (rated["stars"], rated["ratings"][0]["score"]) == (5, "105")


def test_init_creates_the_keys_it_lacks(app: Flask, tmp_path: Path) -> None:
    app.config["PERSONAL_DATA_KEY_FILE"] = str(tmp_path / "new" / "personal-key")

    result = app.test_cli_runner().invoke(main, ["init"])

    assert result.exit_code == 0, result.output
    assert "created the personal-data key" in result.output
    assert (tmp_path / "new" / "personal-key").stat().st_mode & 0o777 == 0o600


def test_init_is_idempotent(app: Flask) -> None:
    result = app.test_cli_runner().invoke(main, ["init"])

    where = app.config["SQLITE_PATH"] if app.config["PERSISTENCE"] == "sqlite" else ""
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == f"initialised {app.config['PERSISTENCE']} storage {where}".rstrip() + "\n"
    )


def test_a_command_on_a_database_never_initialised_names_the_step(
    uninitialised_app: Flask,
) -> None:
    result = uninitialised_app.test_cli_runner().invoke(main, ["verify"])

    assert result.exit_code == 1
    assert "run `credit-svc init` first" in result.output


def test_the_command_line_lists_its_own_commands_only() -> None:
    runner = CliRunner()

    shown = runner.invoke(main, ["--help"])
    version = runner.invoke(main, ["--version"])

    listed = {
        line.split()[0]
        for line in shown.output.split("Commands:")[1].splitlines()
        if line.strip()
    }
    assert listed == {
        *("demo", "draw", "export", "import", "init", "keys", "openapi", "project"),
        *("rebuild", "replay", "serve", "verify", "deliver", "exchange"),
    }
    assert "--app" not in shown.output
    assert "--env-file" not in shown.output
    assert version.output == "credit-svc, version 0.1.0\n"


def test_every_option_says_what_it_is_for() -> None:
    def commands(group: click.Group) -> Iterator[click.Command]:
        for command in group.commands.values():
            yield command
            if isinstance(command, click.Group):
                yield from commands(command)

    silent = [
        f"{command.name} {param.name}"
        for command in commands(main)
        for param in command.params
        if isinstance(param, click.Option) and not param.help
    ]

    assert silent == []
