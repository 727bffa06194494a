"""Receipts for tender platforms, and their checks: glue of view, log and signer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from credit_svc.adapters.ledger import Ledger
from credit_svc.adapters.receipts import ReceiptSigner, key_id, signature_valid
from credit_svc.domain.eligibility import Eligibility
from credit_svc.domain.rulepack import RulePack
from credit_svc.projections.cutoff import Cutoff
from credit_svc.projections.view import GradeView
from credit_svc.usecases.application import CreditService
from credit_svc.usecases.grade_reader import GradeReader


class Services(Protocol):
    """What receipts are issued and checked with (the process's services)."""

    @property
    def app(self) -> CreditService:
        """Return the event store's application."""

    @property
    def view(self) -> GradeView:
        """Return the grade view."""

    @property
    def packs(self) -> Sequence[RulePack]:
        """Return the rule packs loaded."""

    @property
    def ledger(self) -> Ledger:
        """Return the event log with its hash chain."""

    @property
    def signer(self) -> ReceiptSigner:
        """Return the receipt signer."""


def issue_receipt(
    services: Services, credit_code: str, day: date, issued_at: datetime
) -> dict[str, Any]:
    """Return a signed statement of the grade on the day and the log head behind it.

    The grade is computed from exactly the records at or before the head, so
    anyone holding the log can recompute it from the same records.
    """
    position = services.view.db.position(services.app.name)
    link = services.ledger.link_at(position)
    result = _reader(services).eligibility(credit_code, day, Cutoff(position=position))
    receipt = {
        "credit_code": credit_code,
        "as_of": day.isoformat(),
        "issued_at": issued_at.isoformat(),
        "log_head": {"position": position, "hash": link},
    } | standing_statement(result)
    return services.signer.sign(receipt)


def check_receipt(
    services: Services, receipt: dict[str, Any], signature: str
) -> dict[str, Any]:
    """Check a receipt's signature, its log head, and its grade against the log."""
    problems = []
    public_key = services.signer.public_key
    signed = receipt.get("key_id") == key_id(public_key) and signature_valid(
        public_key, receipt, signature
    )
    if not signed:
        problems.append("the signature is not this service's over this receipt")
    head = receipt["log_head"]
    stored_link = services.ledger.link_at(head["position"])
    log_matches = stored_link == head["hash"]
    if not log_matches:
        problems.append(
            f"the log's link at position {head['position']} is {stored_link}, "
            "not the receipt's: the log was altered or cut since it was issued"
        )
    recomputed = standing_statement(
        _reader(services).eligibility(
            receipt["credit_code"],
            date.fromisoformat(receipt["as_of"]),
            Cutoff(position=head["position"]),
        )
    )
    stated = {name: receipt.get(name) for name in recomputed}
    grade_confirmed = recomputed == stated
    if not grade_confirmed:
        problems.append(f"the log up to the head gives {recomputed}")
    return {
        "valid": not problems,
        "signature_valid": signed,
        "log_matches": log_matches,
        "grade_confirmed": grade_confirmed,
        "recomputed": recomputed,
        "problems": problems,
    }


def standing_statement(result: Eligibility) -> dict[str, Any]:
    """Return what a receipt states about the standing, in plain JSON types."""
    standing = result.standing
    return {
        "grade": standing.grade,
        "score": str(standing.score),
        "tender_points": str(standing.tender_points),
        "blacklisted": standing.blacklisted,
        "eligible": result.eligible,
        "pack": {"id": standing.pack_id, "version": standing.pack_version},
    }


def _reader(services: Services) -> GradeReader:
    return GradeReader(services.view, services.packs)
