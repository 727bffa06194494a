"""Auditors and tender platforms: chain head and check, export, history, receipts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Response, stream_with_context
from flask.views import MethodView

from credit_svc.adapters.chain import GENESIS, Head, verify
from credit_svc.adapters.checkpoints import checkpoint_positions, sign_checkpoint
from credit_svc.adapters.export import export_lines
from credit_svc.adapters.receipts import ALGORITHM, key_id, public_pem
from credit_svc.api.audit_schemas import (
    CheckpointPageSchema,
    CheckpointQueryArgsSchema,
    EventSchema,
    HeadSchema,
    PublicKeySchema,
    ReceiptCheckSchema,
    SignedReceiptSchema,
    VerdictSchema,
    VerifyQueryArgsSchema,
)
from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import now, today
from credit_svc.api.grade_schemas import AsOfQueryArgsSchema
from credit_svc.api.services import reader, services
from credit_svc.usecases.auditing import check_receipt, issue_receipt

blp = Blueprint(
    "audit", __name__, description="Tamper evidence, export, history and receipts."
)


@blp.route("/log/head")
class LogHead(MethodView):
    """The chain's newest link."""

    @blp.response(200, HeadSchema)
    def get(self) -> Head:
        """Get the log head: save it to detect a cut or rewritten tail later"""
        return services().ledger.head() or Head(0, GENESIS.hex())


@blp.route("/log/verify")
class LogVerify(MethodView):
    """Walk the whole hash chain."""

    @blp.arguments(VerifyQueryArgsSchema, location="query")
    @blp.response(200, VerdictSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Verify the event log against its hash chain and a saved head

        Reports the first position where a stored event was edited, deleted,
        moved or written around the chain, or where the log no longer reaches
        or matches the saved head.
        """
        position, link = args["head_position"], args["head_hash"]
        saved = Head(position, link) if position and link else None
        ledger = services().ledger
        verdict = verify(
            ledger.events(), ledger.links(), saved, contiguous=ledger.contiguous
        )
        return vars(verdict) | {"intact": verdict.intact}


@blp.route("/log/checkpoints")
class LogCheckpoints(MethodView):
    """Signed checkpoints of the chain, for anyone to keep."""

    @blp.arguments(CheckpointQueryArgsSchema, location="query")
    @blp.response(200, CheckpointPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List signed checkpoints: the chain link at every N-th position

        Keep them: `credit-svc verify --checkpoints FILE` (or `replay`) then
        finds a log cut short of one, or rewritten before it. The same
        checkpoint is the same bytes each time it is asked for.
        """
        opened = services()
        every, ledger = opened.checkpoint_every, opened.ledger
        head = ledger.head()
        positions = checkpoint_positions(
            every, args["after"], head.position if head else 0, args["limit"]
        )
        heads = ledger.heads_at(positions)
        return {
            "every": every,
            "checkpoints": [sign_checkpoint(opened.signer, h) for h in heads],
            "next_after": heads[-1].position if heads else args["after"],
        }


@blp.route("/log/export")
class LogExport(MethodView):
    """The whole event log, for offline replay."""

    @blp.response(200, content_type="application/x-ndjson")
    def get(self) -> Response:
        """Export every stored event and its chain link as JSON Lines"""
        ledger = services().ledger

        def lines() -> Iterator[str]:
            yield from export_lines(ledger)

        return Response(stream_with_context(lines()), mimetype="application/x-ndjson")


@blp.route("/enterprises/<credit_code>/events")
class EnterpriseEvents(MethodView):
    """Everything ever recorded about an enterprise, in log order."""

    @blp.response(200, EventSchema(many=True))
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, credit_code: str) -> list[dict[str, Any]]:
        """List every event about the enterprise with its position and recorder"""
        reader().enterprise(credit_code)
        return services().view.grades.list_events(credit_code)


@blp.route("/enterprises/<credit_code>/grade/receipt")
class GradeReceipt(MethodView):
    """A signed statement of a grade."""

    @blp.arguments(AsOfQueryArgsSchema, location="query")
    @blp.response(200, SignedReceiptSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, args: dict[str, Any], credit_code: str) -> dict[str, Any]:
        """Get a signed receipt of the grade on a date and the log head behind it"""
        day = args["as_of"] or today()
        return issue_receipt(services(), credit_code, day, now())


@blp.route("/receipts/public-key")
class ReceiptKey(MethodView):
    """The key anyone can check receipts with."""

    @blp.response(200, PublicKeySchema)
    def get(self) -> dict[str, str]:
        """Get the Ed25519 public key that verifies receipts"""
        public_key = services().signer.public_key
        return {
            "algorithm": ALGORITHM,
            "key_id": key_id(public_key),
            "public_key_pem": public_pem(public_key),
        }


@blp.route("/receipts/verify")
class ReceiptVerify(MethodView):
    """Check a receipt against the signature, the log and the grade."""

    @blp.arguments(SignedReceiptSchema)
    @blp.response(200, ReceiptCheckSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Check a receipt: signature, log head still in the log, grade recomputed

        Nothing is written.
        """
        return check_receipt(services(), body["receipt"], body["signature"])
