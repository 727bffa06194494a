"""Bodies and queries built to break the service get a 4xx in the envelope,
never a 500, and write nothing (issue 35: items 2, 3 and 4)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc.services import Services
from tests.factories import (
    PATHS,
    YANTAI,
    enterprise_body,
    events_written,
    id_number,
    record_body,
    register,
)

DEEP = "[" * 1000 + "]" * 1000  # about 2 KB
PAIR = '["\\ud83d\\ude92 fire engine blocked"]'  # one character, two escapes


def _post_text(client: FlaskClient, path: str, text: str) -> Any:
    return client.post(path, data=text, content_type="application/json")


def _record_text(kind: str, field: str, literal: str) -> str:
    """Return a record body as JSON text with one field's value written as is."""
    body = record_body(kind) | {field: "PLACEHOLDER"}
    return json.dumps(body).replace('"PLACEHOLDER"', literal)


def test_a_body_nested_a_thousand_deep_is_400_even_anonymous(
    anonymous: FlaskClient,
) -> None:
    response = _post_text(anonymous, "/receipts/verify", DEEP)

    assert response.status_code == 400
    assert response.json["code"] == 400
    assert "nested deeper" in response.json["message"]


HOSTILE_RECORDS = [
    ("inspection", "findings", DEEP, "nested deeper"),
    ("party_building", "party_member_count", "9" * 5000, "number too long"),
    ("bad_credit", "description", '"\\ud800"', "lone surrogate"),
    ("inspection", "findings", '["\\udfff fire exit"]', "lone surrogate"),
]


@pytest.mark.parametrize("case", HOSTILE_RECORDS, ids=lambda c: f"{c[0]}-{c[3]}")
def test_a_hostile_record_body_is_400_and_nothing_is_written(
    client: FlaskClient, services: Services, case: tuple[str, str, str, str]
) -> None:
    kind, field, literal, said = case
    register(client)
    before = events_written(services)

    response = _post_text(
        client,
        f"/enterprises/{YANTAI}/records/{PATHS[kind]}",
        _record_text(kind, field, literal),
    )

    assert response.status_code == 400, response.json
    assert said in response.json["message"]
    assert events_written(services) == before


def test_a_surrogate_pair_is_text_like_any_other(client: FlaskClient) -> None:
    register(client)

    response = _post_text(
        client,
        f"/enterprises/{YANTAI}/records/{PATHS['inspection']}",
        _record_text("inspection", "findings", PAIR),
    )

    assert response.status_code == 201, response.json


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00"]
)
def test_a_moment_at_the_ends_of_the_calendar_is_422(
    anonymous: FlaskClient, client: FlaskClient, moment: str
) -> None:
    register(client)

    response = anonymous.get(
        f"/enterprises/{YANTAI}/grade", query_string={"recorded_at": moment}
    )

    assert response.status_code == 422
    assert "recorded_at" in response.json["errors"]["query"]


@pytest.mark.parametrize(
    "variant",
    [
        "110105١٩٤٩١٢٣١٠٠٢X",  # Arabic-Indic digits
        "1１０１０５１９４９１２３１００２X",  # fullwidth digits
    ],
)
def test_an_id_number_in_other_digits_is_refused_not_a_second_person(
    client: FlaskClient, services: Services, variant: str
) -> None:
    first = client.post(
        "/project-managers",
        json={
            "name": "测试经理",
            "id_number": "11010519491231002X",
            "jurisdiction": "110105",
            "authority": "测试住建局",
        },
    )
    before = events_written(services)

    again = client.post(
        "/project-managers",
        json={
            "name": "测试经理",
            "id_number": variant,
            "jurisdiction": "110105",
            "authority": "测试住建局",
        },
    )

    assert first.status_code == 201, first.json
    assert again.status_code == 422, again.json
    assert "id_number" in again.json["errors"]["json"]
    assert events_written(services) == before


def test_a_division_code_in_other_digits_is_refused(
    client: FlaskClient, services: Services
) -> None:
    before = events_written(services)

    response = client.post("/enterprises", json=enterprise_body(YANTAI, "3706٠٢"))

    assert response.status_code in (403, 422), response.json
    assert events_written(services) == before


def test_a_test_id_number_is_ascii() -> None:
    assert id_number(1).isascii()
