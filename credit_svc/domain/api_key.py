"""API keys: who may call the service, in which role and for which jurisdictions.

A key is an aggregate, so its creation and revocation are events in the same
hash-chained log as the records: an auditor can see which key existed when.
Only a hash of the secret is kept; the secret is shown once, at creation.
"""

from __future__ import annotations

from typing import Any, Final

from eventsourcing.domain import Aggregate, event

from credit_svc.domain.parties import RECORDING_ROLES

# Recording parties (parties.py), the graded enterprise itself, and readers.
ROLES: Final = ("admin", *RECORDING_ROLES, "enterprise", "platform", "auditor")


class ApiKey(Aggregate):
    """A credential held by one party, firm, tender platform, auditor or admin."""

    class Created(Aggregate.Created):
        """The key was issued by an admin."""

        class_version = 2
        name: str
        role: str
        authority: str
        jurisdictions: list[str]
        secret_hash: str
        credit_code: str  # an enterprise key's own firm; "" for the others
        projects: list[str]  # an owners' committee key's projects; [] for others

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Keys issued before firms and owners' committees had keys."""
            state["credit_code"] = ""
            state["projects"] = []

    class Revoked(Aggregate.Event):
        """The key stopped working."""

        class_version = 1
        reason: str

    @event(Created)
    def __init__(  # noqa: PLR0913, PLR0917 (the event's fields)
        self,
        name: str,
        role: str,
        authority: str,
        jurisdictions: list[str],
        secret_hash: str,
        credit_code: str = "",
        projects: list[str] | None = None,
    ) -> None:
        self.name = name
        self.role = role
        self.authority = authority
        self.jurisdictions = jurisdictions
        self.secret_hash = secret_hash
        self.credit_code = credit_code
        self.projects = projects or []
        self.revoked = False

    @event(Revoked)
    def revoke(self, reason: str) -> None:  # noqa: ARG002 (the event keeps it)
        """Stop the key from working, for good."""
        self.revoked = True

    def covers(self, jurisdiction: str) -> bool:
        """Tell whether the key acts for the division code (by prefix)."""
        return any(jurisdiction.startswith(p) for p in self.jurisdictions)
