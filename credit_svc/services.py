"""Wiring of one process: the application, the grade view and the projector."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from credit_svc.adapters.change_cache import ChangeCache
from credit_svc.adapters.idempotency_store import IdempotencyStore
from credit_svc.adapters.ledger import Ledger
from credit_svc.adapters.persistence import connect_postgres, eventsourcing_env
from credit_svc.adapters.personal_data import (
    PersonalDataKeyMissingError,
    Pseudonymiser,
    load_pseudonymiser,
)
from credit_svc.adapters.receipts import ReceiptSigner, load_signer
from credit_svc.config import ConfigError
from credit_svc.domain.coverage import PartyRule
from credit_svc.domain.credit_report import ReportTerms
from credit_svc.domain.disclosure import DisclosureRules
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.working_days import WorkingDays
from credit_svc.projections.parallel_grading import ReopenLog
from credit_svc.projections.projector import GradeProjector
from credit_svc.projections.view import GradeView, open_view
from credit_svc.rulepacks.calendar_load import load_calendar
from credit_svc.rulepacks.load import PACKAGED_DIR, load_packs
from credit_svc.rulepacks.party_load import load_party_rules
from credit_svc.rulepacks.report_terms_load import load_report_terms
from credit_svc.usecases.application import CreditService
from credit_svc.usecases.pack_check import PackCheck
from credit_svc.usecases.projects import ProjectRegister

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What a request needs: the event store, the view and the packs."""

    app: CreditService
    view: GradeView
    projector: GradeProjector
    packs: list[RulePack]
    env: dict[str, str]
    signing_key_file: Path
    personal_data_key_file: Path
    # False when a separate `credit-svc project --follow` process projects.
    project_in_request: bool = True
    # API keys read per request, cached until the event log is appended to.
    key_cache: ChangeCache | None = None
    # A signed checkpoint of the chain at every this many events.
    checkpoint_every: int = 100

    @cached_property
    def idempotency(self) -> IdempotencyStore:
        """Return the store of idempotency keys and the answers they replay."""
        return IdempotencyStore(self.view.db.datastore, self.view.db.dialect)

    @property
    def reopen_log(self) -> ReopenLog:
        """Return how worker processes open the event log again (picklable)."""
        return partial(CreditService, self.env)

    def link_at(self, position: int) -> str | None:
        """Return the hash chain's link at a position of the event log."""
        return self.ledger.link_at(position)

    @property
    def ledger(self) -> Ledger:
        """Return the raw event log with its hash chain."""
        return Ledger(self.app.recorder)

    @cached_property
    def pack_check(self) -> PackCheck:
        """Return the check that the view fits the packs this process loaded."""
        return PackCheck(self.view, self.app.name, self.projector.fingerprint)

    @cached_property
    def signer(self) -> ReceiptSigner:
        """Return the receipt signer; SigningKeyMissingError when there is no key."""
        return load_signer(self.signing_key_file)

    @cached_property
    def request_secret(self) -> bytes | None:
        """Return the secret idempotent requests are hashed under, derived from
        the personal-data key (None without one: no ID number is accepted)."""
        try:
            key = self.pseudonymiser.key
        except PersonalDataKeyMissingError:
            return None
        return hmac.new(key, b"credit_svc idempotent requests", "sha256").digest()

    @cached_property
    def calendar(self) -> WorkingDays:
        """Return the official working-day calendar (for publicity periods)."""
        return load_calendar()

    @cached_property
    def party_rules(self) -> tuple[PartyRule, ...]:
        """Return the national Party-coverage rule, every version."""
        return load_party_rules()

    @cached_property
    def report_terms(self) -> tuple[ReportTerms, ...]:
        """Return the credit reports' validity terms, every version."""
        return load_report_terms()

    @property
    def disclosure(self) -> DisclosureRules:
        """Return the national disclosure rules (every pack carries the same)."""
        return self.packs[0].disclosure if self.packs else DisclosureRules()

    @cached_property
    def projects(self) -> ProjectRegister:
        """Return the use cases that append projects' events."""
        return ProjectRegister(self.app)

    @cached_property
    def pseudonymiser(self) -> Pseudonymiser:
        """Return the ID-number hasher; PersonalDataKeyMissingError without a key."""
        return load_pseudonymiser(self.personal_data_key_file)

    def catch_up(self, upto: int | None = None) -> int:
        """Bring the grade view up to date (or up to position `upto`, a
        write's own: see GradeProjector.catch_up); on failure the next write
        retries.

        The events are committed before this runs, so a failure here loses
        nothing: the view is only behind until the next catch-up. Any failure,
        a bug included, is logged rather than raised: the write it follows
        was committed, and a 500 would tell the client to send it again.
        """
        try:
            return self.projector.catch_up(self.view, upto=upto)
        except Exception:
            log.exception("grade view catch-up failed; it will be retried")
            return 0
        finally:
            self.view.written()

    def after_write(self, upto: int | None = None) -> int:
        """Project a write (at position `upto`, if told) before answering,
        unless a projector process does.

        With PROJECT_IN_REQUEST off, a write is answered from its aggregate
        and grade reads follow a moment later: the price of fast ingestion.
        """
        return self.catch_up(upto) if self.project_in_request else 0

    def close(self) -> None:
        """Close the database connections."""
        self.app.close()
        self.view.close()


def open_services(
    config: Mapping[str, Any], *, create_tables: bool = False
) -> Services:
    """Open the configured database; create tables only when asked (by `init`)."""
    if config["PERSISTENCE"] == "postgres":
        _check_postgres_answers(config)
    env = eventsourcing_env(config, create_tables=create_tables)
    pack_dir = (
        Path(config["RULE_PACK_DIR"]) if config["RULE_PACK_DIR"] else PACKAGED_DIR
    )
    packs = load_packs(pack_dir)
    every = int(config["CHECKPOINT_EVERY"])  # checked by config.check_config
    app = CreditService(env=env)
    view = open_view(env)
    if create_tables:
        IdempotencyStore(view.db.datastore, view.db.dialect).create_table()
    return Services(
        app,
        view,
        GradeProjector(app, packs),
        packs,
        env,
        Path(config["SIGNING_KEY_FILE"]),
        Path(config["PERSONAL_DATA_KEY_FILE"]),
        bool(config["PROJECT_IN_REQUEST"]),
        _key_cache(view, app.recorder),
        every,
    )


def _check_postgres_answers(config: Mapping[str, Any]) -> None:
    """Say at once, in one line, when the database is missing or unreachable
    (the library's pool would retry for half a minute, then print pages)."""
    import psycopg

    name, host = config["POSTGRES_DBNAME"], config["POSTGRES_HOST"]
    try:
        connect_postgres(config, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        if f'database "{name}" does not exist' in str(error):
            msg = f"database {name} does not exist: createdb {name}"
        else:
            reason = str(error).strip().splitlines()[-1]
            msg = f"PostgreSQL at {host}:{config['POSTGRES_PORT']} refused: {reason}"
        raise ConfigError(msg) from None


def _key_cache(view: GradeView, recorder: object) -> ChangeCache | None:
    """Return the cache of API keys: on SQLite the view's probe of the file
    (any commit drops it); on PostgreSQL the view's listener, on the channel
    the event log's every append notifies."""
    channel = getattr(recorder, "channel_name", None)
    also_on = getattr(view.version_cache, "also_on", None)
    if channel is not None:
        return None if also_on is None else also_on(channel)
    return view.version_cache
