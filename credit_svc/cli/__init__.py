"""The credit-svc command: init, serve, demo data, keys, import, projection,
rebuild, the log's checks, and `openapi write`.

Its own commands only: a plain click group whose commands open the service's
app through Flask's ScriptInfo (`run`), not Flask's group with its `run`,
`shell`, `routes` and `--app` options.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import click
from eventsourcing.persistence import PersistenceError
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from credit_svc import create_app
from credit_svc.adapters.persistence import initialising, is_missing_table
from credit_svc.adapters.personal_data import create_personal_data_key
from credit_svc.adapters.receipts import create_key_file
from credit_svc.adapters.secret_box import create_server_key
from credit_svc.cli.deliver import deliver_command
from credit_svc.cli.draws import draw_command
from credit_svc.cli.exchange import exchange
from credit_svc.cli.imports import import_command
from credit_svc.cli.keys import keys
from credit_svc.cli.log import export_command, replay_command, verify_command
from credit_svc.cli.openapi import openapi
from credit_svc.config import ConfigError
from credit_svc.demo.load import load_demo
from credit_svc.logs import write_json_logs
from credit_svc.projections.maintenance import OtherRulePacksError
from credit_svc.projections.rebuild import rebuild
from credit_svc.services import Services, open_services

LOG = logging.getLogger("credit_svc.cli")


def _services() -> Services:
    opened: Services = current_app.extensions["credit_svc"]
    return opened


class CreditGroup(click.Group):
    """The command group, telling an operator who skipped `init` what to do."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command and log its outcome; a database without tables is
        a usage error."""
        started, outcome = time.perf_counter(), "error"
        try:
            result = super().invoke(ctx)
            outcome = "ok"
            return result
        except SystemExit as exit_:
            outcome = "ok" if exit_.code in (0, None) else f"exit {exit_.code}"
            raise
        except ConfigError as error:
            raise click.ClickException(str(error)) from None
        except PersistenceError as error:
            if not is_missing_table(error):
                raise
            raise click.ClickException(
                "the database is not initialised: run `credit-svc init` first"
            ) from error
        finally:
            LOG.info(
                "command",
                extra={
                    "command": ctx.invoked_subcommand,
                    "outcome": outcome,
                    "duration_ms": round((time.perf_counter() - started) * 1000),
                },
            )


@click.group(cls=CreditGroup)
@click.version_option(package_name="credit_svc", prog_name="credit-svc")
def main() -> None:
    """Credit grades of property-service enterprises."""


def run() -> None:
    """Run the command line (the `credit-svc` script) on the service's app."""
    write_json_logs()
    main(obj=ScriptInfo(create_app=create_app, set_debug_flag=False))


@main.command("serve")
@click.option(
    "--bind",
    "-b",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address and port to listen on (0.0.0.0:8000 for every interface).",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes (about two per core).",
)
def serve_command(bind: str, workers: int) -> None:
    """Serve the API and pages with gunicorn, as docs/operations.md sets it up.

    Replaces this process with gunicorn's master (credit_svc.wsgi:app), so a
    process manager's signals reach it. Run `credit-svc init` once first.
    """
    # Metrics of every worker in one place (prometheus_client's multiprocess
    # mode); set here, before gunicorn starts, so each worker inherits it.
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="credit-svc-metrics-")
    )
    hooks = "python:credit_svc.cli.gunicorn_conf"
    arguments = ["-c", hooks, "-w", str(workers), "-b", bind, "credit_svc.wsgi:app"]
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", *arguments])


@main.command("init")
@with_appcontext
def init_command() -> None:
    """Create the tables (idempotent); run once before starting the service."""
    config = current_app.config
    with initialising(config):
        open_services(config, create_tables=True).close()
    where = config["SQLITE_PATH"] if config["PERSISTENCE"] == "sqlite" else ""
    click.echo(f"initialised {config['PERSISTENCE']} storage {where}".rstrip())
    key_file = Path(config["SIGNING_KEY_FILE"])
    if create_key_file(key_file):
        click.echo(f"created the receipt signing key {key_file} (keep it secret)")
    personal_key = Path(config["PERSONAL_DATA_KEY_FILE"])
    if create_personal_data_key(personal_key):
        click.echo(
            f"created the personal-data key {personal_key} "
            "(keep it secret; back it up apart from the database)"
        )
    server_key = Path(config["SERVER_KEY_FILE"])
    if create_server_key(server_key):
        click.echo(
            f"created the server key {server_key}, which seals webhook secrets "
            "(keep it secret; back it up apart from the database)"
        )


@main.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo enterprises and records (skips what is there already)."""
    added = load_demo(_services())
    click.echo(
        f"demo data: {added} new events; grade view at "
        f"{_services().view.db.tracking.max_tracking_id(_services().app.name)}"
    )


@main.command("project")
@click.option("--follow", is_flag=True, help="Keep running, polling for new events.")
@click.option(
    "--interval", default=1.0, show_default=True, help="Seconds between polls."
)
@with_appcontext
def project_command(follow: bool, interval: float) -> None:
    """Bring the grade view up to date with the event log."""
    while True:
        try:
            applied = _services().projector.catch_up(_services().view)
        except OtherRulePacksError as error:
            raise click.ClickException(str(error)) from error
        if applied or not follow:  # following: quiet until there is news
            click.echo(f"applied {applied} events")
        if not follow:
            return
        time.sleep(interval)


@main.command("rebuild")
@click.option(
    "--apply",
    "apply_",
    is_flag=True,
    help="Replace the live view with the rebuilt one when they differ.",
)
@with_appcontext
def rebuild_command(apply_: bool) -> None:
    """Rebuild the grade view from the event log and compare it with the live one."""
    total = _services().app.recorder.max_notification_id() or 0
    with click.progressbar(length=total, label="replaying", file=sys.stderr) as bar:
        report = rebuild(_services(), apply=apply_, progress=bar.update)
        bar.update(total - bar.pos)  # done: events past the start's head count too
    for line in report.lines():
        click.echo(line)
    if not report.identical and not apply_:
        raise SystemExit(1)


main.add_command(keys)
main.add_command(openapi)
main.add_command(verify_command)
main.add_command(export_command)
main.add_command(replay_command)
main.add_command(import_command)
main.add_command(draw_command)
main.add_command(deliver_command)
main.add_command(exchange)
