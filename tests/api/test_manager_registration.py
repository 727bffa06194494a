"""Project managers over HTTP: pseudonymous registration, assignment to projects."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.api.managers import (
    AUTHORITY,
    assign,
    registration,
)
from tests.factories import (
    YANTAI,
    id_number,
    register,
    register_manager,
)


def test_registration_answers_a_pseudonymous_id_and_never_the_id_number(
    client: FlaskClient,
) -> None:
    answer = client.post(
        "/project-managers",
        json=registration(),
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
        json=registration(name="另一个名字", id_number=f" {lower} "),
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
        json=registration(id_number=wrong),
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

    assert assign(client, first, "2026-01-01").status_code == 201
    assert assign(client, second, "2026-05-01").status_code == 201

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
    assign(client, manager, "2026-01-01")

    assert assign(client, manager, "2026-01-01").status_code == 409
