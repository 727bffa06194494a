"""`credit-svc deliver`: the worker that sends the webhook outbox."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from credit_svc.adapters.secret_box import ServerKeyMissingError, load_secret_box
from credit_svc.adapters.webhook_sender import WebhookSender
from credit_svc.api.feed import item_json
from credit_svc.api.services import services
from credit_svc.usecases.deliveries import Deliverer, RetryPolicy

# Seconds between two clear-outs of old received deliveries (one at start).
FORGET_EVERY = 3600.0


@click.command("deliver")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
@click.option(
    "--interval", default=1.0, show_default=True, help="Seconds between polls."
)
@click.option("--batch", default=100, show_default=True, help="Deliveries per poll.")
@with_appcontext
def deliver_command(once: bool, interval: float, batch: int) -> None:
    """Send due webhook deliveries, retry failed ones, and keep going.

    Safe to kill at any moment: a delivery is marked received only after the
    receiver answered, so one in flight is sent again (same delivery id).
    Received deliveries' rows are deleted after CREDIT_SVC_DELIVERY_KEEP_DAYS.
    """
    config = current_app.config
    try:
        box = load_secret_box(Path(config["SERVER_KEY_FILE"]))
    except ServerKeyMissingError as error:
        msg = f"no server key at {error}: run `credit-svc init`"
        raise click.ClickException(msg) from error
    view = services().view
    deliverer = Deliverer(
        outbox=view.outbox,
        feed=view.feed,
        sender=WebhookSender(),
        box=box,
        policy=RetryPolicy.from_config(config),
        body_of=item_json,
        keep=timedelta(days=int(config["DELIVERY_KEEP_DAYS"])),
    )
    forgotten_at = -FORGET_EVERY
    while True:
        if time.monotonic() - forgotten_at >= FORGET_EVERY:
            forgotten_at = time.monotonic()
            if cleared := deliverer.forget_old():
                click.echo(f"cleared {cleared} deliveries received long ago")
        counts = deliverer.run_once(batch)
        if any(counts.values()):
            click.echo(
                f"delivered {counts['delivered']}, to retry {counts['retry']}, "
                f"dead letters {counts['dead']}"
            )
        if once and counts["delivered"] + counts["retry"] + counts["dead"] < batch:
            return
        if counts["delivered"] < batch:  # caught up: wait for more
            time.sleep(0 if once else interval)
