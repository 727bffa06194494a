"""Webhook subscriptions and their dead letters: an admin's (ADR 0016)."""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, g
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate

from credit_svc.adapters.secret_box import load_secret_box
from credit_svc.api.blueprint import Blueprint
from credit_svc.api.fields import MAX_BIGINT, choice, division_prefix
from credit_svc.api.services import services
from credit_svc.projections.outbox import DEAD, STATES, Subscription
from credit_svc.usecases.deliveries import ITEM_TYPES, Subscriptions

blp = Blueprint(
    "subscriptions",
    __name__,
    description="Webhooks: feed items pushed to subscribers, signed, retried.",
)


def check_url(value: str) -> None:
    """Accept an http or https URL with a host."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("an http:// or https:// URL with a host")


class SubscriptionRequestSchema(Schema):
    """Where to send, what, and the secret that signs it."""

    url = fields.String(required=True, validate=[validate.Length(max=2000), check_url])
    item_types = fields.List(
        choice(ITEM_TYPES),
        load_default=list(ITEM_TYPES),
        validate=validate.Length(min=1),
        metadata={"description": "feed item types to send (all by default)"},
    )
    jurisdictions = fields.List(
        division_prefix(),
        load_default=list,
        validate=validate.Length(max=100),
        metadata={"description": "division prefixes; none: every enterprise"},
    )
    secret = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=16, max=200),
        metadata={"description": "signs each delivery; never shown again"},
    )


class SubscriptionSchema(Schema):
    """A subscription as shown (never its secret), with its deliveries' counts."""

    subscription_id = fields.String()
    url = fields.String()
    item_types = fields.List(fields.String())
    jurisdictions = fields.List(fields.String())
    created_at = fields.String()
    created_by = fields.String()
    ended_at = fields.String(allow_none=True)
    deliveries = fields.Dict(
        fields.String(), fields.Integer(), metadata={"description": "by state"}
    )


class DeliveryArgsSchema(Schema):
    """Which deliveries to list."""

    state = choice(STATES, load_default=DEAD)
    after = fields.Integer(
        load_default=0, validate=validate.Range(min=0, max=MAX_BIGINT)
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class DeliverySchema(Schema):
    """One delivery of one feed item to one subscriber."""

    delivery_id = fields.String()
    subscription_id = fields.String()
    seq = fields.Integer(metadata={"description": "the feed item's seq"})
    state = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.String()
    last_error = fields.String(allow_none=True)
    delivered_at = fields.String(allow_none=True)


class ReplayRequestSchema(Schema):
    """Which dead letters to send again: those named, or all."""

    delivery_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        load_default=None,
        validate=validate.Length(max=10_000),
    )


class ReplaySchema(Schema):
    """How many dead letters are back in the queue."""

    replayed = fields.Integer()


def subscriptions() -> Subscriptions:
    """Return the subscription use cases."""
    key_file = Path(current_app.config["SERVER_KEY_FILE"])
    return Subscriptions(services().view.outbox, lambda: load_secret_box(key_file))


def body_of(subscription: Subscription) -> dict[str, Any]:
    """Return a subscription as shown, with its deliveries' counts."""
    counts = services().view.outbox.counts().get(subscription.subscription_id, {})
    return {
        "subscription_id": subscription.subscription_id,
        "url": subscription.url,
        "item_types": list(subscription.item_types),
        "jurisdictions": list(subscription.jurisdictions),
        "created_at": subscription.created_at,
        "created_by": subscription.created_by,
        "ended_at": subscription.ended_at,
        "deliveries": dict.fromkeys(STATES, 0) | counts,
    }


def _found(subscription_id: str) -> Subscription:
    subscription = services().view.outbox.subscription(subscription_id)
    if subscription is None:
        abort(HTTPStatus.NOT_FOUND, f"没有此订阅 · no subscription {subscription_id}")
    return subscription


@blp.route("/subscriptions")
class SubscriptionList(MethodView):
    """Every subscription."""

    @blp.response(200, SubscriptionSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List the webhook subscriptions, ended ones too, with delivery counts"""
        return [body_of(s) for s in services().view.outbox.subscriptions()]

    @blp.arguments(SubscriptionRequestSchema)
    @blp.response(201, SubscriptionSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register a webhook subscription: the feed's items from now on, signed

        Each delivery is a POST of `{delivery_id, subscription_id, item}`,
        `item` as `/feed` shows it, signed with HMAC-SHA256 over
        `<timestamp>.<body>` (docs/api.md). The secret is kept encrypted and
        never shown again.
        """
        subscription = subscriptions().register(
            url=body["url"],
            item_types=body["item_types"],
            jurisdictions=body["jurisdictions"],
            secret=body["secret"],
            created_by=g.actor.authority or g.actor.key_id,
            now=datetime.now(UTC),
        )
        return body_of(subscription)


@blp.route("/subscriptions/<subscription_id>")
class SubscriptionById(MethodView):
    """One subscription."""

    @blp.response(200, SubscriptionSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, subscription_id: str) -> dict[str, Any]:
        """Get a webhook subscription with its delivery counts"""
        return body_of(_found(subscription_id))

    @blp.response(200, SubscriptionSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def delete(self, subscription_id: str) -> dict[str, Any]:
        """End a webhook subscription: nothing new is queued for it"""
        _found(subscription_id)
        subscriptions().end(subscription_id, datetime.now(UTC))
        return body_of(_found(subscription_id))


@blp.route("/subscriptions/<subscription_id>/deliveries")
@blp.arguments(DeliveryArgsSchema, location="query")
@blp.response(200, DeliverySchema(many=True))
@blp.alt_response(404, response="DEFAULT_ERROR")
def deliveries(args: dict[str, Any], subscription_id: str) -> list[dict[str, Any]]:
    """List a subscription's deliveries in a state: the dead letters by default"""
    _found(subscription_id)
    return services().view.outbox.deliveries(
        subscription_id, args["state"], args["after"], args["limit"]
    )


@blp.route("/subscriptions/<subscription_id>/dead-letters/replay", methods=["POST"])
@blp.arguments(ReplayRequestSchema)
@blp.response(200, ReplaySchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
def replay_dead_letters(body: dict[str, Any], subscription_id: str) -> dict[str, Any]:
    """Send dead letters again: those named, or all of the subscription's"""
    _found(subscription_id)
    count = services().view.outbox.replay(subscription_id, body["delivery_ids"])
    return {"replayed": count}
