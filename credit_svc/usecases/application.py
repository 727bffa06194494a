"""CreditService: the use cases that append facts to the event store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Mapper,
    Recording,
    Transcoder,
)
from eventsourcing.utils import EnvType

from credit_svc.adapters.acting import ActingMapper
from credit_svc.adapters.event_json import EventJSONTranscoder
from credit_svc.adapters.metrics import EVENTS_APPENDED
from credit_svc.adapters.persistence import DateAsISO
from credit_svc.domain.credit_code import enterprise_id
from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.errors import (
    EnterpriseAlreadyRegisteredError,
    EnterpriseNotFoundError,
    InvalidRecordError,
    LifecycleConflictError,
    ProjectManagerAlreadyRegisteredError,
    ProjectManagerNotFoundError,
    RecordAlreadyExistsError,
    RecordNotFoundError,
)
from credit_svc.domain.project_manager import ProjectManager
from credit_svc.domain.record import (
    MANAGER_KINDS,
    RECORDED_EVENTS,
    CreditRecord,
    record_id_for,
)
from credit_svc.usecases.known_enterprises import KnownEnterprises
from credit_svc.usecases.replay import REPLAYING, Replay

ATTEMPTS = 5  # appends to one enterprise before a racing writer gets 409
A = TypeVar("A")  # an aggregate
T = TypeVar("T")  # what a change returns


class CreditService(Application[UUID]):
    """Append-only register of enterprises and the records about them."""

    name = "credit_svc"

    def __init__(self, env: EnvType | None = None) -> None:
        super().__init__(env)
        self.known_enterprises = KnownEnterprises(
            lambda code: self.get_enterprise(code, to_change=False)
        )

    def construct_mapper(self) -> Mapper[UUID]:
        """Use the mapper that stamps each event with the acting key."""
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=ActingMapper
        )

    def construct_transcoder(self) -> Transcoder:
        """Read events with orjson (see event_json.py), write as the library does."""
        transcoder = EventJSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add business dates to the library's transcodings."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Append the aggregates' new events; in a replay (replay.py), take
        the first attempt's recordings of them instead, and its state."""
        replay = REPLAYING.get()
        if replay is None:
            recorded = super().save(*objs, **kwargs)
            for recording in recorded:
                EVENTS_APPENDED.labels(type(recording.domain_event).__name__).inc()
            return recorded
        recordings = replay.recordings(
            [event for obj in objs for event in obj.collect_events()], self._holds
        )
        for obj in objs:  # the answer shows the first attempt's times, not now's
            vars(obj).update(vars(self.repository.get(obj.id, version=obj.version)))
        return recordings

    def _get(self, aggregate_id: UUID, *, deepcopy_from_cache: bool = True) -> Any:
        """Return the aggregate; in a replay, as it was before the first
        attempt wrote to it (not found, if that attempt made it)."""
        replay = REPLAYING.get()
        before = None if replay is None else replay.version_before(aggregate_id)
        if before is None:
            return self.repository.get(
                aggregate_id, deepcopy_from_cache=deepcopy_from_cache
            )
        if before == 0:
            raise AggregateNotFoundError(aggregate_id)
        return self.repository.get(aggregate_id, version=before)

    def in_log(self, aggregate_id: UUID) -> bool:
        """Tell whether the aggregate has events in the log (in a replay,
        from before the first attempt)."""
        replay = REPLAYING.get()
        if replay is not None and replay.version_before(aggregate_id) == 0:
            return False
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def _holds(self, aggregate_id: UUID, version: int) -> bool:
        events = self.recorder.select_events(
            aggregate_id, gt=version - 1, lte=version, limit=1
        )
        return bool(events)

    def replay_of(self, positions: Sequence[int]) -> Replay:
        """Return the replay of the events a keyed request appended at the
        positions (noted with them: see idempotency_store.py)."""
        start, stop = min(positions), max(positions)
        notifications = self.recorder.select_notifications(
            start, stop - start + 1, stop=stop
        )
        wanted = set(positions)
        return Replay.of(n for n in notifications if n.id in wanted)

    def register_enterprise(
        self, details: dict[str, Any], projects: dict[str, str], registered_by: str
    ) -> Enterprise:
        """Register an enterprise with its first projects, all in one append."""
        enterprise = Enterprise(registered_by=registered_by, **details)
        for code, name in projects.items():
            enterprise.add_project(code, name, registered_by)
        try:
            self.save(enterprise)
        except IntegrityError:
            raise EnterpriseAlreadyRegisteredError(details["credit_code"]) from None
        return enterprise

    def add_project(
        self, credit_code: str, project_code: str, project_name: str, added_by: str
    ) -> Enterprise:
        """Add a project to a registered enterprise."""
        return self.change_enterprise(
            credit_code, lambda e: e.add_project(project_code, project_name, added_by)
        )

    def change_enterprise(
        self, credit_code: str, change: Callable[[Enterprise], None]
    ) -> Enterprise:
        """Apply a change to the enterprise as it stands now, and append it.

        Two writers racing on one enterprise: the loser's append fails on the
        aggregate's version, so it reloads and applies its change again (the
        domain's rules see the winner's change); nothing is lost or doubled.
        """
        enterprise, _ = self.change_retrying(
            lambda: self.get_enterprise(credit_code),
            change,
            f"enterprise {credit_code}",
        )
        return enterprise

    def change_retrying(
        self,
        load: Callable[[], A],
        change: Callable[[A], T],
        what: str,
        also: Callable[[A], Sequence[Any]] | None = None,
    ) -> tuple[A, T]:
        """Load an aggregate, change it and append the change (with the
        aggregates `also` names, in one transaction); return it and what the
        change returned.

        A writer that lost a race to another fails on the aggregate's version,
        reloads and applies its change again, so the domain's rules see the
        winner's change; after ATTEMPTS lost races, LifecycleConflictError (409).
        """
        for _ in range(ATTEMPTS):
            aggregate = load()
            done = change(aggregate)
            try:
                self.save(aggregate, *(also(aggregate) if also else ()))
            except IntegrityError:
                continue
            return aggregate, done
        msg = f"{what} is changing too often; retry"
        raise LifecycleConflictError(msg)

    def get_enterprise(self, credit_code: str, *, to_change: bool = True) -> Enterprise:
        """Return the enterprise registered under the code.

        Without `to_change`, the repository's cached copy itself (not a deep copy
        of it): for reads that look and never change it, as most writes do.
        """
        try:
            enterprise: Enterprise = self._get(
                enterprise_id(credit_code), deepcopy_from_cache=to_change
            )
        except AggregateNotFoundError:
            raise EnterpriseNotFoundError(credit_code) from None
        return enterprise

    def register_manager(self, pseudonym: str, **details: str) -> ProjectManager:
        """Register a project manager under the pseudonym of their ID number."""
        manager = ProjectManager.register(pseudonym, **details)
        try:
            self.save(manager)
        except IntegrityError:
            raise ProjectManagerAlreadyRegisteredError(manager.id) from None
        return manager

    def jurisdiction_of(self, credit_code: str) -> str:
        """Return the division code the enterprise is registered in."""
        return self.known_enterprises.get(credit_code).jurisdiction

    def get_manager(self, manager_id: UUID) -> ProjectManager:
        """Return the project manager with the id."""
        try:
            manager: ProjectManager = self._get(manager_id)
        except AggregateNotFoundError:
            raise ProjectManagerNotFoundError(manager_id) from None
        if not isinstance(manager, ProjectManager):
            raise ProjectManagerNotFoundError(manager_id)
        return manager

    def assign_manager(
        self, credit_code: str, project_code: str, **assignment: Any
    ) -> Enterprise:
        """Put a registered manager in charge of an enterprise's project."""
        self.get_manager(assignment["manager_id"])
        return self.change_enterprise(
            credit_code, lambda e: e.assign_manager(project_code, **assignment)
        )

    def record(self, kind: str, facts: dict[str, Any]) -> tuple[CreditRecord, int]:
        """Append a record about a registered enterprise; return it and its position."""
        self.check_record(kind, facts)
        record = CreditRecord.record(RECORDED_EVENTS[kind], facts)
        try:
            recordings = self.save(record)
        except IntegrityError:
            raise RecordAlreadyExistsError(record_id_for(kind, facts)) from None
        return record, recordings[-1].notification.id

    def check_record(self, kind: str, facts: dict[str, Any]) -> None:
        """Refuse a record about an enterprise, project or manager not
        registered, and one about a manager who did not run a project of the
        enterprise on the record's business date (conduct elsewhere is for
        that enterprise's bureau to record)."""
        if kind in MANAGER_KINDS:
            self._check_manager_ran(facts)
        project = facts["project_code"]
        known = self.known_enterprises.get(facts["credit_code"], project)
        if project and project not in known.projects:
            msg = f"project {project} is not a project of {facts['credit_code']}"
            raise InvalidRecordError(msg)

    def _check_manager_ran(self, facts: dict[str, Any]) -> None:
        manager = self.get_manager(facts["manager_id"])
        enterprise = self.get_enterprise(facts["credit_code"], to_change=False)
        day, project = facts["business_date"], facts.get("project_code") or ""
        if not enterprise.was_run_by(manager.id, day, project):
            where = f"project {project} of " if project else "a project of "
            msg = (
                f"manager {manager.id} did not run {where}{facts['credit_code']} "
                f"on {day.isoformat()}"
            )
            raise InvalidRecordError(msg)

    def get_record(self, record_id: UUID) -> CreditRecord:
        """Return the record with the id."""
        try:
            record: CreditRecord = self._get(record_id)
        except AggregateNotFoundError:
            raise RecordNotFoundError(record_id) from None
        if not isinstance(record, CreditRecord):
            raise RecordNotFoundError(record_id)
        return record

    def change_record(
        self, record_id: UUID, change: Callable[[CreditRecord], None]
    ) -> tuple[CreditRecord, int]:
        """Apply a lifecycle change to a record and append its event(s).

        Two changes racing on one record cannot both win: the second append
        fails on the record's version and is answered 409, to be retried.
        """
        record = self.get_record(record_id)
        change(record)
        try:
            recordings = self.save(record)
        except IntegrityError:
            msg = f"record {record_id} changed meanwhile; read it again and retry"
            raise LifecycleConflictError(msg) from None
        return record, recordings[-1].notification.id
