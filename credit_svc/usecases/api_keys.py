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
from credit_svc.domain.credit_code import is_valid_credit_code
from credit_svc.domain.parties import RECORDING_ROLES

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
    credit_code: str = ""  # an enterprise key's own firm
    projects: tuple[str, ...] = ()  # an owners' committee's projects

    def covers(self, jurisdiction: str) -> bool:
        """Tell whether the caller acts for the division code (by prefix)."""
        return any(jurisdiction.startswith(p) for p in self.jurisdictions)


def hash_secret(secret: str) -> str:
    """Return the hash kept in place of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_key(  # noqa: PLR0913 (a key and all that scopes it)
    app: Application[UUID],
    name: str,
    role: str,
    authority: str = "",
    jurisdictions: Sequence[str] = (),
    *,
    credit_code: str = "",
    projects: Sequence[str] = (),
) -> tuple[ApiKey, str]:
    """Create a key; return it and its token, which is shown this once only."""
    _check_scope(role, authority, jurisdictions, credit_code, projects)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name,
        role=role,
        authority=authority,
        jurisdictions=list(jurisdictions),
        secret_hash=hash_secret(secret),
        credit_code=credit_code,
        projects=list(projects),
    )
    app.save(key)
    return key, f"csk_{key.id.hex}_{secret}"


def _check_scope(
    role: str,
    authority: str,
    jurisdictions: Sequence[str],
    credit_code: str,
    projects: Sequence[str],
) -> None:
    """Refuse a key whose scope does not fit its role: a scope a key would
    not be held to is worse than none."""
    if role not in ROLES:
        raise ApiKeyError(f"role must be one of {', '.join(ROLES)}")
    records = role in RECORDING_ROLES
    if records and not (authority and jurisdictions):
        raise ApiKeyError(f"a {role} key needs its authority and jurisdictions")
    if not records and jurisdictions:
        raise ApiKeyError(
            f"a {role} key reads firms of every province: --jurisdiction "
            "limits only keys that record facts"
        )
    if not all(p.isascii() and p.isdigit() and 2 <= len(p) <= 6 for p in jurisdictions):
        raise ApiKeyError("a jurisdiction is 2 to 6 ASCII digits of a division code")
    if (role == "enterprise") != bool(credit_code):
        raise ApiKeyError("--credit-code goes with an enterprise key, and only there")
    if credit_code and not is_valid_credit_code(credit_code):
        raise ApiKeyError(f"{credit_code} is not a valid unified social credit code")
    if (role == "owners_committee") != bool(projects):
        raise ApiKeyError("--project goes with an owners_committee key, and only there")


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
    return Actor(
        str(key.id),
        key.role,
        key.authority,
        tuple(key.jurisdictions),
        key.credit_code,
        tuple(key.projects),
    )


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
