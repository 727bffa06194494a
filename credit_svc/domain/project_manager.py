"""The ProjectManager aggregate: an individual who runs property-service projects.

A manager (项目负责人) is keyed by a pseudonym: a keyed hash of the ID number,
made outside the domain. The aggregate never holds the number itself, so no
event, export or answer can show it.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from credit_svc.domain.credit_code import NAMESPACE


def manager_id(pseudonym: str) -> UUID:
    """Return the aggregate id of the manager with this keyed-hash pseudonym."""
    return uuid5(NAMESPACE, f"project-manager:{pseudonym}")


class ProjectManager(Aggregate):
    """An individual with their own records, points and blacklist."""

    class Registered(Aggregate.Created):
        """The manager was entered in a jurisdiction's register of practitioners."""

        class_version = 1
        name: str
        jurisdiction: str
        registered_by: str

    @classmethod
    def register(cls, pseudonym: str, **details: str) -> ProjectManager:
        """Register under an id made from the pseudonym; the pseudonym is not kept.

        One person (one ID number) therefore registers only once.
        """
        return cls._create(cls.Registered, id=manager_id(pseudonym), **details)

    @event(Registered)
    def __init__(self, name: str, jurisdiction: str, registered_by: str) -> None:
        self.name = name
        self.jurisdiction = jurisdiction
        self.registered_by = registered_by
