"""Signed grade receipts: a statement anyone can check with the public key.

The signature covers the canonical JSON of the receipt (sorted keys, no
spaces, UTF-8), so a verifier re-encodes the receipt it was given and checks
the signature over those bytes; it needs nothing of this service but the key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from credit_svc.adapters.key_files import create_private_file

ALGORITHM = "Ed25519"


class SigningKeyMissingError(RuntimeError):
    """The service has no key to sign receipts with."""


def canonical(receipt: dict[str, Any]) -> bytes:
    """Return the bytes a signature covers."""
    return json.dumps(
        receipt, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def key_id(public_key: Ed25519PublicKey) -> str:
    """Return a short fingerprint naming the key."""
    raw = public_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    """Return the public key in PEM form."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@dataclass(frozen=True)
class ReceiptSigner:
    """Signs receipts with the service's private key."""

    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        """Return the key a verifier needs."""
        return self.private_key.public_key()

    def sign(self, receipt: dict[str, Any]) -> dict[str, Any]:
        """Return the receipt with its key id, signed."""
        body = receipt | {"key_id": key_id(self.public_key)}
        signature = self.private_key.sign(canonical(body))
        return {
            "receipt": body,
            "algorithm": ALGORITHM,
            "signature": base64.b64encode(signature).decode(),
        }


def signature_valid(
    public_key: Ed25519PublicKey, receipt: dict[str, Any], signature: str
) -> bool:
    """Tell whether the signature is the key's, over exactly this receipt."""
    try:
        public_key.verify(
            base64.b64decode(signature, validate=True), canonical(receipt)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def create_key_file(path: Path) -> bool:
    """Write a new private key readable by the owner only; False if one exists."""
    return create_private_file(
        path,
        lambda: Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def load_signer(path: Path) -> ReceiptSigner:
    """Read the private key; SigningKeyMissingError when there is none."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        msg = f"no receipt signing key at {path}; run `credit-svc init`"
        raise SigningKeyMissingError(msg) from None
    if not isinstance(key, Ed25519PrivateKey):
        msg = f"{path} is not an Ed25519 private key"
        raise SigningKeyMissingError(msg)
    return ReceiptSigner(key)
