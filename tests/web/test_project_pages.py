"""Public project pages and boards with projects (issue 31), through the client."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.project_steps import AUTHORITY_NAME, add_project, manage
from tests.factories import MIANYANG, credit_code, post_record, register

TONGAN = credit_code(5, "350212")


@pytest.fixture(autouse=True)
def fixed_today(app: Flask) -> None:
    """Pin the day the pages show, as test_pages.py does."""
    app.config["TODAY"] = "2026-06-01"


def _section(html: str, start: str, end: str = "</table>") -> str:
    first = html.index(start)
    return html[first : html.index(end, first)]


def test_a_blacklisted_project_is_on_the_pages_and_its_firm_is_not(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client, MIANYANG)
    add_project(client, "MY-1", "510703", {"party_organisation": "branch"})
    manage(client, "MY-1", MIANYANG)
    post_record(
        client,
        "list_entry",
        MIANYANG,
        business_date="2026-03-01",
        list_type="blacklist",
        reason="物业管理大检查列入黑名单",
        project_code="MY-1",
    )

    blacklist = anonymous.get("/disclosure/blacklist").get_data(as_text=True)
    black = anonymous.get("/disclosure/boards/black").get_data(as_text=True)
    firm = anonymous.get(f"/disclosure/enterprises/{MIANYANG}").get_data(as_text=True)
    page = anonymous.get(f"/disclosure/enterprises/{MIANYANG}/projects/MY-1")
    html = page.get_data(as_text=True)

    assert MIANYANG not in _section(blacklist, 'id="enterprises"')
    assert "MY-1小区" in _section(blacklist, 'id="projects"')
    assert "MY-1小区" in _section(black, 'id="projects"')
    assert "黑名单 Blacklist" in _section(firm, 'id="projects"', "</ul>")
    assert page.status_code == 200
    assert 'id="status">黑名单' in html.replace('class="black" ', "")
    assert "小区党支部 Own branch" in html
    assert "项目或企业列入黑名单" in html  # the pack's words for the bar
    assert "物业管理大检查列入黑名单" in _section(html, 'id="records"')


def test_a_project_page_shows_its_stars_and_their_publicity(
    app: Flask, client_as: Callable[..., FlaskClient], anonymous: FlaskClient
) -> None:
    bureau = client_as("bureau", AUTHORITY_NAME, ("35",))
    register(bureau, TONGAN)
    add_project(bureau, "TA-1", "350212", {"party_organisation": "branch"})
    manage(bureau, "TA-1", TONGAN)
    app.config["TODAY"] = "2025-12-11"

    html = anonymous.get(f"/disclosure/enterprises/{TONGAN}/projects/TA-1").get_data(
        as_text=True
    )

    assert "★★★★★ 5 星" in html  # 100 + 2 for the branch
    assert "2025-12-10" in _section(html, 'id="ratings"')  # publicity's last day
    assert "有效 In force" in html


def test_a_project_not_of_the_firm_is_an_error_page(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    register(client, MIANYANG)

    page = anonymous.get(f"/disclosure/enterprises/{MIANYANG}/projects/NONE")

    assert page.status_code == 404
    assert page.mimetype == "text/html"
