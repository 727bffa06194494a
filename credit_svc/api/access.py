"""Who may call what: authentication, roles, and the bureau's object-level scope.

Every request passes `check_access` before its view runs. The rights, by role:

- anyone, without a key: disclosed boards and blacklists, single grades, rule
  packs, the receipt public key, receipt verification, the log's signed
  checkpoints and the health probes;
- platform (tender platforms): also grades in batch, history, eligibility,
  explanations, receipts, enterprises and the change feed;
- auditor and admin: every read, including records, events, the log export,
  project managers and /metrics;
- bureau: every read, and writes only as its own authority about subjects in
  its own jurisdictions (so it corrects only its own records).

Admins manage keys and rule packs with the CLI, not over HTTP.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Final

from flask import current_app, g, request
from werkzeug.exceptions import HTTPException

from credit_svc.adapters.acting import ACTING_KEY
from credit_svc.api.services import services
from credit_svc.domain.errors import (
    EnterpriseNotFoundError,
    ProjectNotFoundError,
    RecordNotFoundError,
)
from credit_svc.usecases.api_keys import Actor, authenticate

PAGES: Final = ("disclosure.", "dashboard.", "api_docs.")  # see credit_svc.web

PUBLIC: Final = frozenset(
    {
        "home",  # the root, sent on to the public pages
        "grades.Board",
        "grades.Grade",
        "project_managers.list_blacklisted",
        "rule_packs.RulePacks",
        "audit.ReceiptKey",
        "audit.ReceiptVerify",
        "audit.LogCheckpoints",
        "health.Health",
        "health.Readiness",
        "api-docs.openapi_json",
        "static",
    }
)
PLATFORM: Final = frozenset(
    {
        "grades.BatchGrades",
        "grades.History",
        "grades.AwardEligibility",
        "grades.Explanation",
        "audit.GradeReceipt",
        "enterprises.EnterpriseByCode",
        "projects.ProjectByCode",
        "projects.standing",
        "projects.batch_standing",
        "feed.Feed",
        "audit.LogHead",  # to check a receipt's log head
        "audit.LogVerify",
    }
)
BATCH_WRITES: Final = frozenset({"record_batches.RecordBatch"})  # many records
READS_BY_POST: Final = frozenset(
    {"grades.BatchGrades", "project_managers.find_manager", "projects.batch_standing"}
)
READERS: Final = frozenset({"auditor", "admin", "bureau"})


class AccessError(HTTPException):
    """A 401 or 403 in the service's error envelope."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.code = status.value


def check_access() -> None:
    """Authenticate the caller, check the role, and stamp the acting key."""
    if request.routing_exception is not None:
        return  # no such path or method: 404 or 405, whoever asks
    endpoint = request.endpoint or ""
    actor = _caller()
    g.actor = actor
    ACTING_KEY.set(actor.key_id if actor else "")
    if endpoint in PUBLIC or request.method in ("HEAD", "OPTIONS"):
        return
    if endpoint.startswith(PAGES):  # public pages; the dashboard signs in itself
        return
    if actor is None:
        raise AccessError(HTTPStatus.UNAUTHORIZED, "an API key is required")
    if request.method == "GET" or endpoint in READS_BY_POST:
        _check_read(actor, endpoint)
    else:
        _check_write(actor)


def forget_actor(_: BaseException | None) -> None:
    """Clear the acting key, so nothing saved after the request carries it."""
    ACTING_KEY.set("")


def _caller() -> Actor | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    # Slowed down after many wrong keys from one address (api/rate_limit.py).
    failures = current_app.extensions.get("credit_svc_failed_auth")
    address = request.remote_addr or ""
    checked = failures is None or failures.recently_let_in(address)
    if failures is not None and not checked:  # before the key is looked up
        failures.refuse_if_over(address)
    scheme, _, token = header.partition(" ")
    actor = authenticate(services().app, token.strip(), services().key_cache)
    if scheme.lower() != "bearer" or actor is None:
        if failures is not None:
            if checked:
                failures.refuse_if_over(address)
            failures.failed(address)
        raise AccessError(HTTPStatus.UNAUTHORIZED, "the API key is not valid")
    if failures is not None and not checked:
        failures.passed(address)
    return actor


def _check_read(actor: Actor, endpoint: str) -> None:
    if actor.role in READERS or (actor.role == "platform" and endpoint in PLATFORM):
        return
    raise AccessError(HTTPStatus.FORBIDDEN, f"a {actor.role} key may not read this")


def _check_write(actor: Actor) -> None:
    if actor.role != "bureau":
        raise AccessError(HTTPStatus.FORBIDDEN, f"a {actor.role} key may not write")
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    args = request.view_args or {}
    if request.endpoint not in BATCH_WRITES:
        _check_written(actor, args, body)
        return
    # A batch: every record in it, as if each were posted on its own. Items
    # that are not objects are left to the schema's 422.
    items = body.get("records")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            _check_written(actor, args, item, f"records[{index}]: ")


def _check_written(
    actor: Actor, args: dict[str, Any], body: dict[str, Any], where: str = ""
) -> None:
    authority = body.get("authority")
    if authority is not None and authority != actor.authority:
        msg = f"{where}this key writes as {actor.authority}, not as {authority}"
        raise AccessError(HTTPStatus.FORBIDDEN, msg)
    for jurisdiction in (
        _subject_jurisdiction(args, body),
        _project_jurisdiction(args),
    ):
        if jurisdiction is not None and not actor.covers(jurisdiction):
            msg = f"{where}jurisdiction {jurisdiction} is outside this key's"
            raise AccessError(HTTPStatus.FORBIDDEN, msg)


def _project_jurisdiction(args: dict[str, Any]) -> str | None:
    """Return the division code of the estate a project write is about (the
    firm a management write names is checked too, by _subject_jurisdiction)."""
    code = args.get("project_code")
    if not isinstance(code, str):
        return None
    try:
        return services().projects.get(code).jurisdiction
    except ProjectNotFoundError:
        return None


def _subject_jurisdiction(args: dict[str, Any], body: dict[str, Any]) -> str | None:
    """Return the division code of what the write is about, when it is known.

    Read from the event store, not the grade view, which may lag behind the
    writes (see PROJECT_IN_REQUEST). Unknown subjects pass here, so the view
    answers its own 404 or 422.
    """
    app = services().app
    code = args.get("credit_code") or body.get("credit_code")
    try:
        if "record_id" in args:
            code = app.get_record(args["record_id"]).facts["credit_code"]
        if isinstance(code, str) and "jurisdiction" not in body:
            return app.jurisdiction_of(code)
    except (EnterpriseNotFoundError, RecordNotFoundError):
        return None
    jurisdiction = body.get("jurisdiction")
    return jurisdiction if isinstance(jurisdiction, str) else None
