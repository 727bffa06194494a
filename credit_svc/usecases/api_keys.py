"""Issue, revoke and check API keys: `csk_<key id>_<secret>` bearer tokens.

The secret is 256 random bits, so a plain SHA-256 of it is safe to keep (no
guessing, unlike an ID number); comparison is in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application

from credit_svc.adapters.change_cache import ChangeCache
from credit_svc.domain.api_key import ROLES, ApiKey

TOKEN: Final = re.compile(r"csk_([0-9a-f]{32})_([A-Za-z0-9_\-]{43})")


class ApiKeyError(Exception):
    """A key cannot be issued or revoked as asked."""


@dataclass(frozen=True)
class Actor:
    """Who is calling: the checked key's id, role, authority and jurisdictions."""

    key_id: str
    role: str
    authority: str
    jurisdictions: tuple[str, ...]

    def covers(self, jurisdiction: str) -> bool:
        """Tell whether the caller acts for the division code (by prefix)."""
        return any(jurisdiction.startswith(p) for p in self.jurisdictions)


def hash_secret(secret: str) -> str:
    """Return the hash kept in place of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_key(
    app: Application[UUID],
    name: str,
    role: str,
    authority: str = "",
    jurisdictions: Sequence[str] = (),
) -> tuple[ApiKey, str]:
    """Create a key; return it and its token, which is shown this once only."""
    if role not in ROLES:
        raise ApiKeyError(f"role must be one of {', '.join(ROLES)}")
    if role == "bureau" and not (authority and jurisdictions):
        raise ApiKeyError("a bureau key needs its authority and jurisdictions")
    if role != "bureau" and jurisdictions:
        # A scope these keys would not be held to is worse than none.
        raise ApiKeyError(
            f"a {role} key reads firms of every province: --jurisdiction "
            "limits only keys that write (bureau)"
        )
    if not all(p.isascii() and p.isdigit() and 2 <= len(p) <= 6 for p in jurisdictions):
        raise ApiKeyError("a jurisdiction is 2 to 6 ASCII digits of a division code")
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name,
        role=role,
        authority=authority,
        jurisdictions=list(jurisdictions),
        secret_hash=hash_secret(secret),
    )
    app.save(key)
    return key, f"csk_{key.id.hex}_{secret}"


def revoke_key(app: Application[UUID], key_id: UUID, reason: str) -> ApiKey:
    """Revoke a key for good."""
    key = _get_key(app, key_id, to_change=True)
    if key is None:
        raise ApiKeyError(f"no key {key_id}")
    if not key.revoked:
        key.revoke(reason)
        app.save(key)
    return key


def authenticate(
    app: Application[UUID], token: str, cache: ChangeCache | None = None
) -> Actor | None:
    """Return the caller a token belongs to, or None for any bad or revoked token.

    `cache`, if given, keeps the key read until anything is committed to the
    database (a revocation included), instead of reading it every request.
    """
    match = TOKEN.fullmatch(token)
    if not match:
        return None
    key = _cached_key(app, UUID(match.group(1)), cache)
    if key is None or key.revoked:
        return None
    if not hmac.compare_digest(key.secret_hash, hash_secret(match.group(2))):
        return None
    return _actor(key)


def actor_of_key(
    app: Application[UUID], key_id: str, cache: ChangeCache | None = None
) -> Actor | None:
    """Return the caller of a key already authenticated (a signed-in session),
    or None once the key is revoked (`cache` as for authenticate)."""
    try:
        key = _cached_key(app, UUID(key_id), cache)
    except ValueError:
        return None
    return None if key is None or key.revoked else _actor(key)


def _actor(key: ApiKey) -> Actor:
    return Actor(str(key.id), key.role, key.authority, tuple(key.jurisdictions))


def _cached_key(
    app: Application[UUID], key_id: UUID, cache: ChangeCache | None
) -> ApiKey | None:
    # Every request authenticates: reading the key's events each time was a
    # fifth of a cached grade answer's cost.
    if cache is None:
        return _get_key(app, key_id)
    key: ApiKey | None = cache.cached(
        f"api key {key_id}", lambda: _get_key(app, key_id)
    )
    return key


def _get_key(
    app: Application[UUID], key_id: UUID, *, to_change: bool = False
) -> ApiKey | None:
    """Return the key; the repository's cached copy itself unless it is to change."""
    try:
        key: ApiKey = app.repository.get(key_id, deepcopy_from_cache=to_change)
    except AggregateNotFoundError:
        return None
    return key if isinstance(key, ApiKey) else None
