"""The change feed: what tender platforms follow to keep a copy of the grades."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask.views import MethodView

from credit_svc.adapters.checkpoints import latest_position, sign_checkpoint
from credit_svc.adapters.receipts import SigningKeyMissingError
from credit_svc.api.blueprint import Blueprint
from credit_svc.api.feed_schemas import (
    FeedItemSchema,
    FeedPageSchema,
    FeedQueryArgsSchema,
)
from credit_svc.api.grade_bodies import segment_body
from credit_svc.api.records import as_body
from credit_svc.api.services import services
from credit_svc.projections.codec import decode_facts

blp = Blueprint("feed", __name__, description="New records and grade changes.")


@blp.route("/feed")
class Feed(MethodView):
    """New records and grade changes, oldest first."""

    @blp.arguments(FeedQueryArgsSchema, location="query")
    @blp.response(200, FeedPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List records and grade changes after a seq, to follow the grades

        Start with `after=0`, then pass `next_after` back. A grade item holds the
        enterprise's whole grade timeline as it stood after the change, so a copy
        can answer "as of" any date. An empty page means you are up to date.
        """
        view = services().view
        position = view.db.position(services().app.name)
        rows = view.feed.list_feed(args["after"], args["limit"], args["jurisdiction"])
        return {
            "items": [_item_body(row) for row in rows],
            "next_after": rows[-1]["seq"] if rows else args["after"],
            "view_position": position,
            "checkpoint": _checkpoint(position),
        }


def _checkpoint(upto: int) -> dict[str, Any] | None:
    """Return the newest signed checkpoint up to the position, if there is
    one (and a key to sign it: the feed does not wait for receipts' set-up)."""
    opened = services()
    at = latest_position(opened.checkpoint_every, upto)
    heads = opened.ledger.heads_at([at]) if at else []
    if not heads:
        return None
    try:
        return sign_checkpoint(opened.signer, heads[0])
    except SigningKeyMissingError:
        return None


def item_json(row: dict[str, Any]) -> dict[str, Any]:
    """Return a feed row as a page of /feed holds it (what webhooks deliver)."""
    dumped: dict[str, Any] = FeedItemSchema().dump(_item_body(row))
    return dumped


def _item_body(row: dict[str, Any]) -> dict[str, Any]:
    """Return a feed row as the API shows it."""
    item = {k: row[k] for k in ("seq", "position", "credit_code", "jurisdiction")}
    item["type"] = row["item_type"]
    item["record"] = _record_body(row) if row["record_id"] else None
    item["grades"] = _timeline_body(row["segments"]) if row["segments"] else None
    return item


def _record_body(row: dict[str, Any]) -> dict[str, Any]:
    return as_body(
        decode_facts(row["facts"]),
        record_id=row["record_id"],
        kind=row["kind"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
        position=row["position"],
    )


def _timeline_body(text: str) -> list[dict[str, Any]]:
    return [
        segment_body(
            segment
            | {
                "starts_on": date.fromisoformat(segment["starts_on"]),
                "ends_on": segment["ends_on"]
                and date.fromisoformat(segment["ends_on"]),
            }
        )
        for segment in json.loads(text)
    ]
