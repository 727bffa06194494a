"""Helpers of the project-manager tests: bodies and requests they share.

Packs: Yantai charges a project's deduction in full to its manager, Mianyang
half, Sichuan (Chengdu) nothing. Managers start at 100 points; below 60, or
on the blacklist, they are barred.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.factories import MIANYANG, YANTAI, credit_code, id_number

AUTHORITY = "测试住建局"
CHENGDU = credit_code(4, "510104")  # the Sichuan pack: nothing charged


def registration(**overrides: str) -> dict[str, str]:
    """Return a manager's registration body."""
    body = {"name": "张三", "id_number": id_number(7), "jurisdiction": "510703"}
    return body | {"authority": AUTHORITY} | overrides


def assign(
    client: FlaskClient, manager: str, starts_on: str, code: str = YANTAI
) -> Any:
    """Put the manager in charge of the enterprise's project P-1."""
    return client.post(
        f"/enterprises/{code}/projects/P-1/managers",
        json={"manager_id": manager, "starts_on": starts_on, "authority": AUTHORITY},
    )


def running(
    client: FlaskClient, manager: str, code: str = MIANYANG, since: str = "2026-01-01"
) -> None:
    """Put the manager in charge of the enterprise's project P-1 from a day:
    a record about a manager is only taken about a project they ran."""
    answer = assign(client, manager, since, code)
    assert answer.status_code == 201, answer.json


def manager_record(client: FlaskClient, manager: str, path: str, **facts: Any) -> Any:
    """Post a record about the manager."""
    body = {
        "credit_code": MIANYANG,
        "business_date": "2026-03-01",
        "authority": AUTHORITY,
        "document_number": f"PM-{path}-{facts.get('business_date', '')}",
    } | facts
    return client.post(f"/project-managers/{manager}/records/{path}", json=body)


def penalty(client: FlaskClient, manager: str, **facts: Any) -> Any:
    """Post a bad-credit record about the manager."""
    body = {"violation_code": "PM-01", "description": "未到岗履职"}
    return manager_record(
        client,
        manager,
        "bad-credit-records",
        **({"severity": "general"} | body | facts),
    )


def blacklist(client: FlaskClient, manager: str, **facts: Any) -> Any:
    """Put the manager on the blacklist."""
    body = {"list_type": "blacklist", "reason": "挂证", "term_months": 12}
    return manager_record(client, manager, "list-entries", **(body | facts))


def standing_on(client: FlaskClient, manager: str, as_of: str) -> dict[str, Any]:
    """Return the manager's standing on the day."""
    answer = client.get(
        f"/project-managers/{manager}/standing", query_string={"as_of": as_of}
    )
    assert answer.status_code == 200, answer.json
    return dict(answer.json)
