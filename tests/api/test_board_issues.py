"""Red and black boards as published acts (issue 34, item 1): a bureau
issues a board for a period; a firm on it objects during its publicity; the
issuer decides; entries take effect; the public pages and archive show it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.rulepacks.load import PACKAGED_DIR
from credit_svc.services import Services
from credit_svc.usecases.api_keys import issue_key
from tests.factories import credit_code, events_written, post_record, register

G1, G2, G3 = (credit_code(n, "440103") for n in (31, 32, 33))
AUTHORITY = "测试住建局"
ISSUE = {
    "jurisdiction": "4401",
    "board": "black",
    "period": "2026-Q2",
    "as_of": "2026-06-30",
    "authority": AUTHORITY,
    "document_number": "穗住建通〔2026〕7号",
}
KEY = "/board-issues/4401/black-2026-Q2"


@pytest.fixture
def guangzhou(
    bureau_with: Callable[..., FlaskClient],
    services: Services,
    tmp_path: Path,
) -> FlaskClient:
    """A Guangzhou bureau on a service running the published-boards test
    pack, with three firms: on the red board by grade, on the black board by
    a black-board entry, on the black board by grade C."""
    packs = tmp_path / "packs"
    shutil.copytree(PACKAGED_DIR, packs, ignore=shutil.ignore_patterns("*.py"))
    shutil.copy(Path(__file__).parent / "packs" / "boards-published.yaml", packs)
    bureau = bureau_with(RULE_PACK_DIR=str(packs), TODAY="2026-07-06")
    _, token = issue_key(services.app, "广州住建", "bureau", AUTHORITY, ("44",))
    bureau.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for code in (G1, G2, G3):
        assert register(bureau, code).status_code == 201
    post_record(
        bureau,
        "list_entry",
        G2,
        business_date="2026-05-10",
        list_type="black_board",
        reason="物业服务质量差",
    )
    post_record(bureau, "bad_credit", G3, business_date="2026-05-20")
    return bureau


def _firm(bureau: FlaskClient, services: Services, code: str) -> FlaskClient:
    """A firm's own key, on the bureau's service."""
    firm = bureau.application.test_client()
    _, token = issue_key(services.app, "企业", "enterprise", "", (), credit_code=code)
    firm.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return firm


def _on(app_of: FlaskClient, day: str) -> None:
    app_of.application.config["TODAY"] = day


def _states(client: FlaskClient, day: str) -> dict[str, Any]:
    issue = client.get(f"{KEY}?as_of={day}").json
    return {
        e["credit_code"]: (e["state"], e["in_force_from"]) for e in issue["entries"]
    }


def test_a_board_objected_to_in_publicity_then_in_force(
    guangzhou: FlaskClient,
    services: Services,
    anonymous: FlaskClient,
) -> None:
    issued = guangzhou.post("/board-issues", json=ISSUE)
    again = guangzhou.post("/board-issues", json=ISSUE)
    firm2, firm1 = _firm(guangzhou, services, G2), _firm(guangzhou, services, G1)
    for caller in (firm2, firm1, guangzhou):
        _on(caller, "2026-07-08")
    objected = firm2.post(f"{KEY}/objections", json={"grounds": "已整改完毕"})
    not_listed = firm1.post(f"{KEY}/objections", json={"grounds": "不在榜上"})
    _on(guangzhou, "2026-07-14")
    late = guangzhou.post(
        f"{KEY}/objections", json={"credit_code": G3, "grounds": "逾期提出"}
    )
    _on(guangzhou, "2026-07-15")
    decided = guangzhou.post(
        f"{KEY}/objections/{G2}/decision",
        json={
            "authority": AUTHORITY,
            "upheld": False,
            "reason": "整改在通报期之后",
            "document_number": "穗住建复〔2026〕1号",
        },
    )

    assert issued.status_code == 201, issued.json
    assert issued.json["publicity_ends_on"] == "2026-07-13"  # 5 working days
    assert [(e["credit_code"], e["grade"]) for e in issued.json["entries"]] == [
        (G2, "B"),
        (G3, "C"),
    ]
    assert issued.json["entries"][0]["records"][0]["reason"] == "物业服务质量差"
    assert again.status_code == 409
    assert objected.status_code == 201, objected.json
    assert not_listed.status_code == 422
    assert late.status_code == 422
    assert decided.status_code == 201, decided.json
    assert _states(anonymous, "2026-07-13") == {
        G2: ("in_publicity", None),
        G3: ("in_publicity", None),
    }
    assert _states(anonymous, "2026-07-14") == {
        G2: ("held_by_objection", None),
        G3: ("in_force", "2026-07-14"),
    }
    assert _states(anonymous, "2026-07-15") == {
        G2: ("in_force", "2026-07-15"),
        G3: ("in_force", "2026-07-14"),
    }


def test_an_upheld_objection_takes_the_firm_off_and_pages_show_it(
    guangzhou: FlaskClient,
    services: Services,
    anonymous: FlaskClient,
    app: Flask,
) -> None:
    guangzhou.post("/board-issues", json=ISSUE)
    firm = _firm(guangzhou, services, G3)
    _on(firm, "2026-07-07")
    firm.post(f"{KEY}/objections", json={"grounds": "处罚已撤销"})
    _on(guangzhou, "2026-07-09")
    guangzhou.post(
        f"{KEY}/objections/{G3}/decision",
        json={
            "authority": AUTHORITY,
            "upheld": True,
            "reason": "处罚已撤销",
            "document_number": "穗住建复〔2026〕2号",
        },
    )
    app.config["TODAY"] = "2026-07-20"

    page = anonymous.get("/disclosure/board-issues/4401/black-2026-Q2")
    html = page.get_data(as_text=True)
    archive = anonymous.get("/disclosure/board-issues/4401").get_data(as_text=True)

    assert _states(anonymous, "2026-07-20")[G3] == ("removed", None)
    assert page.status_code == 200
    assert "穗住建通〔2026〕7号" in html
    assert "异议成立，已移出" in html
    assert "已生效 In force" in html  # G2
    assert "2026-Q2" in archive


def test_a_withdrawn_board_is_shown_withdrawn_and_only_its_issuer_withdraws(
    guangzhou: FlaskClient,
    client_as: Callable[..., FlaskClient],
    anonymous: FlaskClient,
    services: Services,
) -> None:
    guangzhou.post("/board-issues", json=ISSUE)
    body = {"authority": AUTHORITY, "reason": "数据有误", "document_number": "撤-1"}
    other = client_as("bureau", "另一住建局", ("44",)).post(
        f"{KEY}/withdrawal", json=body | {"authority": "另一住建局"}
    )
    written = events_written(services)
    withdrawn = guangzhou.post(f"{KEY}/withdrawal", json=body)

    assert other.status_code == 403
    assert withdrawn.status_code == 201
    assert events_written(services) == written + 1
    assert set(_states(anonymous, "2026-07-06").values()) == {("withdrawn", None)}
    assert anonymous.get("/board-issues/4401/red-2026-Q2").status_code == 404
