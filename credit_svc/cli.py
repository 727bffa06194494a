"""The credit-svc command: init, demo data, projection catch-up and rebuild.

It is Flask's command group too, so `credit-svc openapi write` and
`credit-svc run` work as with `flask`.
"""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from credit_svc import create_app
from credit_svc.demo.load import load_demo
from credit_svc.projections.rebuild import rebuild
from credit_svc.services import Services, open_services


def _services() -> Services:
    opened: Services = current_app.extensions["credit_svc"]
    return opened


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """Credit grades of property-service enterprises."""


@main.command("init")
@with_appcontext
def init_command() -> None:
    """Create the tables (idempotent); run once before starting the service."""
    config = current_app.config
    if config["PERSISTENCE"] == "postgres":
        from credit_svc.persistence import create_postgres_schema

        create_postgres_schema(config)
    open_services(config, create_tables=True).close()
    click.echo(f"initialised {config['PERSISTENCE']} storage")


@main.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo enterprises and records (skips what is there already)."""
    added = load_demo(_services())
    click.echo(
        f"demo data: {added} new events; grade view at "
        f"{_services().view.max_tracking_id(_services().app.name)}"
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
        applied = _services().projector.catch_up(_services().view)
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
    report = rebuild(_services(), apply=apply_)
    for line in report.lines():
        click.echo(line)
    if not report.identical and not apply_:
        raise SystemExit(1)
