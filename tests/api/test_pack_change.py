"""A service started with other rule packs than its grade view was computed
under refuses grade answers until `credit-svc rebuild --apply`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.rulepacks.load import PACKAGED_DIR
from tests.factories import YANTAI, post_record, register

GRADE = f"/enterprises/{YANTAI}/grade?as_of=2026-06-01"


@pytest.fixture(autouse=True)
def recheck_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check the view's packs on every request, not every few seconds."""
    monkeypatch.setattr("credit_svc.usecases.pack_check.RECHECK_SECONDS", 0.0)


@pytest.fixture
def with_packs(
    bureau_with: Callable[..., FlaskClient],
) -> Callable[[Path], FlaskClient]:
    """Return a factory of bureau clients of apps loading a pack directory."""
    return lambda directory: bureau_with(RULE_PACK_DIR=str(directory))


def _packs(tmp_path: Path, name: str, edit: Callable[[str], str]) -> Path:
    directory = tmp_path / name
    shutil.copytree(PACKAGED_DIR, directory, ignore=shutil.ignore_patterns("*.py"))
    yantai = directory / "shandong-yantai-2022.yaml"
    text = yantai.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    yantai.write_text(changed, encoding="utf-8")
    return directory


def _two_month_validity(pack: str) -> str:
    return pack.replace('default_months: "12"', 'default_months: "2"')


def _graded(client: FlaskClient) -> None:
    register(client)
    posted = post_record(client, "good_credit", business_date="2026-03-01")
    assert posted.status_code == 201, posted.json


def test_grades_from_other_packs_are_refused_until_a_rebuild(
    client: FlaskClient, with_packs: Callable[[Path], FlaskClient], tmp_path: Path
) -> None:
    _graded(client)
    before = client.get(GRADE).json["score"]
    new_packs = _packs(tmp_path, "new", _two_month_validity)
    restarted = with_packs(new_packs)

    refused = restarted.get(GRADE)
    records = restarted.get(f"/enterprises/{YANTAI}/records")
    written = post_record(restarted, "good_credit", business_date="2026-03-02")
    rebuilt = restarted.application.test_cli_runner().invoke(
        main, ["rebuild", "--apply"]
    )
    answered = restarted.get(GRADE)

    assert refused.status_code == 503
    assert "credit-svc rebuild --apply" in refused.json["message"]
    assert (records.status_code, written.status_code) == (200, 201)
    assert "DIFFERENT" in rebuilt.output
    assert answered.status_code == 200
    assert (before, answered.json["score"]) == ("70", "60")  # expired after 2 months


def test_the_old_service_refuses_once_the_view_moved_to_new_packs(
    client: FlaskClient, with_packs: Callable[[Path], FlaskClient], tmp_path: Path
) -> None:
    _graded(client)
    new_packs = _packs(tmp_path, "new", _two_month_validity)
    restarted = with_packs(new_packs)
    restarted.application.test_cli_runner().invoke(main, ["rebuild", "--apply"])

    assert client.get(GRADE).status_code == 503  # a worker still on the old packs
    assert restarted.get(GRADE).status_code == 200


def test_comments_and_layout_are_not_a_change_of_packs(
    client: FlaskClient, with_packs: Callable[[Path], FlaskClient], tmp_path: Path
) -> None:
    _graded(client)
    reformatted = _packs(tmp_path, "same", lambda t: "# reviewed 2026-11\n" + t + "\n")

    assert with_packs(reformatted).get(GRADE).status_code == 200


def test_a_view_that_records_no_packs_must_be_rebuilt_once(
    app: Flask, client: FlaskClient
) -> None:
    _graded(client)
    view = app.extensions["credit_svc"].view
    with view.db.datastore.transaction(commit=True) as cursor:
        cursor.execute(view.db.q("DELETE FROM {meta}"))  # as made before views did

    refused = client.get(GRADE)
    app.test_cli_runner().invoke(main, ["rebuild", "--apply"])

    assert refused.status_code == 503
    assert client.get(GRADE).status_code == 200


def test_the_public_pages_refuse_too(
    app: Flask, client: FlaskClient, anonymous: FlaskClient
) -> None:
    _graded(client)
    view = app.extensions["credit_svc"].view
    with view.db.datastore.transaction(commit=True) as cursor:
        cursor.execute(view.db.q("UPDATE {meta} SET value = 'other packs'"))

    assert anonymous.get(f"/disclosure/enterprises/{YANTAI}").status_code == 503
    assert anonymous.get("/rule-packs").status_code == 200


def test_a_projector_on_other_packs_refuses_to_extend_the_view(
    client: FlaskClient, with_packs: Callable[[Path], FlaskClient], tmp_path: Path
) -> None:
    _graded(client)
    stale = with_packs(_packs(tmp_path, "new", _two_month_validity))

    written = post_record(stale, "good_credit", business_date="2026-03-02")
    listed_before = client.get(f"/enterprises/{YANTAI}/records").json
    refused = stale.application.test_cli_runner().invoke(main, ["project"])
    applied = client.application.test_cli_runner().invoke(main, ["project"])

    assert written.status_code == 201  # kept: the write is a fact
    assert len(listed_before) == 1  # but the worker on other packs left the view
    assert refused.exit_code == 1
    assert "run `credit-svc rebuild --apply`" in refused.output
    assert applied.output == "applied 1 events\n"  # a projector on the view's packs
    assert len(client.get(f"/enterprises/{YANTAI}/records").json) == 2
