"""The credit-svc command: init, demo data, projection catch-up and rebuild.

It is Flask's command group too, so `credit-svc openapi write` and
`credit-svc run` work as with `flask`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click
from eventsourcing.persistence import PersistenceError
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from credit_svc import create_app
from credit_svc.adapters.persistence import initialising, is_missing_table
from credit_svc.adapters.personal_data import create_personal_data_key
from credit_svc.adapters.receipts import create_key_file
from credit_svc.cli.imports import import_command
from credit_svc.cli.keys import keys
from credit_svc.cli.log import export_command, replay_command, verify_command
from credit_svc.demo.load import load_demo
from credit_svc.projections.maintenance import OtherRulePacksError
from credit_svc.projections.rebuild import rebuild
from credit_svc.services import Services, open_services


def _services() -> Services:
    opened: Services = current_app.extensions["credit_svc"]
    return opened


class CreditGroup(FlaskGroup):
    """Flask's command group, telling an operator who skipped `init` what to do."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a database without tables is a usage error."""
        try:
            return super().invoke(ctx)
        except PersistenceError as error:
            if not is_missing_table(error):
                raise
            raise click.ClickException(
                "the database is not initialised: run `credit-svc init` first"
            ) from error


@click.group(cls=CreditGroup, create_app=create_app)
def main() -> None:
    """Credit grades of property-service enterprises."""


@main.command("init")
@with_appcontext
def init_command() -> None:
    """Create the tables (idempotent); run once before starting the service."""
    config = current_app.config
    with initialising(config):
        open_services(config, create_tables=True).close()
    click.echo(f"initialised {config['PERSISTENCE']} storage")
    key_file = Path(config["SIGNING_KEY_FILE"])
    if create_key_file(key_file):
        click.echo(f"created the receipt signing key {key_file} (keep it secret)")
    personal_key = Path(config["PERSONAL_DATA_KEY_FILE"])
    if create_personal_data_key(personal_key):
        click.echo(
            f"created the personal-data key {personal_key} "
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
    for line in report.lines():
        click.echo(line)
    if not report.identical and not apply_:
        raise SystemExit(1)


main.add_command(keys)
main.add_command(verify_command)
main.add_command(export_command)
main.add_command(replay_command)
main.add_command(import_command)
