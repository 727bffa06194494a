"""Rectification deadlines (限期整改), summonses (约谈) and the watch list
(issue 34, item 4): a record is overdue from the day after its deadline
until the recording authority confirms the rectification, and the pack
says what that does, worked out as of a date with nothing written by the
service itself."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc.rulepacks.load import PACKAGED_DIR
from credit_svc.services import Services
from credit_svc.usecases.api_keys import issue_key
from tests.factories import credit_code, events_written, post_record, register

WUHAN = credit_code(9, "420102")  # the deduct test pack
CHANGSHA = credit_code(10, "430102")  # the list test pack
PACKS = Path(__file__).parent / "packs"


@pytest.fixture
def bureau(
    bureau_with: Callable[..., FlaskClient], services: Services, tmp_path: Path
) -> FlaskClient:
    """A bureau of Hubei and Hunan on a service running both test packs."""
    packs = tmp_path / "packs"
    shutil.copytree(PACKAGED_DIR, packs, ignore=shutil.ignore_patterns("*.py"))
    for name in ("rectification-deduct.yaml", "rectification-list.yaml"):
        shutil.copy(PACKS / name, packs)
    client = bureau_with(RULE_PACK_DIR=str(packs))
    _, token = issue_key(services.app, "鄂湘住建", "bureau", "测试住建局", ("42", "43"))
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for code in (WUHAN, CHANGSHA):
        assert register(client, code).status_code == 201
    return client


def _inspection(client: FlaskClient, code: str, **facts: Any) -> str:
    answer = post_record(
        client,
        "inspection",
        code,
        business_date="2026-03-01",
        rectification_deadline="2026-03-31",
        **facts,
    )
    assert answer.status_code == 201, answer.json
    return str(answer.json["record_id"])


def _score(client: FlaskClient, code: str, day: str) -> tuple[str, str]:
    grade = client.get(f"/enterprises/{code}/grade?as_of={day}").json
    explained = client.get(f"/enterprises/{code}/grade/explanation?as_of={day}").json
    assert explained["score"] == grade["score"]  # the view and the recomputation
    return grade["score"], grade["grade"]


def _rectify(client: FlaskClient, record_id: str, day: str) -> None:
    answer = client.post(
        f"/records/{record_id}/rectification",
        json={
            "rectified_on": day,
            "authority": "测试住建局",
            "document_number": "整改确认-1",
            "reason": "复查合格",
        },
    )
    assert answer.status_code == 201, answer.json


def test_overdue_the_day_after_its_deadline_until_rectified(
    bureau: FlaskClient, services: Services
) -> None:
    record_id = _inspection(bureau, WUHAN)
    written = events_written(services)

    before = _score(bureau, WUHAN, "2026-03-31")
    after = _score(bureau, WUHAN, "2026-04-01")
    explained = bureau.get(
        f"/enterprises/{WUHAN}/grade/explanation?as_of=2026-04-01"
    ).json
    nothing_written = events_written(services) == written
    _rectify(bureau, record_id, "2026-04-20")

    assert before == ("90", "A")
    assert after == ("85", "B")
    assert nothing_written  # worked out on reading, no event of the service's
    assert [(c["kind"], c["points"]) for c in explained["counted"]] == [
        ("overdue_rectification", "-5")
    ]
    assert _score(bureau, WUHAN, "2026-04-19") == ("85", "B")
    assert _score(bureau, WUHAN, "2026-04-20") == ("90", "A")


def test_rectified_in_time_has_no_consequence(bureau: FlaskClient) -> None:
    record_id = _inspection(bureau, WUHAN)
    _rectify(bureau, record_id, "2026-03-30")

    assert _score(bureau, WUHAN, "2026-04-01") == ("90", "A")


def test_a_summons_with_a_deadline_is_a_record_of_its_own(bureau: FlaskClient) -> None:
    summons = post_record(
        bureau,
        "summons",
        WUHAN,
        business_date="2026-05-06",
        rectification_deadline="2026-06-05",
    )
    listed = bureau.get(f"/enterprises/{WUHAN}/records?kind=summons").json

    assert summons.status_code == 201, summons.json
    assert listed[0]["details"]["reason"] == "业主满意度低、矛盾纠纷多"
    assert _score(bureau, WUHAN, "2026-06-05") == ("90", "A")
    assert _score(bureau, WUHAN, "2026-06-06") == ("85", "B")


def test_a_list_pack_puts_an_overdue_firm_on_its_black_board(
    bureau: FlaskClient,
) -> None:
    _inspection(bureau, CHANGSHA)

    def black(day: str) -> list[str]:
        board = bureau.get(f"/boards/black?jurisdiction=43&as_of={day}").json
        return [row["credit_code"] for row in board if row["project_code"] is None]

    assert black("2026-03-31") == []
    assert black("2026-04-01") == [CHANGSHA]
    assert _score(bureau, CHANGSHA, "2026-04-01") == ("80", "B")


def test_the_watch_list_gives_each_firm_its_reasons(
    bureau: FlaskClient, client_as: Callable[..., FlaskClient]
) -> None:
    _inspection(bureau, WUHAN)
    post_record(
        bureau,
        "appraisal",
        WUHAN,
        business_date="2026-02-01",
        owner_satisfaction="55",
    )
    for number in (1, 2):
        post_record(
            bureau,
            "bad_credit",
            WUHAN,
            business_date=f"2026-0{number}-15",
            document_number=f"罚-{number}",
        )

    def watched(day: str) -> dict[str, dict[str, Any]]:
        answer = bureau.get(f"/watch-list?jurisdiction=42&as_of={day}").json
        assert [w["credit_code"] for w in answer] in ([WUHAN], [])
        return {r["reason"]: r for w in answer for r in w["reasons"]}

    on_deadline = watched("2026-03-31")
    after = watched("2026-04-01")

    assert sorted(on_deadline) == ["low_satisfaction", "repeated_penalties"]
    assert sorted(after) == [
        "low_satisfaction",
        "rectification_overdue",
        "repeated_penalties",
    ]
    assert after["rectification_overdue"]["description"] == "逾期未整改"
    assert after["rectification_overdue"]["detail"] == (
        "rectification overdue: DOC-inspection-2026-03-01 (due 2026-03-31)"
    )
    assert after["repeated_penalties"]["detail"] == (
        "2 bad_credit records within 12 months (2 or more)"
    )
    # A year on the appraisal and penalties are too old; the deadline is not.
    assert sorted(watched("2027-04-01")) == ["rectification_overdue"]
    assert client_as("platform").get("/watch-list?jurisdiction=42").status_code == 403
