"""Event logs the projection tests build: through the API, or appended without
projecting, as a worker that died after its commit leaves them."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from credit_svc.api.record_schemas import REQUEST_SCHEMAS
from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import YANTAI, credit_code, post_record, record_body, register

KINDS = ("bad_credit", "good_credit", "party_building", "appraisal")


def decision(number: str, **more: Any) -> dict[str, Any]:
    """Return the recording authority's decision body."""
    return {
        "authority": "测试住建局",
        "document_number": number,
        "reason": "复核",
    } | more


def interleaved_log(client: FlaskClient, lifecycle: bool = True) -> list[str]:
    """Three enterprises, records about them in turn over two years, then (with
    `lifecycle`) a correction and a retraction of early records; return the
    codes."""
    codes = [credit_code(serial) for serial in (1, 2, 3)]
    for code in codes:
        assert register(client, code).status_code == 201
    first_ids = []
    for n in range(12):
        code, kind = codes[n % 3], KINDS[n % 4]
        day = f"{2025 + n // 6}-{1 + n % 6 * 2:02d}-10"
        posted = post_record(
            client, kind, code, business_date=day, document_number=f"D-{n}"
        )
        assert posted.status_code == 201, posted.json
        first_ids.append(posted.json["record_id"])
    if not lifecycle:  # their answers are read from the view: they project
        return codes
    corrected = client.post(
        f"/records/{first_ids[0]}/corrections",
        json=decision("更-1", changes={"points": "12"}),
    )
    retracted = client.post(f"/records/{first_ids[4]}/retraction", json=decision("撤"))
    assert (corrected.status_code, retracted.status_code) == (201, 201)
    return codes


def rebuilt_interleaved_log(app: Flask, client: FlaskClient) -> None:
    """Record an interleaved log and run `credit-svc rebuild` over it."""
    interleaved_log(client, lifecycle=False)
    result = app.test_cli_runner().invoke(main, ["rebuild"])
    assert result.exit_code == 0, result.output


def append_without_projecting(
    app: Flask, services: Services, count: int, first: int = 0
) -> None:
    """Append records as if each worker died after its commit, before catch-up."""
    with app.app_context():  # the schema reads today's date from the app's config
        for n in range(first, first + count):
            body = record_body("bad_credit", document_number=f"CRASH-{n}", points="1")
            facts = REQUEST_SCHEMAS["bad_credit"]().load(body) | {"credit_code": YANTAI}
            services.app.record("bad_credit", facts)


def records_listed(client: FlaskClient) -> int:
    """Return how many records the read model lists for the test enterprise."""
    return len(client.get(f"/enterprises/{YANTAI}/records").json)
