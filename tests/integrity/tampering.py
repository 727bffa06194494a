"""Helpers of the chain tests: a small log, and SQL behind the service's back."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from credit_svc.adapters.chain import GENESIS, links
from credit_svc.services import Services
from tests.factories import post_record, register


def log_of_six(client: FlaskClient) -> None:
    """Register (2 events: registration, project) and post four records."""
    register(client)
    for kind in ("inspection", "good_credit", "bad_credit", "appraisal"):
        assert post_record(client, kind).status_code == 201


def sql(services: Services, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Run a statement on the log's tables behind the service's back."""
    ledger = services.ledger
    text = statement.format(
        events=ledger.events_table, chain=ledger.chain_table, pos=ledger.position_column
    ).replace("?", ledger.param)
    with ledger.datastore.transaction(commit=True) as cursor:
        cursor.execute(text, params)


def state_at(services: Services, position: int) -> bytes:
    """Return the stored state of the event at the position."""
    return next(services.ledger.events(after=position - 1, upto=position)).state


def relink(services: Services) -> None:
    """Write the whole chain again from the events as they now stand: the
    rewrite that hides an edit from anyone who kept no head."""
    events = list(services.ledger.events())
    sql(services, "DELETE FROM {chain}")
    for event, hashed in zip(events, links(GENESIS, events), strict=True):
        sql(
            services,
            "INSERT INTO {chain} (position, hash) VALUES (?, ?)",
            (event.position, hashed.hex()),
        )
