"""The HTTP side of idempotency keys (see credit_svc.adapters.idempotency_store)."""

from __future__ import annotations

from http import HTTPStatus

from flask import Response, g, request

from credit_svc.adapters.idempotency_store import WRITING_UNDER, request_hash, utc_now
from credit_svc.api.access import AccessError
from credit_svc.api.services import services
from credit_svc.usecases.replay import REPLAYING

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = 100


class IdempotencyError(AccessError):
    """A 409 or 422 about the Idempotency-Key header, in the envelope."""


def claim_or_replay() -> Response | None:
    """Before a keyed write: claim its key, or answer as the first time did
    (kept, or rebuilt from the log when the first attempt's answer was lost)."""
    key = request.headers.get(HEADER)
    actor = g.get("actor")
    if key is None or request.method != "POST" or actor is None:
        return None
    if not 0 < len(key) <= MAX_LENGTH or not key.isprintable():
        msg = f"{HEADER} must be 1 to {MAX_LENGTH} printable characters"
        raise IdempotencyError(HTTPStatus.UNPROCESSABLE_ENTITY, msg)
    hashed = request_hash(
        request.method, request.path, request.get_data(), services().request_secret
    )
    store = services().idempotency
    claim = store.claim(actor.key_id, key, hashed, utc_now())
    if claim.outcome == "replay":
        replayed = Response(claim.body, claim.status, mimetype="application/json")
        replayed.headers[REPLAYED] = "true"
        return replayed
    if claim.outcome == "conflict":
        msg = f"this {HEADER} was used with another request"
        raise IdempotencyError(HTTPStatus.CONFLICT, msg)
    if claim.outcome == "in_progress":
        msg = f"a request with this {HEADER} is still running; retry shortly"
        raise IdempotencyError(HTTPStatus.CONFLICT, msg)
    g.idempotency = (actor.key_id, key)
    if claim.outcome == "recover":
        REPLAYING.set(services().app.replay_of(claim.positions))
    else:
        WRITING_UNDER.set(store.claimed(actor.key_id, key))
    return None


def settle(response: Response) -> Response:
    """After a keyed write: keep a 2xx answer for retries, or free the key."""
    claimed = g.pop("idempotency", None)
    if claimed:
        key_id, key = claimed
        body = response.get_data(as_text=True)
        services().idempotency.settle(key_id, key, response.status_code, body)
        if REPLAYING.get() is not None:
            response.headers[REPLAYED] = "true"
    return response


def forget_claim(_: BaseException | None) -> None:
    """Clear the request's claim and replay, so nothing after it uses them."""
    WRITING_UNDER.set(None)
    REPLAYING.set(None)
