"""Fresh grade reads: only the enterprises asked, and records read with the
changes made to them (a retraction, a correction) folded in."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc.projections.view import CHANGES_LOOKED_AT_MOST
from credit_svc.services import Services
from tests.factories import MIANYANG, YANTAI, post_record, register

RETRACTION = {"authority": "测试住建局", "document_number": "撤-1", "reason": "复核"}


def test_a_grade_read_reads_only_the_enterprises_asked(
    client: FlaskClient, services: Services
) -> None:
    for code in (YANTAI, MIANYANG):
        register(client, code)
        post_record(client, "party_building", code, business_date="2025-09-01")
    looked_at: list[str] = []

    def kinds_wanted(row: dict[str, Any]) -> frozenset[str]:
        looked_at.append(row["credit_code"])
        return frozenset({"party_building"})

    rows, facts = services.view.grades.grades_on(
        [MIANYANG], date(2026, 6, 1), kinds_wanted
    )

    assert list(rows) == [MIANYANG]
    assert looked_at == [MIANYANG]
    assert list(facts) == [MIANYANG]


def test_a_fresh_grade_sees_a_retracted_assessment_gone(
    client: FlaskClient, services: Services
) -> None:
    register(client, MIANYANG)
    register(client)  # an enterprise without changes, read in the same batch
    assessment = post_record(
        client, "party_building", MIANYANG, business_date="2025-09-01"
    ).json["record_id"]
    batch = {"credit_codes": [MIANYANG, YANTAI], "as_of": "2026-01-01"}
    eligible = client.post("/grades/batch", json=batch).json["grades"][0]["eligible"]

    client.post(f"/records/{assessment}/retraction", json=RETRACTION)
    services.view.version(services.app.name)  # nothing kept could answer now
    single = client.get(f"/enterprises/{MIANYANG}/grade?as_of=2026-01-01").json
    batched = client.post("/grades/batch", json=batch).json["grades"][0]

    # Mianyang bars firms without a party-building assessment from awards.
    assert eligible is True
    assert (single["eligible"], batched["eligible"]) == (False, False)


def test_the_enterprises_changed_between_two_positions_are_those_of_its_events(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    register(client, MIANYANG)
    post_record(client, "good_credit")
    name = services.app.name
    head, _ = services.view.version(name)

    def changed(after: int, upto: int) -> frozenset[str] | None:
        return services.view.codes_changed(name, after, upto)

    assert changed(0, head) == frozenset({YANTAI, MIANYANG})
    assert changed(head - 1, head) == frozenset({YANTAI})
    assert changed(head, head) == frozenset()
    assert changed(0, head + 1) is None  # this reader is not there yet
    assert changed(head, head + CHANGES_LOOKED_AT_MOST + 1) is None


def test_the_changed_enterprises_are_read_once_for_both_answer_caches(
    client: FlaskClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(client)
    post_record(client, "good_credit")
    name = services.app.name
    head, _ = services.view.version(name)
    statements: list[str] = []
    all_in = services.view.db.all_in

    def counted(cursor: Any, statement: str, params: tuple[Any, ...]) -> Any:
        statements.append(statement)
        return all_in(cursor, statement, params)

    monkeypatch.setattr(services.view.db, "all_in", counted)

    single, batch = (services.view.codes_changed(name, head - 1, head) for _ in "xy")
    other = services.view.codes_changed(name, head - 2, head)

    assert single == batch == frozenset({YANTAI})
    assert other == frozenset({YANTAI})
    assert len(statements) == 2  # the repeat was not read again
