"""Registering enterprises and projects over HTTP."""

from __future__ import annotations

from flask.testing import FlaskClient

from credit_svc.services import Services
from tests.factories import YANTAI, credit_code, register


def test_registered_enterprise_is_read_back_with_its_projects(
    client: FlaskClient,
) -> None:
    register(client)

    response = client.get(f"/enterprises/{YANTAI}?as_of=2026-06-01")

    assert response.status_code == 200
    assert response.json == {
        "credit_code": YANTAI,
        "name": f"测试物业{YANTAI[-4:]}",
        "jurisdiction": "370602",
        "as_of": "2026-06-01",
        "projects": [
            {
                "code": "P-1",
                "name": "测试小区",
                "registered": False,  # named by the firm, not a registered estate
                "board": None,
                "blacklisted": False,
                "stars": None,
            }
        ],
    }


def test_registering_answers_201_with_the_enterprise(client: FlaskClient) -> None:
    response = register(client)

    assert response.status_code == 201
    assert response.json["projects"] == [{"code": "P-1", "name": "测试小区"}]


def test_registering_a_code_twice_is_a_conflict(client: FlaskClient) -> None:
    register(client)

    response = register(client)

    assert response.status_code == 409
    assert response.json == {
        "code": 409,
        "status": "Conflict",
        "message": f"enterprise {YANTAI} is registered already",
    }


def test_bad_check_character_is_refused_and_nothing_written(
    client: FlaskClient, services: Services
) -> None:
    bad = YANTAI[:17] + ("0" if YANTAI[17] != "0" else "1")

    response = register(client, bad, "370602")

    assert response.status_code == 422
    assert response.json["errors"]["json"]["credit_code"] == [
        "not a valid unified social credit code (GB 32100, check character)"
    ]
    assert services.app.recorder.max_notification_id() == 1  # the test key only


def test_jurisdiction_must_be_six_digits(client: FlaskClient) -> None:
    response = client.post(
        "/enterprises",
        json={
            "credit_code": credit_code(9),
            "name": "x",
            "jurisdiction": "3706",
            "authority": "测试住建局",
        },
    )

    assert response.status_code == 422
    assert "jurisdiction" in response.json["errors"]["json"]


def test_unknown_fields_are_refused(client: FlaskClient) -> None:
    response = client.post(
        "/enterprises",
        json={
            "credit_code": YANTAI,
            "name": "x",
            "jurisdiction": "370602",
            "authority": "测试住建局",
            "grade": "AAA",
        },
    )

    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"grade": ["Unknown field."]}


def test_unknown_enterprise_is_404_in_the_envelope(client: FlaskClient) -> None:
    response = client.get(f"/enterprises/{YANTAI}")

    assert response.status_code == 404
    assert response.json == {
        "code": 404,
        "status": "Not Found",
        "message": f"enterprise {YANTAI} is not registered",
    }


def test_added_project_is_listed(client: FlaskClient) -> None:
    register(client)

    response = client.post(
        f"/enterprises/{YANTAI}/projects",
        json={"code": "P-2", "name": "二号小区", "authority": "测试住建局"},
    )

    assert response.status_code == 201
    projects = client.get(f"/enterprises/{YANTAI}").json["projects"]
    assert [(p["code"], p["name"]) for p in projects] == [
        ("P-1", "测试小区"),
        ("P-2", "二号小区"),
    ]


def test_adding_a_project_code_twice_is_a_conflict(client: FlaskClient) -> None:
    register(client)

    response = client.post(
        f"/enterprises/{YANTAI}/projects",
        json={"code": "P-1", "name": "again", "authority": "测试住建局"},
    )

    assert response.status_code == 409
    assert response.json["message"] == "project P-1 is registered already"
