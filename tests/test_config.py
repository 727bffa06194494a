"""Settings checked at start: one line naming the variable, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo

from credit_svc import create_app
from credit_svc.cli import main
from credit_svc.config import load_config
from tests.conftest import POSTGRES


def _project(env: dict[str, str], command: str = "project") -> Result:
    """Run `credit-svc project` as the script does, with the variables set."""
    script = ScriptInfo(create_app=create_app, set_debug_flag=False)
    return CliRunner().invoke(main, [command], env=env, obj=script)


def _sqlite(tmp_path: Path) -> dict[str, str]:
    return {"CREDIT_SVC_SQLITE_PATH": str(tmp_path / "credit.sqlite3")}


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("RATE_LIMIT_PER_MINUTE", "abc", "a whole number, 0 or more, not 'abc'"),
        ("CHECKPOINT_EVERY", "0", "a whole number, 1 or more, not 0"),
        ("PROJECT_IN_REQUEST", "yes", "true or false, not 'yes'"),
        ("PERSISTENCE", "mysql", "sqlite or postgres, not 'mysql'"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(
    tmp_path: Path, variable: str, value: str, said: str
) -> None:
    answer = _project(_sqlite(tmp_path) | {f"CREDIT_SVC_{variable}": value})

    assert answer.exit_code == 1
    assert answer.output == f"Error: CREDIT_SVC_{variable} must be {said}\n"
    assert not (tmp_path / "credit.sqlite3").exists()  # nothing was opened


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
@pytest.mark.usefixtures("backend")  # PostgreSQL reachable (or fail under CI)
def test_a_missing_postgres_database_is_said_at_once() -> None:
    env = {f"CREDIT_SVC_{k}": str(v) for k, v in POSTGRES.items()}
    env |= {"CREDIT_SVC_PERSISTENCE": "postgres"}
    env["CREDIT_SVC_POSTGRES_DBNAME"] = "credit_svc_no_such_db"

    answer = _project(env)

    assert answer.exit_code == 1
    assert answer.output == (
        "Error: database credit_svc_no_such_db does not exist: "
        "createdb credit_svc_no_such_db\n"
    )


def test_moving_the_clock_needs_the_rehearsal_switch(tmp_path: Path) -> None:
    moved = _sqlite(tmp_path) | {"CREDIT_SVC_TODAY": "2026-01-01"}

    refused = _project(moved, "init")
    rehearsed = _project(moved | {"CREDIT_SVC_REHEARSAL": "true"}, "init")

    assert refused.exit_code == 1
    assert "CREDIT_SVC_REHEARSAL=true" in refused.output
    assert rehearsed.exit_code == 0, rehearsed.output


@pytest.mark.slow  # three child processes
def test_commands_from_any_directory_share_one_data_directory(
    tmp_path: Path,
) -> None:
    data, elsewhere, other = (tmp_path / n for n in ("data", "a", "b"))
    elsewhere.mkdir()
    other.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_SVC_")}
    env["CREDIT_SVC_DATA_DIR"] = str(data)
    script = Path(sys.executable).parent / "credit-svc"

    def run(where: Path, *args: str) -> str:
        done = subprocess.run(
            [str(script), *args], cwd=where, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run(elsewhere, "init")
    run(other, "keys", "create", "--name", "平台", "--role", "platform")
    listed = run(tmp_path, "keys", "list")

    assert "平台" in listed
    names = {p.name for p in data.iterdir()}
    assert {
        "credit_svc.sqlite3",
        "receipt-signing-key.pem",
        "personal-data-key",
    } <= names
    assert not list(elsewhere.iterdir())  # nothing beside where it ran
    assert not list(other.iterdir())


def test_without_a_data_directory_the_instance_folder_holds_the_data() -> None:
    app = Flask("credit_svc")
    load_config(app, {"SIGNING_KEY_FILE": "/etc/credit/signing.pem"})

    data = Path(app.instance_path)
    assert app.config["DATA_DIR"] == str(data)
    assert app.config["SQLITE_PATH"] == str(data / "credit_svc.sqlite3")
    assert app.config["PERSONAL_DATA_KEY_FILE"] == str(data / "personal-data-key")
    assert app.config["SIGNING_KEY_FILE"] == "/etc/credit/signing.pem"  # absolute
