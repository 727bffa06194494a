"""Webhook subscriptions as pages, for a signed-in admin: each subscription
with its deliveries' counts, its dead letters with their last errors, and
buttons to send the dead letters again or to end the subscription. The
API (api/subscriptions.py) registers them: a secret is not typed into a page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.exceptions import BadRequest, Forbidden, NotFound
from werkzeug.wrappers import Response

from credit_svc.api.services import services
from credit_svc.api.subscriptions import body_of, subscriptions
from credit_svc.projections.outbox import DEAD, Subscription
from credit_svc.usecases.api_keys import Actor
from credit_svc.web.dashboard import (
    FORM_EXPIRED,
    form_nonce,
    from_our_form,
    signed_in_as,
)
from credit_svc.web.errors import answer_errors_as_pages

ADMINS_ONLY: Final = "订阅仅由管理员管理 Only an admin manages webhook subscriptions"
SHOWN_DEAD: Final = 100  # dead letters on a page; the API pages through all

bp = Blueprint(
    "subscription_pages",
    __name__,
    url_prefix="/workbench/subscriptions",
    template_folder="templates",
)
answer_errors_as_pages(bp)


@bp.get("/")
def index() -> str | Response:
    """List every subscription with its deliveries' counts."""
    if isinstance(admin := _admin(), Response):
        return admin
    found = services().view.outbox.subscriptions()
    return render_template(
        "subscriptions.html", subscriptions=[body_of(s) for s in found]
    )


@bp.get("/<subscription_id>")
def page(subscription_id: str) -> str | Response:
    """Show one subscription and its dead letters."""
    if isinstance(admin := _admin(), Response):
        return admin
    subscription = _found(subscription_id)
    dead = services().view.outbox.deliveries(subscription_id, DEAD, 0, SHOWN_DEAD)
    return render_template(
        "subscription.html",
        s=body_of(subscription),
        dead=dead,
        shown=SHOWN_DEAD,
        nonce=form_nonce(),
    )


@bp.post("/<subscription_id>/replay")
def replay(subscription_id: str) -> Response:
    """Put all the subscription's dead letters back in the queue."""
    _checked_post(subscription_id)
    services().view.outbox.replay(subscription_id, None)
    return redirect(url_for("subscription_pages.page", subscription_id=subscription_id))


@bp.post("/<subscription_id>/end")
def end(subscription_id: str) -> Response:
    """End the subscription: nothing new is queued for it."""
    _checked_post(subscription_id)
    subscriptions().end(subscription_id, datetime.now(UTC))
    return redirect(url_for("subscription_pages.page", subscription_id=subscription_id))


def _admin() -> Actor | Response:
    return signed_in_as(lambda actor: actor.role == "admin", ADMINS_ONLY)


def _checked_post(subscription_id: str) -> None:
    if isinstance(_admin(), Response):
        raise Forbidden(ADMINS_ONLY)
    if not from_our_form():
        raise BadRequest(FORM_EXPIRED)
    _found(subscription_id)


def _found(subscription_id: str) -> Subscription:
    found = services().view.outbox.subscription(subscription_id)
    if found is None:
        raise NotFound(f"没有此订阅 · no subscription {subscription_id}")
    return found
