"""The committed OpenAPI document is what the schemas generate, and valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask
from openapi_spec_validator import validate

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
