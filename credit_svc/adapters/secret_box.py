"""Secrets the service must read back (subscriptions' signing secrets),
sealed under a server key kept in a file apart from the database.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`): a copy of the
database alone reveals no secret. Lose the key and every subscription must be
given its secret again; keep it backed up apart from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from credit_svc.adapters.key_files import create_private_file


class ServerKeyMissingError(Exception):
    """The server key file is missing or unreadable."""


class SealedSecretError(Exception):
    """A sealed secret does not open under this server key."""


@dataclass(frozen=True)
class SecretBox:
    """Seals and opens secrets under the server key."""

    fernet: Fernet

    def seal(self, secret: str) -> str:
        """Return the secret encrypted, as text for a database column."""
        return self.fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        """Return the secret a sealed text holds."""
        try:
            return self.fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SealedSecretError("not sealed under this server key") from None


def create_server_key(path: Path) -> bool:
    """Write a new random key readable by the owner only; False if one exists."""
    return create_private_file(path, Fernet.generate_key)


def load_secret_box(path: Path) -> SecretBox:
    """Read the key file; ServerKeyMissingError when it is missing or bad."""
    try:
        return SecretBox(Fernet(path.read_bytes().strip()))
    except (OSError, ValueError):
        raise ServerKeyMissingError(path) from None
