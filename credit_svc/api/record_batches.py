"""Records in batches: up to a hundred in one request, all or none."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.record_batch_schemas import (
    RecordBatchRequestSchema,
    RecordBatchSchema,
    load_item,
)
from credit_svc.api.records import appended_body
from credit_svc.api.services import services
from credit_svc.domain.errors import EnterpriseNotFoundError, InvalidRecordError
from credit_svc.domain.record import record_id_for
from credit_svc.usecases.record_batches import append_batch

blp = Blueprint(
    "record_batches", __name__, description="Post many records in one request."
)
# Where an item's refusal by the enterprise it names is shown.
REFUSED_FIELD = {
    EnterpriseNotFoundError: "credit_code",
    InvalidRecordError: "project_code",
}


@blp.route("/records/batch")
class RecordBatch(MethodView):
    """Many records at once."""

    @blp.arguments(RecordBatchRequestSchema)
    @blp.response(201, RecordBatchSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Record up to 100 records about registered enterprises, all or none

        Any item that its kind's POST would refuse refuses the batch (422,
        with each item's errors under its index): nothing is written. Records
        the log holds already are left out and listed under
        `already_recorded`, so a batch sent twice records each record once.
        """
        appended, already = append_batch(services().app, checked(body["records"]))
        if appended:
            services().after_write(upto=appended[-1][1])
        return {
            "recorded": [appended_body(r, position) for r, position in appended],
            "already_recorded": already,
        }


def checked(items: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Return each item's kind and facts, checked as a single POST checks
    them; abort with 422 and every item's errors if any is refused."""
    loaded, errors = [], {}
    first: dict[UUID, int] = {}  # natural key -> index of the item stating it
    for index, item in enumerate(items):
        try:
            kind, facts = load_item(item)
            _check_subject(kind, facts)
        except ValidationError as error:
            errors[index] = error.messages
            continue
        record_id = record_id_for(kind, facts)
        if record_id in first:
            same = f"the same record as records[{first[record_id]}]"
            errors[index] = {"document_number": [same]}
        first.setdefault(record_id, index)
        loaded.append((kind, facts))
    if errors:
        abort(HTTPStatus.UNPROCESSABLE_ENTITY, messages={"json": {"records": errors}})
    return loaded


def _check_subject(kind: str, facts: dict[str, Any]) -> None:
    """Refuse, as a field error, a record about an unregistered enterprise or
    a project it does not have."""
    try:
        services().app.check_record(kind, facts)
    except (EnterpriseNotFoundError, InvalidRecordError) as error:
        raise ValidationError({REFUSED_FIELD[type(error)]: [str(error)]}) from None
