"""What writes check of registered enterprises, kept per process.

Every write checks the bureau's scope (the enterprise's jurisdiction) and a
record may name one of the enterprise's projects. No event changes a
registered enterprise's jurisdiction or removes a project, so what was read
once stays true: an enterprise is read again only for a project not known yet
(one another worker has added since).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from credit_svc.domain.enterprise import Enterprise

KEPT_ENTERPRISES = 100_000  # per process, about 20 MB at most


@dataclass(frozen=True)
class KnownEnterprise:
    """A registered enterprise's jurisdiction and the projects known of it."""

    jurisdiction: str
    projects: frozenset[str]


class KnownEnterprises:
    """Enterprises read by this process, by credit code."""

    def __init__(self, read: Callable[[str], Enterprise]) -> None:
        self._read = read  # raises EnterpriseNotFoundError for an unknown code
        self._known: dict[str, KnownEnterprise] = {}

    def get(self, credit_code: str, project: str = "") -> KnownEnterprise:
        """Return what is known of the enterprise, reading it when it is not
        known yet or the project is not among its known projects."""
        known = self._known.get(credit_code)
        if known is None or (project and project not in known.projects):
            if len(self._known) >= KEPT_ENTERPRISES:
                self._known.clear()
            enterprise = self._read(credit_code)
            known = KnownEnterprise(
                enterprise.jurisdiction, frozenset(enterprise.projects)
            )
            self._known[credit_code] = known
        return known
