"""Personal data: ID numbers become keyed-hash pseudonyms and are never stored.

HMAC-SHA256 under a secret key, so nobody without the key can test a guessed
ID number against the log (the numbers are few and structured, so a plain hash
could be brute-forced). Lose the key and managers can no longer be found by ID
number; keep it backed up with the database, apart from it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from credit_svc.adapters.key_files import create_private_file
from credit_svc.domain.id_number import normalised

KEY_BYTES = 32


class PersonalDataKeyMissingError(Exception):
    """The pseudonymisation key file is missing or unreadable."""


@dataclass(frozen=True)
class Pseudonymiser:
    """Turns an ID number into the pseudonym that keys a person."""

    key: bytes

    def pseudonym(self, id_number: str) -> str:
        """Return the keyed hash of the normalised ID number, in hex."""
        digest = hmac.new(self.key, normalised(id_number).encode(), hashlib.sha256)
        return digest.hexdigest()


def create_personal_data_key(path: Path) -> bool:
    """Write a new random key readable by the owner only; False if one exists."""
    return create_private_file(path, lambda: secrets.token_hex(KEY_BYTES).encode())


def load_pseudonymiser(path: Path) -> Pseudonymiser:
    """Read the key file; PersonalDataKeyMissingError when it is missing or bad."""
    try:
        key = bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        raise PersonalDataKeyMissingError(path) from None
    if len(key) < KEY_BYTES:
        raise PersonalDataKeyMissingError(path)
    return Pseudonymiser(key)
