"""One JSON error envelope for every failure: {code, status, message[, errors]}."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Final

from eventsourcing.persistence import PersistenceError
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, UnsupportedMediaType

from credit_svc.adapters.idempotency_store import IdempotencyTableOutdatedError
from credit_svc.adapters.persistence import is_missing_table
from credit_svc.adapters.personal_data import PersonalDataKeyMissingError
from credit_svc.adapters.receipts import SigningKeyMissingError
from credit_svc.adapters.secret_box import ServerKeyMissingError
from credit_svc.api.access import PAGES
from credit_svc.domain.errors import (
    BoardIssueNotFoundError,
    DomainError,
    DrawNotFoundError,
    EnterpriseAlreadyRegisteredError,
    EnterpriseNotFoundError,
    InvalidRecordError,
    LifecycleConflictError,
    LifecycleRuleError,
    ManagerAlreadyAssignedError,
    NoRulePackError,
    NotRecordingAuthorityError,
    ProjectAlreadyAddedError,
    ProjectAlreadyRegisteredError,
    ProjectManagerAlreadyRegisteredError,
    ProjectManagerNotFoundError,
    ProjectNotFoundError,
    RecordAlreadyExistsError,
    RecordNotFoundError,
    ReportNotFoundError,
    ReportTermsMissingError,
    StatisticsNotPublishedError,
)
from credit_svc.domain.working_days import CalendarMissingError

log = logging.getLogger(__name__)

STATUS_FOR: Final[dict[type[DomainError], HTTPStatus]] = {
    EnterpriseNotFoundError: HTTPStatus.NOT_FOUND,
    RecordNotFoundError: HTTPStatus.NOT_FOUND,
    ProjectManagerNotFoundError: HTTPStatus.NOT_FOUND,
    ProjectManagerAlreadyRegisteredError: HTTPStatus.CONFLICT,
    ManagerAlreadyAssignedError: HTTPStatus.CONFLICT,
    NoRulePackError: HTTPStatus.NOT_FOUND,
    EnterpriseAlreadyRegisteredError: HTTPStatus.CONFLICT,
    ProjectAlreadyAddedError: HTTPStatus.CONFLICT,
    RecordAlreadyExistsError: HTTPStatus.CONFLICT,
    InvalidRecordError: HTTPStatus.UNPROCESSABLE_ENTITY,
    ProjectNotFoundError: HTTPStatus.NOT_FOUND,
    ProjectAlreadyRegisteredError: HTTPStatus.CONFLICT,
    CalendarMissingError: HTTPStatus.UNPROCESSABLE_ENTITY,
    NotRecordingAuthorityError: HTTPStatus.FORBIDDEN,
    LifecycleConflictError: HTTPStatus.CONFLICT,
    LifecycleRuleError: HTTPStatus.UNPROCESSABLE_ENTITY,
    ReportNotFoundError: HTTPStatus.NOT_FOUND,
    ReportTermsMissingError: HTTPStatus.UNPROCESSABLE_ENTITY,
    StatisticsNotPublishedError: HTTPStatus.NOT_FOUND,
    BoardIssueNotFoundError: HTTPStatus.NOT_FOUND,
    DrawNotFoundError: HTTPStatus.NOT_FOUND,
}


def envelope(status: HTTPStatus, message: str) -> tuple[Response, int]:
    """Return the error envelope with its status code."""
    body = {"code": status.value, "status": status.phrase, "message": message}
    return jsonify(body), status.value


def handle_http_error(error: HTTPException) -> tuple[Response, int]:
    """Answer routing, parsing and validation failures with the envelope.

    webargs puts field messages in `error.data["messages"]`; they become `errors`.
    """
    status = HTTPStatus(error.code or 500)
    response, code = envelope(status, error.description or status.description)
    messages = (getattr(error, "data", None) or {}).get("messages")
    if messages:
        response = jsonify(
            response.get_json()
            | {"message": "the request is not valid; see errors", "errors": messages}
        )
    for name, value in error.get_headers():  # e.g. Allow, Retry-After
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, code


def handle_domain_error(error: DomainError) -> tuple[Response, int]:
    """Answer a domain error with the status it maps to."""
    return envelope(HTTPStatus(status_for(error)), str(error))


def status_for(error: DomainError) -> int:
    """Return the HTTP status a domain error (or the nearest of its bases)
    is answered with."""
    mapped = (STATUS_FOR[c] for c in type(error).__mro__ if c in STATUS_FOR)
    return next(mapped, HTTPStatus.BAD_REQUEST).value


def handle_missing_key(error: SigningKeyMissingError) -> tuple[Response, int]:
    """Receipts cannot be signed or checked until an operator installs the key."""
    log.error("%s", error)
    return envelope(
        HTTPStatus.SERVICE_UNAVAILABLE, "receipt signing is not set up on this service"
    )


def handle_missing_personal_data_key(
    error: PersonalDataKeyMissingError,
) -> tuple[Response, int]:
    """Project managers cannot be registered or found until the key is installed."""
    log.error("personal-data key missing or unreadable: %s", error)
    return envelope(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "ID-number pseudonymisation is not set up on this service",
    )


def handle_missing_server_key(error: ServerKeyMissingError) -> tuple[Response, int]:
    """Webhook secrets cannot be sealed until the server key is installed."""
    log.error("server key missing or unreadable: %s", error)
    return envelope(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "the server key that seals webhook secrets is not set up on this service",
    )


def handle_persistence_error(error: PersistenceError) -> tuple[Response, int]:
    """A database without the service's tables is a set-up step missed: say so.

    Anything else from the database is unexpected.
    """
    if not is_missing_table(error):
        return handle_unexpected_error(error)
    return _not_initialised("the database has no credit_svc tables")


def handle_outdated_table(error: IdempotencyTableOutdatedError) -> tuple[Response, int]:
    """Keyed writes wait for `init` to add what their claims note."""
    return _not_initialised(str(error))


def _not_initialised(what: str) -> tuple[Response, int]:
    log.error("%s: run `credit-svc init`", what)
    return envelope(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "the database is not initialised; an operator must run `credit-svc init`",
    )


def handle_unexpected_error(error: Exception) -> tuple[Response, int]:
    """Log the failure; tell the client nothing about the inside."""
    log.exception("unhandled error", exc_info=error)
    return envelope(
        HTTPStatus.INTERNAL_SERVER_ERROR, "internal error; it has been logged"
    )


def refuse_non_json_body() -> None:
    """Refuse a write whose body is not JSON with 415.

    Otherwise webargs would read a form or text body as empty and answer with
    "missing field" errors that hide the real mistake.
    """
    if (request.endpoint or "").startswith(PAGES):  # HTML forms post forms
        return
    if request.routing_exception is not None:  # no such path or method: 404, 405
        return
    if request.method in {"POST", "PUT", "PATCH"} and not request.is_json:
        raise UnsupportedMediaType("send the body as application/json")


def register_error_handlers(app: Flask) -> None:
    """Map domain errors and anything unexpected to the envelope."""
    app.before_request(refuse_non_json_body)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(SigningKeyMissingError, handle_missing_key)
    app.register_error_handler(
        PersonalDataKeyMissingError, handle_missing_personal_data_key
    )
    app.register_error_handler(ServerKeyMissingError, handle_missing_server_key)
    app.register_error_handler(PersistenceError, handle_persistence_error)
    app.register_error_handler(IdempotencyTableOutdatedError, handle_outdated_table)
    app.register_error_handler(Exception, handle_unexpected_error)
