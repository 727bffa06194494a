"""Project managers over HTTP: register, assign, record, charge, blacklist.

Packs: Yantai charges a project's deduction in full to its manager, Mianyang
half, Sichuan (Chengdu) nothing. Managers start at 100 points; below 60, or
on the blacklist, they are barred.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from tests.factories import (
    MIANYANG,
    YANTAI,
    credit_code,
    id_number,
    post_record,
    register,
    register_manager,
)

AUTHORITY = "测试住建局"
CHENGDU = credit_code(4, "510104")  # the Sichuan pack: nothing charged


def _registration(**overrides: str) -> dict[str, str]:
    body = {"name": "张三", "id_number": id_number(7), "jurisdiction": "510703"}
    return body | {"authority": AUTHORITY} | overrides


def _assign(
    client: FlaskClient, manager: str, starts_on: str, code: str = YANTAI
) -> Any:
    return client.post(
        f"/enterprises/{code}/projects/P-1/managers",
        json={"manager_id": manager, "starts_on": starts_on, "authority": AUTHORITY},
    )


def _manager_record(client: FlaskClient, manager: str, path: str, **facts: Any) -> Any:
    body = {
        "credit_code": MIANYANG,
        "business_date": "2026-03-01",
        "authority": AUTHORITY,
        "document_number": f"PM-{path}-{facts.get('business_date', '')}",
    } | facts
    return client.post(f"/project-managers/{manager}/records/{path}", json=body)


def _penalty(client: FlaskClient, manager: str, **facts: Any) -> Any:
    body = {"violation_code": "PM-01", "description": "未到岗履职"}
    return _manager_record(
        client,
        manager,
        "bad-credit-records",
        **({"severity": "general"} | body | facts),
    )


def _blacklist(client: FlaskClient, manager: str, **facts: Any) -> Any:
    body = {"list_type": "blacklist", "reason": "挂证", "term_months": 12}
    return _manager_record(client, manager, "list-entries", **(body | facts))


def _standing(client: FlaskClient, manager: str, as_of: str) -> dict[str, Any]:
    answer = client.get(
        f"/project-managers/{manager}/standing", query_string={"as_of": as_of}
    )
    assert answer.status_code == 200, answer.json
    return dict(answer.json)


def test_registration_answers_a_pseudonymous_id_and_never_the_id_number(
    client: FlaskClient,
) -> None:
    answer = client.post(
        "/project-managers",
        json=_registration(),
    )

    assert answer.status_code == 201
    assert set(answer.json) == {"manager_id", "name", "jurisdiction"}
    assert id_number(7) not in answer.get_data(as_text=True)


def test_the_id_number_is_in_no_stored_event(client: FlaskClient) -> None:
    register_manager(client, 7)

    export = client.get("/log/export").get_data(as_text=True)

    assert "测试经理7" in export  # the registration is in the log...
    assert id_number(7) not in export  # ...but not the number
    assert id_number(7)[6:14] not in export  # nor even the birth date in it


def test_one_id_number_registers_once_whatever_its_case(client: FlaskClient) -> None:
    first = register_manager(client, 7)
    number = id_number(7)
    lower = number[:-1] + number[-1].lower()

    again = client.post(
        "/project-managers",
        json=_registration(name="另一个名字", id_number=f" {lower} "),
    )

    assert again.status_code == 409
    assert first in again.json["message"]


def test_an_invalid_id_number_is_422_not_echoed_and_writes_nothing(
    client: FlaskClient,
) -> None:
    head = client.get("/log/head").json
    wrong = id_number(7)[:-1] + ("0" if id_number(7)[-1] != "0" else "1")

    answer = client.post(
        "/project-managers",
        json=_registration(id_number=wrong),
    )

    assert answer.status_code == 422
    assert "id_number" in answer.json["errors"]["json"]
    assert wrong not in answer.get_data(as_text=True)
    assert client.get("/log/head").json == head


def test_a_manager_is_found_by_id_number_in_the_body(client: FlaskClient) -> None:
    manager = register_manager(client, 7)

    found = client.post("/project-managers/lookup", json={"id_number": id_number(7)})
    missing = client.post("/project-managers/lookup", json={"id_number": id_number(8)})

    assert found.status_code == 200
    assert found.json["manager_id"] == manager
    assert missing.status_code == 404


def test_assignments_run_until_the_next_manager_takes_over(
    client: FlaskClient,
) -> None:
    register(client)
    first, second = register_manager(client, 1), register_manager(client, 2)

    assert _assign(client, first, "2026-01-01").status_code == 201
    assert _assign(client, second, "2026-05-01").status_code == 201

    spells = client.get(f"/enterprises/{YANTAI}/projects/P-1/managers").json
    assert [(s["manager_id"], s["starts_on"], s["ends_on"]) for s in spells] == [
        (first, "2026-01-01", "2026-05-01"),
        (second, "2026-05-01", None),
    ]
    mine = client.get(f"/project-managers/{first}/assignments").json
    assert [(s["credit_code"], s["ends_on"]) for s in mine] == [(YANTAI, "2026-05-01")]


@pytest.mark.parametrize(
    ("project", "manager", "status"),
    [
        ("P-1", "00000000-0000-0000-0000-000000000000", 404),
        ("NO-SUCH", None, 422),
    ],
)
def test_an_assignment_needs_a_registered_manager_and_a_real_project(
    client: FlaskClient, project: str, manager: str | None, status: int
) -> None:
    register(client)
    manager = manager or register_manager(client)
    head = client.get("/log/head").json

    answer = client.post(
        f"/enterprises/{YANTAI}/projects/{project}/managers",
        json={"manager_id": manager, "starts_on": "2026-01-01", "authority": AUTHORITY},
    )

    assert answer.status_code == status
    assert client.get("/log/head").json == head


def test_a_second_start_on_the_same_day_is_409(client: FlaskClient) -> None:
    register(client)
    manager = register_manager(client)
    _assign(client, manager, "2026-01-01")

    assert _assign(client, manager, "2026-01-01").status_code == 409


def test_a_project_deduction_is_charged_in_full_under_the_yantai_pack(
    client: FlaskClient,
) -> None:
    register(client)
    manager = register_manager(client)
    _assign(client, manager, "2026-02-01")
    post_record(client, "bad_credit", business_date="2026-03-01", project_code="P-1")

    standing = _standing(client, manager, "2026-04-01")

    assert [c["points"] for c in standing["charged"]] == ["-8"]  # stated 8 points
    assert standing["charged"][0]["credit_code"] == YANTAI
    assert standing["points"] == "92"
    assert standing["barred"] is False


def test_only_project_deductions_while_the_manager_ran_it_are_charged(
    client: FlaskClient,
) -> None:
    register(client)
    manager = register_manager(client)
    _assign(client, manager, "2026-02-01")
    before = {"business_date": "2026-01-15", "project_code": "P-1"}
    post_record(client, "bad_credit", document_number="D-before", **before)
    post_record(client, "bad_credit", business_date="2026-03-01")  # no project

    standing = _standing(client, manager, "2026-04-01")

    assert standing["charged"] == []
    assert standing["points"] == "100"


@pytest.mark.parametrize(
    ("code", "charged", "points"),
    [(MIANYANG, ["-4.0"], "96.0"), (CHENGDU, [], "100")],
)
def test_the_enterprises_pack_sets_the_share_charged(
    client: FlaskClient, code: str, charged: list[str], points: str
) -> None:
    register(client, code)
    manager = register_manager(client)
    _assign(client, manager, "2026-02-01", code)
    post_record(
        client, "bad_credit", code, business_date="2026-03-01", project_code="P-1"
    )

    standing = _standing(client, manager, "2026-04-01")

    assert [c["points"] for c in standing["charged"]] == charged
    assert standing["points"] == points


def test_own_penalties_use_the_stated_points_else_the_packs(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    _penalty(client, manager, document_number="PM-1")  # general: 5 by the pack
    _penalty(client, manager, document_number="PM-2", points="3")

    standing = _standing(client, manager, "2026-04-01")

    assert sorted(c["points"] for c in standing["counted"]) == ["-3", "-5"]
    assert standing["points"] == "92"


def test_a_penalty_counts_from_its_business_date(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    _penalty(client, manager)

    standing = _standing(client, manager, "2026-02-01")

    assert standing["points"] == "100"
    assert standing["not_counted"][0]["reason"].startswith("not yet in effect")


def test_too_many_deductions_bar_the_manager(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    for number in range(5):  # 5 serious penalties of 10 points: 50 < 60
        _penalty(client, manager, severity="serious", document_number=f"PM-{number}")

    standing = _standing(client, manager, "2026-04-01")

    assert standing["points"] == "50"
    assert (standing["blacklisted"], standing["barred"]) == (False, True)


def test_a_blacklisted_manager_is_barred_and_publicly_listed_without_id_number(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    _blacklist(client, manager)

    standing = _standing(client, manager, "2026-04-01")
    listed = client.get(
        "/project-managers/blacklist",
        query_string={"jurisdiction": "51", "as_of": "2026-04-01"},
    )

    assert (standing["blacklisted"], standing["barred"]) == (True, True)
    assert [m["manager_id"] for m in listed.json] == [manager]
    assert listed.json[0]["entries"][0]["list_type"] == "blacklist"
    assert id_number(1) not in listed.get_data(as_text=True)


def test_a_blacklist_term_ends_by_itself(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    _blacklist(client, manager, term_months=3)

    listed = client.get(
        "/project-managers/blacklist",
        query_string={"jurisdiction": "510703", "as_of": "2026-06-01"},
    )

    assert _standing(client, manager, "2026-06-01")["blacklisted"] is False
    assert listed.json == []


def test_the_listing_authority_lifts_a_managers_blacklisting_early(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    entry = _blacklist(client, manager).json["record_id"]

    lifted = client.post(
        f"/records/{entry}/lifting",
        json={
            "lifted_on": "2026-05-01",
            "authority": AUTHORITY,
            "document_number": "LIFT-1",
            "reason": "整改到位",
        },
    )

    assert lifted.status_code == 201, lifted.json
    assert _standing(client, manager, "2026-04-30")["blacklisted"] is True
    assert _standing(client, manager, "2026-05-01")["blacklisted"] is False


def test_a_managers_records_do_not_grade_the_enterprise(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    before = client.get(
        f"/enterprises/{MIANYANG}/grade", query_string={"as_of": "2026-04-01"}
    ).json

    _blacklist(client, manager)
    _penalty(client, manager, severity="serious")

    after = client.get(
        f"/enterprises/{MIANYANG}/grade", query_string={"as_of": "2026-04-01"}
    ).json
    assert (after["grade"], after["score"], after["blacklisted"]) == (
        before["grade"],
        before["score"],
        False,
    )


def test_a_managers_records_are_listed_under_the_manager(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager, other = register_manager(client, 1), register_manager(client, 2)
    _penalty(client, manager)
    _blacklist(client, other)

    records = client.get(f"/project-managers/{manager}/records").json

    assert [r["kind"] for r in records] == ["manager_bad_credit"]
    assert records[0]["details"]["manager_id"] == manager
    assert records[0]["status"]["state"] == "active"


def test_a_record_about_an_unregistered_manager_is_404_and_writes_nothing(
    client: FlaskClient,
) -> None:
    register(client, MIANYANG)
    head = client.get("/log/head").json

    answer = _penalty(client, "00000000-0000-0000-0000-000000000000")

    assert answer.status_code == 404
    assert client.get("/log/head").json == head


def test_a_manager_penalty_refuses_enterprise_only_fields(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)

    answer = _penalty(client, manager, veto=True)

    assert answer.status_code == 422
    assert "veto" in answer.json["errors"]["json"]


def test_a_retracted_penalty_stops_counting(client: FlaskClient) -> None:
    register(client, MIANYANG)
    manager = register_manager(client)
    record = _penalty(client, manager).json["record_id"]

    client.post(
        f"/records/{record}/retraction",
        json={"authority": AUTHORITY, "document_number": "R-1", "reason": "错录"},
    )

    assert _standing(client, manager, "2026-04-01")["points"] == "100"


def test_an_unknown_manager_is_404(client: FlaskClient) -> None:
    unknown = "00000000-0000-0000-0000-000000000000"

    assert client.get(f"/project-managers/{unknown}").status_code == 404
    assert client.get(f"/project-managers/{unknown}/standing").status_code == 404


def test_a_rebuild_from_the_log_gives_the_same_manager_rows(
    app: Flask, client: FlaskClient
) -> None:
    register(client)
    manager = register_manager(client)
    _assign(client, manager, "2026-02-01")
    _blacklist(client, manager, credit_code=YANTAI)

    result = app.test_cli_runner().invoke(main, ["rebuild"])

    assert result.exit_code == 0, result.output
    for table in ("manager", "assignment", "manager_record"):
        assert f"{table}: 1 rebuilt rows, 0 only in live, 0 only in rebuilt" in (
            result.output
        )


def test_without_the_personal_data_key_registration_is_503_and_writes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    app.extensions["credit_svc"].personal_data_key_file.unlink()
    head = client.get("/log/head").json

    answer = client.post(
        "/project-managers",
        json=_registration(),
    )

    assert answer.status_code == 503
    assert answer.json["message"] == (
        "ID-number pseudonymisation is not set up on this service"
    )
    assert client.get("/log/head").json == head
