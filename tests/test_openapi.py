"""The committed OpenAPI document is what the schemas generate, and valid."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from credit_svc import create_app
from credit_svc.api.openapi_examples import refers
from credit_svc.domain.credit_code import is_valid_credit_code
from tests.factories import PATHS

SPEC_FILE = Path(__file__).parents[1] / "schemas" / "openapi.json"


def generated(app: Flask) -> dict[str, Any]:
    """Return the document flask-smorest generates from the schemas."""
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    spec: dict[str, Any] = json.loads(json.dumps(api.spec.to_dict()))
    return spec


def test_committed_spec_matches_the_schemas(app: Flask) -> None:
    committed = json.loads(SPEC_FILE.read_text(encoding="utf-8"))

    assert generated(app) == committed, (
        "stale: run `credit-svc openapi write schemas/openapi.json`"
    )


def test_spec_is_valid_openapi(app: Flask) -> None:
    validate(generated(app))


def test_every_record_kind_has_a_documented_post(app: Flask) -> None:
    paths = generated(app)["paths"]

    posts = [p for p, ops in paths.items() if "/enterprises/" in p and "post" in ops]

    assert sorted(p.rsplit("/", 1)[-1] for p in posts if "/records/" in p) == sorted(
        PATHS.values()
    )


def test_a_batch_item_is_documented_with_what_it_must_hold(app: Flask) -> None:
    schemas = generated(app)["components"]["schemas"]

    item = schemas["RecordBatchRequest"]["properties"]["records"]["items"]

    assert item["required"] == ["kind", "credit_code"]
    assert "inspection" in item["properties"]["kind"]["enum"]


def test_a_receipt_s_dates_are_documented_as_dates(app: Flask) -> None:
    receipt = generated(app)["components"]["schemas"]["Receipt"]["properties"]

    assert receipt["as_of"]["format"] == "date"
    assert receipt["issued_at"]["format"] == "date-time"


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_operation_says_whether_it_needs_a_key_as_it_behaves(
    app: Flask, anonymous: FlaskClient
) -> None:
    values = {
        "credit_code": "91370602MA3C4K7Q11",
        "board": "red",
        "year": "2026",
        "field_set": "penalties",
    }

    for path, method, operation in _operations(generated(app)):
        url = re.sub(r"{(\w+)}", lambda m: values.get(m[1], str(uuid.uuid4())), path)
        answer = anonymous.open(url, method=method.upper(), json={})
        needs_key = operation["security"] == [{"apiKey": []}]

        assert (answer.status_code == 401) == needs_key, (method, path)
        if needs_key:
            assert {"401", "429"} <= operation["responses"].keys(), path
            # Any key may ask who it is: only there is no key refused.
            assert ("403" in operation["responses"]) == (path != "/me"), path
            assert operation["description"].splitlines()[-1].startswith("Keys: ")
        else:
            assert operation["security"] == [], path
            assert operation["description"].endswith("No key needed."), path
        if "requestBody" in operation:
            assert operation["responses"]["413"] == {
                "$ref": "#/components/responses/BodyTooLarge"
            }


def test_the_document_names_the_public_url_as_its_server(
    config: dict[str, Any],
) -> None:
    flask_app = create_app(config | {"PUBLIC_URL": "https://credit.example.gov.cn"})
    try:
        spec = generated(flask_app)
    finally:
        flask_app.extensions["credit_svc"].close()

    assert spec["servers"] == [{"url": "https://credit.example.gov.cn"}]
    assert spec["components"]["responses"]["RateLimited"]["headers"]["Retry-After"]


def test_every_property_has_an_example_of_its_own_type(app: Flask) -> None:
    schemas = generated(app)["components"]["schemas"]
    wrong = []

    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            if refers(prop):
                continue  # its example is the referred schema's
            if "example" not in prop:
                wrong.append((name, field, "no example"))
                continue
            errors = [
                e.message for e in OAS30Validator(prop).iter_errors(prop["example"])
            ]
            if errors:
                wrong.append((name, field, errors[0][:80]))

    assert wrong == []
    assert is_valid_credit_code(
        schemas["RegisterEnterpriseRequest"]["properties"]["credit_code"]["example"]
    )


def test_every_body_and_answer_is_a_documented_schema(app: Flask) -> None:
    spec = generated(app)

    for path, method, operation in _operations(spec):
        bodies = [operation.get("requestBody", {"content": {}})] + [
            answer
            for status, answer in operation["responses"].items()
            if status.startswith("2") and isinstance(answer, dict)
        ]
        for body in bodies:
            for media in body.get("content", {}).values():
                schema = media["schema"]
                assert (
                    "$ref" in schema
                    or "$ref" in schema.get("items", {})
                    or (schema.get("example") is not None)
                ), (method, path)
