"""Signed checkpoints of the hash chain: heads anyone can hold and show.

A checkpoint is the chain's link at a position, signed with the receipt key.
One is published at every CHECKPOINT_EVERY-th position (the same bytes each
time it is asked for: Ed25519 signs deterministically, and nothing else goes
in), and the newest goes out with every page of the change feed. Whoever
keeps any of them can later find a truncated log (it no longer reaches the
position) or a rewritten one (the link there differs), with `credit-svc
verify --checkpoints` or `replay --checkpoints`: and the signature shows it
was this service that published the link, not the holder who made it up.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from credit_svc.adapters.chain import Head
from credit_svc.adapters.receipts import (
    ALGORITHM,
    ReceiptSigner,
    canonical,
    key_id,
    signature_valid,
)

# Signed with the body, so a checkpoint's signature is never a receipt's.
CHECKPOINT_TYPE: Final = "credit_svc log checkpoint"


def checkpoint_positions(every: int, after: int, upto: int, limit: int) -> list[int]:
    """Return the checkpoint positions after `after` up to `upto`, at most `limit`."""
    first = (after // every + 1) * every
    return list(range(first, upto + 1, every))[:limit]


def latest_position(every: int, upto: int) -> int | None:
    """Return the last checkpoint position at or before `upto`, if any."""
    return upto // every * every or None


def sign_checkpoint(signer: ReceiptSigner, head: Head) -> dict[str, Any]:
    """Return the head signed as a checkpoint."""
    body = {
        "type": CHECKPOINT_TYPE,
        "position": head.position,
        "hash": head.hash,
        "key_id": key_id(signer.public_key),
    }
    signature = signer.private_key.sign(canonical(body))
    return {
        "checkpoint": body,
        "algorithm": ALGORITHM,
        "signature": base64.b64encode(signature).decode(),
    }


def checkpoint_heads(signed: Iterable[Any], public_key: Ed25519PublicKey) -> list[Head]:
    """Return the heads the signed checkpoints state; ValueError for the
    first that is not a checkpoint signed with the key."""
    heads = []
    for number, item in enumerate(signed, start=1):
        try:
            body, signature = item["checkpoint"], item["signature"]
            head = Head(int(body["position"]), str(body["hash"]))
            kind = body["type"]
        except (KeyError, TypeError, ValueError):
            msg = f"checkpoint {number} is not a signed checkpoint"
            raise ValueError(msg) from None
        if kind != CHECKPOINT_TYPE or not signature_valid(public_key, body, signature):
            msg = (
                f"checkpoint {number} (position {head.position}) is not "
                "signed by this service's key"
            )
            raise ValueError(msg)
        heads.append(head)
    return heads
